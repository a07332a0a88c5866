import Foundation

/// An inverted index ranked by Okapi BM25 (倒排索引): documents are added, replaced and removed one at a
/// time; a search scores only the documents that share a term with the query. Queries keep their most
/// selective terms (`maxQueryTerms`), so that a long message costs about as much as a short one.
public struct BM25Index: Sendable {
    public struct Hit: Sendable, Equatable {
        public var id: Int64
        public var score: Double
    }

    struct Postings: Sendable {
        var docs: [Int32] = []
        var counts: [UInt16] = []
    }

    public let tokenizer: Tokenizer
    public var k1: Float = 1.2
    public var b: Float = 0.75
    /// The most query terms a search scores, chosen by IDF.
    public var maxQueryTerms = 64

    private var postings: [Term: Postings] = [:]
    private var ids: [Int64] = []
    private var lengths: [Float] = []
    private var alive: [Bool] = []
    private var slots: [Int64: Int32] = [:]
    private var totalLength: Double = 0

    public init(tokenizer: Tokenizer = .retrieval) { self.tokenizer = tokenizer }

    /// Live documents.
    public var count: Int { slots.count }

    public func contains(_ id: Int64) -> Bool { slots[id] != nil }

    /// Adds a document, replacing any earlier one with the same id.
    public mutating func add(id: Int64, text: String) { add(id: id, terms: tokenizer.terms(text)) }

    public mutating func add(id: Int64, terms: [Term]) {
        remove(id: id)
        let slot = Int32(ids.count)
        ids.append(id)
        lengths.append(Float(terms.count))
        alive.append(true)
        slots[id] = slot
        totalLength += Double(terms.count)
        var counts: [Term: UInt16] = [:]
        for t in terms { counts[t, default: 0] &+= 1 }
        for (t, n) in counts {
            postings[t, default: Postings()].docs.append(slot)
            postings[t]!.counts.append(n)
        }
    }

    /// Removes a document; its postings are skipped until `compact()`.
    public mutating func remove(id: Int64) {
        guard let slot = slots.removeValue(forKey: id) else { return }
        alive[Int(slot)] = false
        totalLength -= Double(lengths[Int(slot)])
    }

    /// Drops the postings of removed documents once they are a quarter of the index.
    public mutating func compactIfWorthIt() {
        guard ids.count > 1000, Double(ids.count - slots.count) > 0.25 * Double(ids.count) else { return }
        var fresh = BM25Index(tokenizer: tokenizer)
        fresh.k1 = k1
        fresh.b = b
        fresh.maxQueryTerms = maxQueryTerms
        var remap = [Int32](repeating: -1, count: ids.count)
        for (old, id) in ids.enumerated() where alive[old] {
            remap[old] = Int32(fresh.ids.count)
            fresh.slots[id] = Int32(fresh.ids.count)
            fresh.ids.append(id)
            fresh.lengths.append(lengths[old])
            fresh.alive.append(true)
            fresh.totalLength += Double(lengths[old])
        }
        for (t, p) in postings {
            var q = Postings()
            for k in p.docs.indices where remap[Int(p.docs[k])] >= 0 {
                q.docs.append(remap[Int(p.docs[k])])
                q.counts.append(p.counts[k])
            }
            if !q.docs.isEmpty { fresh.postings[t] = q }
        }
        self = fresh
    }

    func idf(_ df: Int) -> Float {
        let n = Float(max(1, slots.count))
        return log(1 + (n - Float(df) + 0.5) / (Float(df) + 0.5))
    }

    /// Queries with at least this many character pairs are scored on pairs alone: single characters help a
    /// two-word query (社保, 路灯) but only add noise to a paragraph.
    public var pairsOnlyFrom = 8

    /// The query's terms worth scoring: distinct, known, most selective first, with their query counts.
    func queryTerms(_ terms: [Term]) -> [(Term, Float, Postings)] {
        var qtf: [Term: Float] = [:]
        for t in terms { qtf[t, default: 0] += 1 }
        if qtf.keys.filter({ !Self.isSingleCharacter($0) }).count >= pairsOnlyFrom {
            qtf = qtf.filter { !Self.isSingleCharacter($0.key) }
        }
        var chosen: [(Term, Float, Postings)] = []
        let hasRemovals = ids.count > slots.count
        for (t, n) in qtf {
            guard let p = postings[t] else { continue }
            // Postings of removed documents linger until compaction; they must not count towards rarity.
            let df = hasRemovals ? p.docs.reduce(0) { $0 + (alive[Int($1)] ? 1 : 0) } : p.docs.count
            guard df > 0 else { continue }
            chosen.append((t, idf(df) * (1 + log(n)), p))
        }
        chosen.sort { $0.1 > $1.1 }
        return Array(chosen.prefix(maxQueryTerms))
    }

    @inline(__always)
    static func isSingleCharacter(_ t: Term) -> Bool { t < (1 << 21) }

    /// The best `limit` documents for `text`; `accept` filters by id.
    public func search(_ text: String, limit: Int, accept: ((Int64) -> Bool)? = nil) -> [Hit] {
        search(terms: tokenizer.terms(text), limit: limit, accept: accept)
    }

    public func search(terms: [Term], limit: Int, accept: ((Int64) -> Bool)? = nil) -> [Hit] {
        guard limit > 0, !slots.isEmpty else { return [] }
        let query = queryTerms(terms)
        guard !query.isEmpty else { return [] }
        let average = Float(totalLength / Double(max(1, slots.count)))
        var scores = [Float](repeating: 0, count: ids.count)
        var touched: [Int32] = []
        touched.reserveCapacity(1024)
        for (_, weight, p) in query {
            for k in p.docs.indices {
                let d = Int(p.docs[k])
                guard alive[d] else { continue }
                let tf = Float(p.counts[k])
                let norm = k1 * (1 - b + b * lengths[d] / max(average, 1))
                if scores[d] == 0 { touched.append(Int32(d)) }
                scores[d] += weight * tf * (k1 + 1) / (tf + norm)
            }
        }
        var heap = TopK(k: limit)
        for d in touched {
            let id = ids[Int(d)]
            if let accept, !accept(id) { continue }
            heap.offer(id: id, score: scores[Int(d)])
        }
        return heap.sorted().map { Hit(id: $0.id, score: Double($0.score)) }
    }
}

/// Keeps the `k` highest scores seen.
struct TopK {
    let k: Int
    private(set) var items: [(id: Int64, score: Float)] = []
    private var floor: Float = -.infinity

    init(k: Int) { self.k = k }

    mutating func offer(id: Int64, score: Float) {
        if items.count < k {
            items.append((id, score))
            if items.count == k { floor = items.map(\.score).min()! }
        } else if score > floor {
            let i = items.indices.min { items[$0].score < items[$1].score }!
            items[i] = (id, score)
            floor = items.map(\.score).min()!
        }
    }

    func sorted() -> [(id: Int64, score: Float)] {
        items.sorted { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
    }
}

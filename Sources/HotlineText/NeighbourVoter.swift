import Foundation

/// k-nearest-neighbour votes (近邻投票): the training texts most similar to a query (cosine over
/// character-bigram TF-IDF) vote for their labels with weight similarity⁴, so that near-duplicates of past
/// requests speak loudly and distant ones barely at all. Complements the linear model, which sees only
/// single features.
public struct NeighbourVoter: Sendable {
    public let vectorizer: TFIDFVectorizer
    /// Inverted lists over the training vectors: for each feature, the documents and their weights.
    let postings: [[(doc: Int32, weight: Float)]]
    /// Class index of every training document.
    let labels: [Int32]
    public let classes: Int
    public var k = 20
    public var power: Float = 4

    public static let tokenizer = Tokenizer(minGram: 2, maxGram: 2)

    init(vectorizer: TFIDFVectorizer, postings: [[(doc: Int32, weight: Float)]], labels: [Int32], classes: Int) {
        self.vectorizer = vectorizer
        self.postings = postings
        self.labels = labels
        self.classes = classes
    }

    /// Indexes the training texts (already tokenised with ``tokenizer``) with their class indices.
    public static func build(documents: [[Term]], labels: [Int], classes: Int) -> NeighbourVoter {
        var vectorizer = TFIDFVectorizer(tokenizer: tokenizer)
        let vectors = vectorizer.fit(documents, minDocumentFrequency: 1)
        return build(vectorizer: vectorizer, vectors: vectors, labels: labels.map { Int32($0) }, classes: classes)
    }

    static func build(vectorizer: TFIDFVectorizer, vectors: [SparseVector], labels: [Int32], classes: Int) -> NeighbourVoter {
        var postings = [[(doc: Int32, weight: Float)]](repeating: [], count: vectorizer.dimension)
        for (d, v) in vectors.enumerated() {
            for k in v.indices.indices { postings[Int(v.indices[k])].append((Int32(d), v.values[k])) }
        }
        return NeighbourVoter(vectorizer: vectorizer, postings: postings, labels: labels, classes: classes)
    }

    /// Votes per class for `text`.
    public func votes(_ text: String) -> [Float] {
        let q = vectorizer.vector(text)
        var sims = [Float](repeating: 0, count: labels.count)
        var touched: [Int32] = []
        for k in q.indices.indices {
            let w = q.values[k]
            for (doc, weight) in postings[Int(q.indices[k])] {
                if sims[Int(doc)] == 0 { touched.append(doc) }
                sims[Int(doc)] += w * weight
            }
        }
        var top = TopK(k: k)
        for d in touched { top.offer(id: Int64(d), score: sims[Int(d)]) }
        var votes = [Float](repeating: 0, count: classes)
        for (d, s) in top.items { votes[Int(labels[Int(d)])] += pow(max(s, 0), power) }
        return votes
    }
}

/// Place names found in a text (地名词典): each names a label (a unit) that a mention supports.
public struct Gazetteer: Sendable, Equatable {
    public private(set) var places: [(name: String, label: String)]

    public static func == (a: Gazetteer, b: Gazetteer) -> Bool {
        a.places.map(\.name) == b.places.map(\.name) && a.places.map(\.label) == b.places.map(\.label)
    }

    public init(places: [(name: String, label: String)]) {
        // Longest names first, so that 滨江街道 is not also counted as 滨江.
        self.places = places.filter { $0.name.count >= 2 }.sorted { $0.name.count != $1.name.count ? $0.name.count > $1.name.count : $0.name < $1.name }
    }

    /// Administrative suffixes that are not part of the place name.
    static let suffixes = ["人民政府", "村民委员会", "居民委员会", "居委会", "管委会", "办事处", "政府"]
    static let levels: Set<Character> = ["省", "市", "县", "区", "镇", "乡", "村"]

    /// Place names derived from unit names: 洛南县人民政府 → 洛南县, 洛南; 滨江街道办事处 → 滨江街道, 滨江.
    public static func placeNames(of unitName: String) -> [String] {
        var name = unitName
        var stripped = false
        for s in suffixes where name.hasSuffix(s) {
            name.removeLast(s.count)
            stripped = true
            break
        }
        guard stripped, name.count >= 2 else { return [] }
        var names = [name]
        if name.hasSuffix("街道"), name.count >= 4 { names.append(String(name.dropLast(2))) } else if let last = name.last, levels.contains(last), name.count >= 3 {
            names.append(String(name.dropLast()))
        }
        return names
    }

    /// A gazetteer whose labels are unit names, places derived from the names themselves.
    public static func fromLabels(_ labels: [String]) -> Gazetteer {
        Gazetteer(places: labels.flatMap { label in placeNames(of: label).map { ($0, label) } })
    }

    /// How strongly the text points at each label: 1 + ln(mentions) per mentioned label.
    public func evidence(in text: String) -> [String: Double] {
        var remaining = text
        var counts: [String: Int] = [:]
        for (name, label) in places {
            var n = 0
            while let range = remaining.range(of: name) {
                n += 1
                remaining.replaceSubrange(range, with: "　")
            }
            if n > 0 { counts[label, default: 0] += n }
        }
        return counts.mapValues { 1 + log(Double($0)) }
    }

    /// The places the text mentions, for explanations.
    public func mentions(in text: String) -> [(name: String, label: String)] {
        places.filter { text.contains($0.name) }
    }
}

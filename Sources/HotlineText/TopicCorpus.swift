import Foundation

/// The messages a detection looks at, each tokenised once into its distinct CJK character pairs (sorted), stored
/// end to end so that a hundred thousand messages cost two arrays rather than a hundred thousand.
struct TopicCorpus {
    private(set) var messages: [TopicMessage] = []
    private var pairs: [Term] = []
    private var starts: [Int] = [0]
    private static let tokenizer = Tokenizer(minGram: 2, maxGram: 2)

    var count: Int { messages.count }

    mutating func add(_ message: TopicMessage) {
        var terms = Self.tokenizer.terms(message.text).filter { $0 >> 62 == 0 }
        terms.sort()
        var last: Term = .max
        for t in terms where t != last {
            pairs.append(t)
            last = t
        }
        starts.append(pairs.count)
        messages.append(message)
    }

    /// The characters so common among `baseline` (message indices) that a pair holding one names nothing by itself
    /// (的, 了, 们, 我): those in at least a fifth of them, counted over an even sample of at most 2,000.
    func stopCharacters(of baseline: [Int]) -> Set<UInt32> {
        let step = max(1, baseline.count / 2000)
        var counts: [UInt32: Int] = [:], sampled = 0
        var seen: Set<UInt32> = []
        for i in stride(from: 0, to: baseline.count, by: step) {
            seen.removeAll(keepingCapacity: true)
            for t in terms(baseline[i]) {
                seen.insert(UInt32(t >> 21))
                seen.insert(UInt32(t & 0x1F_FFFF))
            }
            for c in seen { counts[c, default: 0] += 1 }
            sampled += 1
        }
        guard sampled >= 20 else { return [] }
        return Set(counts.filter { $0.value * 5 >= sampled }.keys)
    }

    /// The distinct character pairs of message `i`.
    @inline(__always)
    func terms(_ i: Int) -> ArraySlice<Term> { pairs[starts[i]..<starts[i + 1]] }
}

extension TopicDetector {
    /// A rising pair of characters, a candidate topic term.
    struct Candidate {
        var term: Term
        var window: Int
        var baseline: Int
        /// ln(observed / expected): how much the term rises; its weight in a topic.
        var lift: Double
        var score: Double
    }

    /// The window's count expected from the baseline share, smoothed so that a term never seen before still expects a
    /// little; nil when there is no baseline to compare with.
    static func expected(baseline: Int, baselineTotal: Int, windowTotal: Int) -> Double? {
        guard baselineTotal > 0 else { return nil }
        return Double(windowTotal) * (Double(baseline) + 0.5) / Double(baselineTotal + 1)
    }

    /// The Poisson log-likelihood ratio of seeing `observed` where `expected` was due (0 when it does not rise).
    static func surprise(observed: Int, expected: Double) -> Double {
        let o = Double(observed)
        guard o > expected else { return 0 }
        return o * log(o / expected) - (o - expected)
    }

    /// The topics of one scope: the messages `indices` of `corpus`, best first, at most `limit`.
    func topics(in corpus: TopicCorpus, indices: [Int], scope: TopicScope, window: ClosedRange<Int>) -> [HotTopic] {
        var inWindow: [Int] = [], before: [Int] = []
        for i in indices {
            let d = corpus.messages[i].day
            if window.contains(d) { inWindow.append(i) } else if d < window.lowerBound { before.append(i) }
        }
        guard inWindow.count >= thresholds.minSize, !before.isEmpty else { return [] }

        // Document frequencies: the window's first, then the baseline's for the terms the window has.
        var counts: [Term: (window: Int32, baseline: Int32)] = [:]
        for i in inWindow { for t in corpus.terms(i) { counts[t, default: (0, 0)].window += 1 } }
        for i in before { for t in corpus.terms(i) { counts[t]?.baseline += 1 } }

        var candidates: [Candidate] = []
        for (term, c) in counts where Int(c.window) >= thresholds.minSize {
            guard let e = Self.expected(baseline: Int(c.baseline), baselineTotal: before.count, windowTotal: inWindow.count),
                  Double(c.window) >= thresholds.minRatio * e else { continue }
            candidates.append(Candidate(term: term, window: Int(c.window), baseline: Int(c.baseline), lift: log(Double(c.window) / e),
                                        score: Self.surprise(observed: Int(c.window), expected: e)))
        }
        candidates.sort { $0.score != $1.score ? $0.score > $1.score : $0.term < $1.term }
        if candidates.count > 400 { candidates.removeLast(candidates.count - 400) }
        guard !candidates.isEmpty else { return [] }

        // Which messages hold each candidate, in the window and before it.
        var index: [Term: Int] = [:]
        for (k, c) in candidates.enumerated() { index[c.term] = k }
        var windowPostings = [[Int]](repeating: [], count: candidates.count)
        var baselinePostings = [[Int]](repeating: [], count: candidates.count)
        for i in inWindow { for t in corpus.terms(i) { if let k = index[t] { windowPostings[k].append(i) } } }
        for i in before { for t in corpus.terms(i) { if let k = index[t] { baselinePostings[k].append(i) } } }

        // Group the terms by the messages they share: a term joins the group whose seed's messages hold half of its own.
        var groups: [(terms: [Int], messages: Set<Int>)] = []
        for k in candidates.indices {
            let own = windowPostings[k]
            var best = -1, bestShare = 0.0
            for (g, group) in groups.enumerated() {
                let share = Double(own.lazy.filter { group.messages.contains($0) }.count) / Double(own.count)
                if share > bestShare { best = g; bestShare = share }
            }
            if best >= 0, bestShare >= 0.5 {
                if groups[best].terms.count < 24 { groups[best].terms.append(k) }
            } else if groups.count < max(limit * 3, 30) {
                groups.append(([k], Set(own)))
            }
        }

        var found: [HotTopic] = []
        var stopCharacters: Set<UInt32>?  // learned from this scope's baseline when a group first needs them
        for group in groups {
            let weights = group.terms.map { max(candidates[$0].lift, 0.01) }
            let needed = thresholds.coverage * weights.reduce(0, +) - 1e-9
            func members(_ postings: [[Int]]) -> [Int] {
                var held: [Int: Double] = [:]
                for (j, k) in group.terms.enumerated() { for i in postings[k] { held[i, default: 0] += weights[j] } }
                return held.filter { $0.value >= needed }.keys.sorted()
            }
            let matched = members(windowPostings)
            guard matched.count >= thresholds.minSize else { continue }
            // One caller's requests (or one long letter sent again) count once.
            let senders = Self.senders(of: matched, in: corpus)
            guard senders.count >= thresholds.minSize else { continue }
            let baselineCount = members(baselinePostings).count
            guard let e = Self.expected(baseline: baselineCount, baselineTotal: before.count, windowTotal: inWindow.count),
                  Double(senders.count) >= thresholds.minRatio * e else { continue }
            // Pairs most of the topic's requests share may join its phrases; each phrase holds one of its rising pairs.
            var shared: [Term: Int] = [:]
            for i in matched { for t in corpus.terms(i) { shared[t, default: 0] += 1 } }
            let common = max(2, Int((0.4 * Double(matched.count)).rounded(.up)))
            let rising = group.terms.map { candidates[$0].term }
            if stopCharacters == nil { stopCharacters = corpus.stopCharacters(of: before) }
            let stop = stopCharacters ?? []
            var phrases = Self.phrases(of: matched.map { corpus.messages[$0].text }, joinable: Set(shared.filter { $0.value >= common }.keys),
                                       rising: Set(rising))
            // The topic needs a defining phrase of its own: held by most of its senders and itself rising against the
            // baseline, so that a phrase common in long letters (为老百姓做主) makes no topic however many pairs it shares.
            let specific = rising.filter { !stop.contains(UInt32($0 >> 21)) && !stop.contains(UInt32($0 & 0x1F_FFFF)) }
            guard let defining = phrases.firstIndex(where: { phrase in
                phraseRises(phrase, senders: senders, rising: specific, candidates: index, tested: counts.count, windowPostings: windowPostings,
                            baselinePostings: baselinePostings, corpus: corpus, windowTotal: inWindow.count, baselineTotal: before.count)
            }) else { continue }
            phrases.insert(phrases.remove(at: defining), at: 0)
            let ordered = matched.sorted { (corpus.messages[$0].day, $0) < (corpus.messages[$1].day, $1) }
            var trend = [Int](repeating: 0, count: window.count)
            var places: [String: Int] = [:]
            for i in matched {
                let m = corpus.messages[i]
                trend[m.day - window.lowerBound] += 1
                if let d = m.district, !d.isEmpty {
                    let name = m.place.map { $0.isEmpty ? d : d + $0 } ?? d
                    places[name, default: 0] += 1
                }
            }
            found.append(HotTopic(
                scope: scope, label: phrases.prefix(2).joined(separator: "·"), terms: Array(phrases.prefix(6)),
                ids: ordered.map { corpus.messages[$0].id }, baselineCount: baselineCount, baselineTotal: before.count,
                windowTotal: inWindow.count, baseline: e, score: Self.surprise(observed: senders.count, expected: e), trend: trend,
                places: places.map { HotTopic.Place(name: $0.key, count: $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }))
        }

        // Best first; a topic a quarter of whose requests are a better one's is the same matter told another way.
        found.sort { $0.score != $1.score ? $0.score > $1.score : $0.label < $1.label }
        var kept: [HotTopic] = [], taken: [Set<String>] = []
        for topic in found where kept.count < limit {
            if taken.contains(where: { set in topic.ids.lazy.filter { set.contains($0) }.count * 4 >= topic.ids.count }) { continue }
            kept.append(topic)
            taken.append(Set(topic.ids))
        }
        return kept
    }

    /// The senders of `messages`: one set of message indices per caller. A message without a caller is its own sender,
    /// unless it is a long letter nearly the same as an earlier one (most of their character pairs shared), which is
    /// the same letter sent again.
    static func senders(of messages: [Int], in corpus: TopicCorpus) -> [[Int]] {
        var byCaller: [String: Int] = [:], out: [[Int]] = [], letters: [(index: Int, sender: Int)] = []
        for i in messages {
            if let c = corpus.messages[i].caller, !c.isEmpty {
                if let s = byCaller[c] { out[s].append(i) } else { byCaller[c] = out.count; out.append([i]) }
                continue
            }
            let terms = corpus.terms(i)
            if terms.count >= longLetterPairs, let same = letters.first(where: { overlap(terms, corpus.terms($0.index)) >= sameLetterShare }) {
                out[same.sender].append(i)
                continue
            }
            if terms.count >= longLetterPairs { letters.append((i, out.count)) }
            out.append([i])
        }
        return out
    }

    /// How many distinct character pairs make a long letter.
    static let longLetterPairs = 60
    /// The share of pairs two letters must share (Jaccard) to be one letter sent again.
    static let sameLetterShare = 0.6

    /// The Jaccard overlap of two sorted sets of pairs.
    static func overlap(_ a: ArraySlice<Term>, _ b: ArraySlice<Term>) -> Double {
        var i = a.startIndex, j = b.startIndex, both = 0
        while i < a.endIndex, j < b.endIndex {
            if a[i] == b[j] { both += 1; i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return Double(both) / Double(max(a.count + b.count - both, 1))
    }

    /// Whether `phrase` can define a topic: it holds one of `rising` (the topic's rising pairs without a stop character),
    /// at least half of the topic's senders write it, and the window's senders who write it reach `minSize`, `minRatio`
    /// times the baseline's share of messages that write it, and a log-likelihood ratio of ln(`tested`), the number of
    /// pairs tested for a rise (so that one of thousands rising by chance is not enough). Found through the postings of
    /// its rarest rising pair, so the baseline is never scanned whole.
    func phraseRises(_ phrase: String, senders: [[Int]], rising: [Term], candidates index: [Term: Int], tested: Int, windowPostings: [[Int]],
                     baselinePostings: [[Int]], corpus: TopicCorpus, windowTotal: Int, baselineTotal: Int) -> Bool {
        let s = TextNormalizer.scalars(phrase)
        var pairs: Set<Term> = []
        for k in 0..<max(s.count - 1, 0) { pairs.insert(UInt64(s[k]) << 21 | UInt64(s[k + 1])) }
        let own = rising.filter { pairs.contains($0) }.compactMap { index[$0] }
        guard let rarest = own.min(by: { windowPostings[$0].count + baselinePostings[$0].count < windowPostings[$1].count + baselinePostings[$1].count }) else {
            return false
        }
        func writes(_ i: Int) -> Bool { TextNormalizer.normalize(corpus.messages[i].text).contains(phrase) }
        let inTopic = senders.filter { $0.contains(where: writes) }.count
        guard inTopic * 2 >= senders.count else { return false }
        let window = Self.senders(of: windowPostings[rarest].filter(writes), in: corpus).count
        let baseline = baselinePostings[rarest].filter(writes).count
        guard let e = Self.expected(baseline: baseline, baselineTotal: baselineTotal, windowTotal: windowTotal) else { return false }
        return window >= thresholds.minSize && Double(window) >= thresholds.minRatio * e
            && Self.surprise(observed: window, expected: e) >= log(Double(max(tested, 2)))
    }
}

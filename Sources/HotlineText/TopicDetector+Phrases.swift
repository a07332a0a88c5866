extension TopicDetector {
    /// The longest phrase a topic's term is read as.
    static let longestPhrase = 10
    /// How many opening characters count as the request's title.
    static let openingLength = 24

    /// A topic's phrases (热点词), best first: in each of its requests, the longest runs of characters whose every adjacent
    /// pair is common among the topic's requests (丽发 发新 新城 → 丽发新城) and that hold at least one of the topic's rising
    /// pairs, counted once per request and ranked by that count times their length (up to four characters), doubled for
    /// the share of requests that name it in their opening characters (a title or subject comes first). A phrase inside or
    /// around a better one is the same phrase and is left out.
    static func phrases(of texts: [String], joinable: Set<Term>, rising: Set<Term>) -> [String] {
        var counts: [String: Int] = [:], early: [String: Int] = [:]
        for text in texts {
            let s = TextNormalizer.scalars(text)
            var seen: Set<String> = [], opening: Set<String> = []
            var start = 0
            var holdsRising = false
            var i = 0
            while i < s.count {
                var joined = false
                if i + 1 < s.count, TextNormalizer.isCJK(s[i]), TextNormalizer.isCJK(s[i + 1]) {
                    let pair = UInt64(s[i]) << 21 | UInt64(s[i + 1])
                    joined = joinable.contains(pair)
                    if joined, rising.contains(pair) { holdsRising = true }
                }
                if !joined {
                    if i > start, holdsRising {
                        var phrase = String.UnicodeScalarView()
                        for v in s[start...min(i, start + longestPhrase - 1)] { if let u = Unicode.Scalar(v) { phrase.append(u) } }
                        seen.insert(String(phrase))
                        if start < openingLength { opening.insert(String(phrase)) }
                    }
                    start = i + 1
                    holdsRising = false
                }
                i += 1
            }
            for p in seen { counts[p, default: 0] += 1 }
            for p in opening { early[p, default: 0] += 1 }
        }
        func rank(_ e: (key: String, value: Int)) -> Int { (e.value + early[e.key, default: 0]) * min(e.key.count, 4) }
        let ranked = counts.sorted { rank($0) != rank($1) ? rank($0) > rank($1) : $0.key < $1.key }
        var kept: [String] = []
        for (phrase, _) in ranked where kept.count < 8 {
            if kept.contains(where: { $0.contains(phrase) || phrase.contains($0) }) { continue }
            kept.append(phrase)
        }
        return kept
    }
}

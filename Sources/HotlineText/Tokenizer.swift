/// A term: a character n-gram of CJK text (up to three characters packed 21 bits each; four and five
/// characters hashed, bit 62 set) or a Latin/digit word (hashed, top bit set). Packing instead of strings keeps indexing and training allocation-free.
public typealias Term = UInt64

/// Splits normalised text into terms (分词). Chinese needs no dictionary here: overlapping character
/// n-grams make one- and two-character words (路灯, 噪音, 社保) match wherever they occur, and
/// trigrams add phrase evidence for classifiers.
public struct Tokenizer: Sendable, Hashable, Codable {
    /// The longest CJK n-gram (1…3).
    public var maxGram: Int
    /// The shortest CJK n-gram (1…maxGram).
    public var minGram: Int

    public init(minGram: Int = 1, maxGram: Int = 2) {
        precondition((1...5).contains(maxGram) && (1...maxGram).contains(minGram))
        self.minGram = minGram
        self.maxGram = maxGram
    }

    /// Retrieval: characters and character pairs.
    public static let retrieval = Tokenizer(minGram: 1, maxGram: 2)
    /// Classification: characters, pairs and triples.
    public static let classification = Tokenizer(minGram: 1, maxGram: 3)

    /// Every term of `text`, in order, with repeats.
    public func terms(_ text: String) -> [Term] {
        terms(normalized: TextNormalizer.scalars(text))
    }

    public func terms(normalized s: [UInt32]) -> [Term] {
        var out: [Term] = []
        out.reserveCapacity(s.count * (maxGram - minGram + 1))
        var i = 0
        while i < s.count {
            let v = s[i]
            if v == 0 { i += 1; continue }
            if TextNormalizer.isCJK(v) {
                var n = minGram
                while n <= maxGram {
                    guard i + n <= s.count else { break }
                    var key: UInt64 = 0
                    var hash: UInt64 = 0x84222325_cbf29ce4
                    var ok = true
                    for k in 0..<n {
                        let c = s[i + k]
                        if !TextNormalizer.isCJK(c) { ok = false; break }
                        key = key << 21 | UInt64(c)
                        hash = (hash ^ UInt64(c)) &* 0x0000_0100_0000_01B3
                    }
                    if !ok { break }
                    // Up to three characters pack exactly; longer n-grams are hashed into their own range.
                    out.append(n <= 3 ? key : (hash & ~(UInt64(3) << 62)) | (1 << 62))
                    n += 1
                }
                i += 1
            } else {
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                var j = i
                while j < s.count, TextNormalizer.isWordCharacter(s[j]) {
                    hash = (hash ^ UInt64(s[j])) &* 0x0000_0100_0000_01B3
                    j += 1
                }
                out.append(hash | (1 << 63))
                i = j
            }
        }
        return out
    }

    /// Characters of each term, for highlighting; nil for hashed words.
    public static func characters(of term: Term) -> [Unicode.Scalar]? {
        guard term >> 62 == 0 else { return nil }
        var t = term
        var out: [Unicode.Scalar] = []
        while t > 0 {
            guard let s = Unicode.Scalar(UInt32(t & 0x1F_FFFF)) else { return nil }
            out.insert(s, at: 0)
            t >>= 21
        }
        return out
    }
}

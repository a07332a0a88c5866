/// How alike two texts are by their characters: the cosine of their character-pair (bigram) counts, 0 (nothing
/// shared) to 1 (the same pairs in the same proportions). Pairs rather than single characters, so that sharing common
/// characters (的, 已) counts for little and sharing words (路灯, 噪音) counts.
public enum TextSimilarity {
    public static func cosine(_ a: String, _ b: String, tokenizer: Tokenizer = Tokenizer(minGram: 2, maxGram: 2)) -> Double {
        let x = counts(tokenizer.terms(a)), y = counts(tokenizer.terms(b))
        guard !x.isEmpty, !y.isEmpty else { return 0 }
        var dot = 0.0
        for (term, n) in x { if let m = y[term] { dot += n * m } }
        let norm = (x.values.reduce(0) { $0 + $1 * $1 }).squareRoot() * (y.values.reduce(0) { $0 + $1 * $1 }).squareRoot()
        return dot / norm
    }

    static func counts(_ terms: [Term]) -> [Term: Double] {
        terms.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }
}

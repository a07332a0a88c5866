import Foundation

/// Turns texts into TF-IDF vectors (词项加权): sublinear term frequency (1 + ln tf), smoothed inverse
/// document frequency, unit length. The vocabulary keeps terms seen in at least `minDocumentFrequency`
/// training documents.
public struct TFIDFVectorizer: Sendable {
    public let tokenizer: Tokenizer
    public private(set) var vocabulary: [Term: Int32] = [:]
    public private(set) var idf: [Float] = []

    public init(tokenizer: Tokenizer) { self.tokenizer = tokenizer }

    /// Restores a fitted vectorizer.
    public init(tokenizer: Tokenizer, terms: [Term], idf: [Float]) {
        self.tokenizer = tokenizer
        self.idf = idf
        vocabulary.reserveCapacity(terms.count)
        for (i, t) in terms.enumerated() { vocabulary[t] = Int32(i) }
    }

    public var dimension: Int { idf.count }

    /// The terms in index order.
    public var terms: [Term] {
        var out = [Term](repeating: 0, count: vocabulary.count)
        for (t, i) in vocabulary { out[Int(i)] = t }
        return out
    }

    /// Learns the vocabulary and IDF from tokenised documents and returns their vectors.
    public mutating func fit(_ documents: [[Term]], minDocumentFrequency: Int = 2) -> [SparseVector] {
        var df: [Term: Int32] = [:]
        for doc in documents {
            for t in Set(doc) { df[t, default: 0] += 1 }
        }
        let kept = df.filter { $0.value >= Int32(minDocumentFrequency) }.keys.sorted()
        vocabulary = [:]
        vocabulary.reserveCapacity(kept.count)
        let n = Float(documents.count)
        idf = kept.map { t in log((1 + n) / (1 + Float(df[t]!))) + 1 }
        for (i, t) in kept.enumerated() { vocabulary[t] = Int32(i) }
        return documents.map(vector)
    }

    public func vector(_ text: String) -> SparseVector { vector(tokenizer.terms(text)) }

    public func vector(_ terms: [Term]) -> SparseVector {
        var counts: [Int32: Float] = [:]
        counts.reserveCapacity(terms.count)
        for t in terms {
            if let i = vocabulary[t] { counts[i, default: 0] += 1 }
        }
        let indices = counts.keys.sorted()
        var values = indices.map { i in (1 + log(counts[i]!)) * idf[Int(i)] }
        let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if norm > 0 { for k in values.indices { values[k] /= norm } }
        return SparseVector(indices: indices, values: values)
    }
}

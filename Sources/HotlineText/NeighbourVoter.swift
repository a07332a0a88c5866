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

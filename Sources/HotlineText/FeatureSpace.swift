/// The features the linear model sees: TF-IDF n-grams of the whole text, followed by TF-IDF n-grams of its
/// opening characters (the subject a citizen or agent puts first), scaled by `headWeight`.
public struct FeatureSpace: Sendable {
    public let body: TFIDFVectorizer
    public let head: TFIDFVectorizer?
    /// How many normalised characters count as the opening.
    public let headLength: Int
    public let headWeight: Float

    public init(body: TFIDFVectorizer, head: TFIDFVectorizer?, headLength: Int, headWeight: Float) {
        self.body = body
        self.head = head
        self.headLength = headLength
        self.headWeight = headWeight
    }

    public var dimension: Int { body.dimension + (head?.dimension ?? 0) }

    /// The opening of a text, normalised.
    public static func opening(_ text: String, length: Int) -> [UInt32] {
        Array(TextNormalizer.scalars(text).prefix(length))
    }

    /// Fits both vectorizers on the training texts and returns their vectors.
    public static func fit(texts: [String], tokenizer: Tokenizer, minDocumentFrequency: Int, headLength: Int, headWeight: Float) -> (FeatureSpace, [SparseVector]) {
        var body = TFIDFVectorizer(tokenizer: tokenizer)
        let bodyVectors = body.fit(TextClassifier.tokenize(texts, tokenizer), minDocumentFrequency: minDocumentFrequency)
        guard headLength > 0, headWeight > 0 else {
            return (FeatureSpace(body: body, head: nil, headLength: 0, headWeight: 0), bodyVectors)
        }
        var head = TFIDFVectorizer(tokenizer: tokenizer)
        let headVectors = head.fit(texts.map { tokenizer.terms(normalized: opening($0, length: headLength)) }, minDocumentFrequency: minDocumentFrequency)
        let space = FeatureSpace(body: body, head: head, headLength: headLength, headWeight: headWeight)
        return (space, zip(bodyVectors, headVectors).map { space.join($0, $1) })
    }

    public func vector(_ text: String) -> SparseVector {
        let main = body.vector(text)
        guard let head else { return main }
        return join(main, head.vector(body.tokenizer.terms(normalized: Self.opening(text, length: headLength))))
    }

    func join(_ main: SparseVector, _ opening: SparseVector) -> SparseVector {
        let offset = Int32(body.dimension)
        return SparseVector(indices: main.indices + opening.indices.map { $0 + offset }, values: main.values + opening.values.map { $0 * headWeight })
    }
}

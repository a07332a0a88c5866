import Foundation

/// A label with its score, best first in every list this module returns.
public struct ScoredLabel: Sendable, Equatable, Codable {
    public var label: String
    /// A confidence in 0…1; the scores of all labels sum to 1.
    public var score: Double

    public init(label: String, score: Double) {
        self.label = label
        self.score = score
    }
}

/// A text classifier (文本分类): TF-IDF over character n-grams and one-vs-rest linear SVMs. Used for the
/// category of a request and for the unit that should handle it.
public struct TextClassifier: Sendable {
    public let labels: [String]
    public let vectorizer: TFIDFVectorizer
    public let svm: LinearSVM
    /// Sharpness of the softmax that turns decision values into confidences.
    public let temperature: Double

    public struct Options: Sendable {
        public var tokenizer = Tokenizer.classification
        public var minDocumentFrequency = 2
        public var svm = LinearSVM.Parameters()
        public var temperature = 5.0
        public init() {}
    }

    public init(labels: [String], vectorizer: TFIDFVectorizer, svm: LinearSVM, temperature: Double) {
        self.labels = labels
        self.vectorizer = vectorizer
        self.svm = svm
        self.temperature = temperature
    }

    /// Trains on texts and their labels.
    public static func train(texts: [String], labels: [String], options: Options = Options()) -> TextClassifier {
        let classes = Array(Set(labels)).sorted()
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        var vectorizer = TFIDFVectorizer(tokenizer: options.tokenizer)
        let tokenised = tokenize(texts, options.tokenizer)
        let vectors = vectorizer.fit(tokenised, minDocumentFrequency: options.minDocumentFrequency)
        let svm = LinearSVM.train(vectors, labels: labels.map { index[$0]! }, classes: classes.count, dimension: vectorizer.dimension,
                                  parameters: options.svm)
        return TextClassifier(labels: classes, vectorizer: vectorizer, svm: svm, temperature: options.temperature)
    }

    /// Tokenises in parallel.
    static func tokenize(_ texts: [String], _ tokenizer: Tokenizer) -> [[Term]] {
        let slots = Slots<[Term]>(count: texts.count)
        let chunk = max(1, texts.count / 16)
        DispatchQueue.concurrentPerform(iterations: (texts.count + chunk - 1) / chunk) { c in
            for i in (c * chunk)..<min(texts.count, (c + 1) * chunk) { slots[i] = tokenizer.terms(texts[i]) }
        }
        return slots.values.map { $0 ?? [] }
    }

    /// Every label with its confidence, best first.
    public func rank(_ text: String) -> [ScoredLabel] { rank(vector: vectorizer.vector(text)) }

    public func rank(vector: SparseVector) -> [ScoredLabel] {
        let raw = svm.scores(vector).map(Double.init)
        let top = raw.max() ?? 0
        let exps = raw.map { exp(($0 - top) * temperature) }
        let total = exps.reduce(0, +)
        return zip(labels, exps).map { ScoredLabel(label: $0, score: $1 / total) }.sorted { $0.score > $1.score }
    }

    /// The `k` best labels.
    public func predict(_ text: String, top k: Int = 3) -> [ScoredLabel] { Array(rank(text).prefix(k)) }
}

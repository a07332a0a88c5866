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

/// A text classifier (文本分类) used for the category of a request and for the unit that should handle it.
/// Three voices, each standardised across the labels before they are added:
/// - one-vs-rest linear SVMs over character 1–3-gram TF-IDF (the features each label turns on);
/// - nearest-neighbour votes over character-bigram TF-IDF (`neighbourWeight`; what the closest past texts were);
/// - place names from a gazetteer (`gazetteerWeight`; a text that names 洛南县 points at 洛南县人民政府).
public struct TextClassifier: Sendable {
    public let labels: [String]
    public let features: FeatureSpace
    public let svm: LinearSVM
    public let neighbours: NeighbourVoter?
    public let gazetteer: Gazetteer?
    public let neighbourWeight: Double
    public let gazetteerWeight: Double
    /// Sharpness of the softmax that turns combined scores into confidences.
    public let temperature: Double

    public struct Options: Sendable {
        public var tokenizer = Tokenizer.classification
        public var minDocumentFrequency = 2
        public var svm = LinearSVM.Parameters()
        public var temperature = 1.5
        /// Weight each class inversely to its size, so that small classes are not drowned.
        public var balanced = true
        /// Weight of the nearest-neighbour votes; 0 leaves them out.
        public var neighbourWeight = 0.3
        /// Place names and the labels they point at; nil leaves them out.
        public var gazetteer: Gazetteer? = nil
        public var gazetteerWeight = 1.0
        /// The opening characters that get features of their own (0 turns them off), and their weight.
        public var headLength = 20
        public var headWeight: Float = 0.5
        public init() { svm.c = 1 }
    }

    public init(labels: [String], features: FeatureSpace, svm: LinearSVM, neighbours: NeighbourVoter?, gazetteer: Gazetteer?,
                neighbourWeight: Double, gazetteerWeight: Double, temperature: Double) {
        self.labels = labels
        self.features = features
        self.svm = svm
        self.neighbours = neighbours
        self.gazetteer = gazetteer
        self.neighbourWeight = neighbourWeight
        self.gazetteerWeight = gazetteerWeight
        self.temperature = temperature
    }

    /// Trains on texts and their labels.
    public static func train(texts: [String], labels: [String], options: Options = Options()) -> TextClassifier {
        let classes = Array(Set(labels)).sorted()
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let (features, vectors) = FeatureSpace.fit(
            texts: texts, tokenizer: options.tokenizer, minDocumentFrequency: options.minDocumentFrequency, headLength: options.headLength,
            headWeight: options.headWeight)
        var parameters = options.svm
        if options.balanced {
            var counts: [String: Int] = [:]
            for l in labels { counts[l, default: 0] += 1 }
            parameters.classWeights = classes.map { Float(labels.count) / (Float(classes.count) * Float(counts[$0]!)) }
        }
        let classIndex = labels.map { index[$0]! }
        let svm = LinearSVM.train(vectors, labels: classIndex, classes: classes.count, dimension: features.dimension, parameters: parameters)
        let neighbours = options.neighbourWeight > 0
            ? NeighbourVoter.build(documents: tokenize(texts, NeighbourVoter.tokenizer), labels: classIndex, classes: classes.count) : nil
        let known = Set(classes)
        let gazetteer = options.gazetteer.map { g in Gazetteer(places: g.places.filter { known.contains($0.label) }) }
        return TextClassifier(labels: classes, features: features, svm: svm, neighbours: neighbours, gazetteer: gazetteer,
                              neighbourWeight: options.neighbourWeight, gazetteerWeight: options.gazetteerWeight, temperature: options.temperature)
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

    /// Every label with its confidence, best first. `places` is the place evidence per label when the caller has
    /// worked it out itself (``Gazetteer/mentions(in:district:districtOf:)``); nil finds it in the text.
    public func rank(_ text: String, places: [String: Double]? = nil) -> [ScoredLabel] {
        let combined = scores(text, places: places)
        let top = combined.max() ?? 0
        let exps = combined.map { exp(($0 - top) * temperature) }
        let total = exps.reduce(0, +)
        return zip(labels, exps).map { ScoredLabel(label: $0, score: $1 / total) }.sorted { $0.score > $1.score }
    }

    /// The combined score of every label, in label order; `places` as for ``rank(_:places:)``.
    public func scores(_ text: String, places: [String: Double]? = nil) -> [Double] {
        var combined = Self.standardised(svm.scores(features.vector(text)).map(Double.init))
        if let neighbours, neighbourWeight > 0 {
            let votes = Self.standardised(neighbours.votes(text).map(Double.init))
            for i in combined.indices { combined[i] += neighbourWeight * votes[i] }
        }
        if let gazetteer, gazetteerWeight > 0 {
            let evidence = places ?? gazetteer.evidence(in: text)
            if !evidence.isEmpty {
                for (i, label) in labels.enumerated() { combined[i] += gazetteerWeight * (evidence[label] ?? 0) }
            }
        }
        return combined
    }

    /// (x − mean) / standard deviation across the labels, so that voices on different scales can be added.
    static func standardised(_ x: [Double]) -> [Double] {
        guard x.count > 1 else { return x }
        let mean = x.reduce(0, +) / Double(x.count)
        let sd = (x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(x.count)).squareRoot()
        return x.map { ($0 - mean) / (sd + 1e-9) }
    }

    /// The `k` best labels.
    public func predict(_ text: String, top k: Int = 3) -> [ScoredLabel] { Array(rank(text).prefix(k)) }
}

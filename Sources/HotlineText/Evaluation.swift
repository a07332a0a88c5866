import Foundation

/// How well predictions match the truth: accuracy, macro-F1, top-k accuracy, per-class precision and recall,
/// and the confusion matrix (评测).
public struct ClassificationReport: Sendable, Codable {
    public struct ClassFigures: Sendable, Codable {
        public var label: String
        public var support: Int
        public var precision: Double
        public var recall: Double
        public var f1: Double
    }

    public var count: Int
    public var accuracy: Double
    public var macroF1: Double
    public var top3Accuracy: Double
    public var classes: [ClassFigures]
    /// `confusion[i][j]`: items of class `labels[i]` predicted as `labels[j]`.
    public var labels: [String]
    public var confusion: [[Int]]

    /// `ranked[i]` is the ranking predicted for item `i`, best first; `truth[i]` its label.
    public init(truth: [String], ranked: [[String]]) {
        let labels = Array(Set(truth).union(ranked.compactMap(\.first))).sorted()
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var confusion = Array(repeating: Array(repeating: 0, count: labels.count), count: labels.count)
        var correct = 0, top3 = 0
        for (t, r) in zip(truth, ranked) {
            if let p = r.first { confusion[index[t]!][index[p]!] += 1 }
            if r.first == t { correct += 1 }
            if r.prefix(3).contains(t) { top3 += 1 }
        }
        self.labels = labels
        self.confusion = confusion
        count = truth.count
        accuracy = count == 0 ? 0 : Double(correct) / Double(count)
        top3Accuracy = count == 0 ? 0 : Double(top3) / Double(count)
        let classes = labels.indices.map { i in
            let tp = Double(confusion[i][i])
            let support = confusion[i].reduce(0, +)
            let predicted = confusion.reduce(0) { $0 + $1[i] }
            let p = predicted == 0 ? 0 : tp / Double(predicted)
            let r = support == 0 ? 0 : tp / Double(support)
            return ClassFigures(label: labels[i], support: support, precision: p, recall: r, f1: p + r == 0 ? 0 : 2 * p * r / (p + r))
        }
        self.classes = classes
        let present = classes.filter { $0.support > 0 }
        macroF1 = present.isEmpty ? 0 : present.map(\.f1).reduce(0, +) / Double(present.count)
    }
}

/// Ranking quality of a retrieval: recall@1, recall@5 and mean reciprocal rank (检索评测).
public struct RetrievalReport: Sendable, Codable {
    public var count: Int
    public var recallAt1: Double
    public var recallAt5: Double
    public var meanReciprocalRank: Double

    /// `ranks[i]`: the 1-based rank at which item `i`'s right answer came, nil when not returned.
    public init(ranks: [Int?]) {
        count = ranks.count
        let n = Double(max(1, ranks.count))
        recallAt1 = Double(ranks.filter { $0 == 1 }.count) / n
        recallAt5 = Double(ranks.filter { ($0 ?? .max) <= 5 }.count) / n
        meanReciprocalRank = ranks.map { $0.map { 1 / Double($0) } ?? 0 }.reduce(0, +) / n
    }
}

/// Stratified k-fold splits: each fold keeps the class proportions; the same seed gives the same folds.
public enum Folds {
    /// The fold (0..<k) of every item.
    public static func stratified(labels: [String], k: Int, seed: UInt64 = 2024) -> [Int] {
        var rng = SplitMix64(seed: seed)
        var fold = [Int](repeating: 0, count: labels.count)
        var byLabel: [String: [Int]] = [:]
        for (i, l) in labels.enumerated() { byLabel[l, default: []].append(i) }
        var offset = 0
        for label in byLabel.keys.sorted() {
            var items = byLabel[label]!
            items.shuffle(using: &rng)
            for (j, i) in items.enumerated() { fold[i] = (j + offset) % k }
            offset += items.count
        }
        return fold
    }
}

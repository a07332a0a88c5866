import Foundation

/// One-vs-rest linear support vector machines with squared hinge loss, trained by dual coordinate descent
/// (Hsieh et al., ICML 2008, the method of LIBLINEAR). Fast and exact enough for text: each class is a
/// weight vector; the bias is an extra feature of value 1.
public struct LinearSVM: Sendable {
    /// `weights[c]` has `dimension + 1` entries; the last is the bias.
    public var weights: [[Float]]
    public let dimension: Int

    public init(weights: [[Float]], dimension: Int) {
        self.weights = weights
        self.dimension = dimension
    }

    public struct Parameters: Sendable {
        public var c: Float = 0.5
        public var maxEpochs = 40
        public var tolerance: Float = 0.01
        public var seed: UInt64 = 42
        var positiveWeight: Float = 1
        /// Per class: how much more its positive examples cost when misclassified (nil: 1).
        public var classWeights: [Float]? = nil
        public init() {}
    }

    /// Trains one binary machine per class; `labels[i]` is the class index of `vectors[i]`.
    public static func train(_ vectors: [SparseVector], labels: [Int], classes: Int, dimension: Int, parameters: Parameters = Parameters()) -> LinearSVM {
        let slots = Slots<[Float]>(count: classes)
        DispatchQueue.concurrentPerform(iterations: classes) { c in
            var p = parameters
            p.positiveWeight = parameters.classWeights?[c] ?? 1
            slots[c] = trainBinary(vectors, positive: labels.map { $0 == c }, dimension: dimension, parameters: p)
        }
        return LinearSVM(weights: slots.values.map { $0 ?? [] }, dimension: dimension)
    }

    static func trainBinary(_ x: [SparseVector], positive: [Bool], dimension: Int, parameters p: Parameters) -> [Float] {
        var w = [Float](repeating: 0, count: dimension + 1)
        var alpha = [Float](repeating: 0, count: x.count)
        // Squared hinge loss: each example's cost C enters the dual as a diagonal term 1/(2C).
        let diags = positive.map { 1 / (2 * p.c * ($0 ? p.positiveWeight : 1)) }
        let qii = x.indices.map { x[$0].squaredNorm + 1 + diags[$0] }
        var order = Array(x.indices)
        var rng = SplitMix64(seed: p.seed)
        w.withUnsafeMutableBufferPointer { w in
            for _ in 0..<p.maxEpochs {
                order.shuffle(using: &rng)
                var maxPG: Float = -.infinity
                var minPG: Float = .infinity
                for i in order {
                    let y: Float = positive[i] ? 1 : -1
                    let xi = x[i]
                    var dot = w[dimension]
                    for k in 0..<xi.indices.count { dot += xi.values[k] * w[Int(xi.indices[k])] }
                    let g = y * dot - 1 + diags[i] * alpha[i]
                    let pg = alpha[i] == 0 ? min(g, 0) : g
                    maxPG = max(maxPG, pg)
                    minPG = min(minPG, pg)
                    if abs(pg) > 1e-12 {
                        let old = alpha[i]
                        alpha[i] = max(old - g / qii[i], 0)
                        let d = (alpha[i] - old) * y
                        for k in 0..<xi.indices.count { w[Int(xi.indices[k])] += d * xi.values[k] }
                        w[dimension] += d
                    }
                }
                if maxPG - minPG < p.tolerance { break }
            }
        }
        return w
    }

    /// The decision value of every class for `x`.
    public func scores(_ x: SparseVector) -> [Float] {
        weights.map { w in
            w.withUnsafeBufferPointer { w in
                var s = w[dimension]
                for k in 0..<x.indices.count { s += x.values[k] * w[Int(x.indices[k])] }
                return s
            }
        }
    }
}

/// A small, fast, seedable random generator, so that folds and training are reproducible.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Results filled in by parallel workers, one slot each.
final class Slots<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [T?]

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    subscript(index: Int) -> T? {
        get { lock.withLock { storage[index] } }
        set { lock.withLock { storage[index] = newValue } }
    }

    var values: [T?] { lock.withLock { storage } }
}

/// A sparse vector: feature indices in ascending order with their values.
public struct SparseVector: Sendable, Equatable {
    public var indices: [Int32]
    public var values: [Float]

    public init(indices: [Int32] = [], values: [Float] = []) {
        self.indices = indices
        self.values = values
    }

    public var isEmpty: Bool { indices.isEmpty }

    /// The dot product with a dense vector.
    @inline(__always)
    public func dot(_ dense: UnsafeBufferPointer<Float>) -> Float {
        var sum: Float = 0
        for k in 0..<indices.count { sum += values[k] * dense[Int(indices[k])] }
        return sum
    }

    /// The dot product with another sparse vector (both sorted).
    public func dot(_ other: SparseVector) -> Float {
        var i = 0, j = 0, sum: Float = 0
        while i < indices.count && j < other.indices.count {
            let a = indices[i], b = other.indices[j]
            if a == b { sum += values[i] * other.values[j]; i += 1; j += 1 } else if a < b { i += 1 } else { j += 1 }
        }
        return sum
    }

    public var squaredNorm: Float { values.reduce(0) { $0 + $1 * $1 } }
}

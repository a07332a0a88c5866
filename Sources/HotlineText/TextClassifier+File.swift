import Foundation

/// The classifier's file format: a small header, the labels, the vocabulary with its IDF, and the weights,
/// all little-endian. Written by `hotline text train`, read by `predict`, `evaluate` and the server.
extension TextClassifier {
    static let magic: UInt32 = 0x4354_4C48  // "HLTC"
    static let formatVersion: UInt32 = 1

    public enum FileError: Error, CustomStringConvertible {
        case notAModel
        case unsupportedVersion(UInt32)
        case truncated

        public var description: String {
            switch self {
            case .notAModel: "not a hotline text model"
            case .unsupportedVersion(let v): "unsupported model format version \(v)"
            case .truncated: "the model file is truncated"
            }
        }
    }

    public func serialized() -> Data {
        var w = BinaryWriter()
        w.put(Self.magic)
        w.put(Self.formatVersion)
        w.put(UInt32(vectorizer.tokenizer.minGram))
        w.put(UInt32(vectorizer.tokenizer.maxGram))
        w.put(temperature)
        w.put(UInt32(labels.count))
        for label in labels { w.put(label) }
        w.put(UInt32(vectorizer.dimension))
        for t in vectorizer.terms { w.put(t) }
        for v in vectorizer.idf { w.put(v) }
        for weights in svm.weights { for v in weights { w.put(v) } }
        return w.data
    }

    public init(serialized data: Data) throws {
        var r = BinaryReader(data)
        guard try r.get(UInt32.self) == Self.magic else { throw FileError.notAModel }
        let version = try r.get(UInt32.self)
        guard version == Self.formatVersion else { throw FileError.unsupportedVersion(version) }
        let tokenizer = Tokenizer(minGram: Int(try r.get(UInt32.self)), maxGram: Int(try r.get(UInt32.self)))
        let temperature = try r.get(Double.self)
        let labels = try (0..<Int(try r.get(UInt32.self))).map { _ in try r.string() }
        let dimension = Int(try r.get(UInt32.self))
        let terms = try r.array(UInt64.self, count: dimension)
        let idf = try r.array(Float.self, count: dimension)
        let weights = try labels.map { _ in try r.array(Float.self, count: dimension + 1) }
        self.init(labels: labels, vectorizer: TFIDFVectorizer(tokenizer: tokenizer, terms: terms, idf: idf),
                  svm: LinearSVM(weights: weights, dimension: dimension), temperature: temperature)
    }
}

struct BinaryWriter {
    var data = Data()

    mutating func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
    mutating func put(_ v: Float) { put(v.bitPattern) }
    mutating func put(_ v: Double) { put(v.bitPattern) }
    mutating func put(_ s: String) {
        let bytes = Array(s.utf8)
        put(UInt32(bytes.count))
        data.append(contentsOf: bytes)
    }
}

struct BinaryReader {
    let data: Data
    var offset: Int

    init(_ data: Data) {
        self.data = data
        offset = data.startIndex
    }

    mutating func get<T: FixedWidthInteger>(_: T.Type) throws -> T {
        let size = MemoryLayout<T>.size
        guard offset + size <= data.endIndex else { throw TextClassifier.FileError.truncated }
        var v: T = 0
        _ = withUnsafeMutableBytes(of: &v) { data.copyBytes(to: $0, from: offset..<(offset + size)) }
        offset += size
        return T(littleEndian: v)
    }

    mutating func get(_: Float.Type) throws -> Float { Float(bitPattern: try get(UInt32.self)) }
    mutating func get(_: Double.Type) throws -> Double { Double(bitPattern: try get(UInt64.self)) }

    mutating func string() throws -> String {
        let n = Int(try get(UInt32.self))
        guard offset + n <= data.endIndex else { throw TextClassifier.FileError.truncated }
        defer { offset += n }
        return String(decoding: data[offset..<(offset + n)], as: UTF8.self)
    }

    mutating func array(_: UInt64.Type, count: Int) throws -> [UInt64] { try (0..<count).map { _ in try get(UInt64.self) } }
    mutating func array(_: Float.Type, count: Int) throws -> [Float] { try (0..<count).map { _ in try get(Float.self) } }
}

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
        w.put(UInt32(features.body.tokenizer.minGram))
        w.put(UInt32(features.body.tokenizer.maxGram))
        w.put(temperature)
        w.put(UInt32(labels.count))
        for label in labels { w.put(label) }
        w.putVectorizer(features.body)
        w.put(UInt32(features.headLength))
        w.put(features.headWeight)
        w.put(UInt32(features.head == nil ? 0 : 1))
        if let head = features.head { w.putVectorizer(head) }
        for weights in svm.weights { for v in weights { w.put(v) } }
        w.put(neighbourWeight)
        w.put(gazetteerWeight)
        w.put(UInt32(neighbours == nil ? 0 : 1))
        if let n = neighbours {
            w.put(UInt32(n.k))
            w.put(n.power)
            w.putVectorizer(n.vectorizer)
            w.put(UInt32(n.labels.count))
            for l in n.labels { w.put(UInt32(l)) }
            for list in n.postings {
                w.put(UInt32(list.count))
                for (doc, weight) in list {
                    w.put(UInt32(doc))
                    w.put(weight)
                }
            }
        }
        let places = gazetteer?.places ?? []
        w.put(UInt32(places.count))
        for p in places {
            w.put(p.name)
            w.put(p.label)
        }
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
        let body = try r.vectorizer(tokenizer)
        let headLength = Int(try r.get(UInt32.self))
        let headWeight = try r.get(Float.self)
        let head = try r.get(UInt32.self) == 1 ? try r.vectorizer(tokenizer) : nil
        let features = FeatureSpace(body: body, head: head, headLength: headLength, headWeight: headWeight)
        let dimension = features.dimension
        let weights = try labels.map { _ in try r.array(Float.self, count: dimension + 1) }
        let neighbourWeight = try r.get(Double.self)
        let gazetteerWeight = try r.get(Double.self)
        var neighbours: NeighbourVoter?
        if try r.get(UInt32.self) == 1 {
            let k = Int(try r.get(UInt32.self))
            let power = try r.get(Float.self)
            let nVectorizer = try r.vectorizer(NeighbourVoter.tokenizer)
            let nDimension = nVectorizer.dimension
            let docLabels = try (0..<Int(try r.get(UInt32.self))).map { _ in Int32(try r.get(UInt32.self)) }
            let postings: [[(doc: Int32, weight: Float)]] = try (0..<nDimension).map { _ in
                try (0..<Int(try r.get(UInt32.self))).map { _ in (Int32(try r.get(UInt32.self)), try r.get(Float.self)) }
            }
            var voter = NeighbourVoter(vectorizer: nVectorizer,
                                       postings: postings, labels: docLabels, classes: labels.count)
            voter.k = k
            voter.power = power
            neighbours = voter
        }
        let places = try (0..<Int(try r.get(UInt32.self))).map { _ in (name: try r.string(), label: try r.string()) }
        self.init(labels: labels, features: features,
                  svm: LinearSVM(weights: weights, dimension: dimension), neighbours: neighbours,
                  gazetteer: places.isEmpty ? nil : Gazetteer(places: places), neighbourWeight: neighbourWeight,
                  gazetteerWeight: gazetteerWeight, temperature: temperature)
    }
}

struct BinaryWriter {
    var data = Data()

    mutating func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
    mutating func put(_ v: Float) { put(v.bitPattern) }
    mutating func putVectorizer(_ v: TFIDFVectorizer) {
        put(UInt32(v.dimension))
        for t in v.terms { put(t) }
        for x in v.idf { put(x) }
    }
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

    mutating func vectorizer(_ tokenizer: Tokenizer) throws -> TFIDFVectorizer {
        let n = Int(try get(UInt32.self))
        let terms = try array(UInt64.self, count: n)
        return TFIDFVectorizer(tokenizer: tokenizer, terms: terms, idf: try array(Float.self, count: n))
    }

    mutating func array(_: UInt64.Type, count: Int) throws -> [UInt64] { try (0..<count).map { _ in try get(UInt64.self) } }
    mutating func array(_: Float.Type, count: Int) throws -> [Float] { try (0..<count).map { _ in try get(Float.self) } }
}

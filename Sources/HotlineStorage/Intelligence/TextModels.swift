import Foundation
import HotlineDomain
import HotlineText
import SQLKit
import Synchronization

/// The platform's trained text models (模型), kept in the `text_models` table so that every instance
/// serves the same ones and they survive restarts.
public final class TextModels: Sendable {
    let database: HotlineDatabase
    private let state = Mutex(Loaded())

    /// The category of a request: first level, and the detailed category where enough examples exist.
    public static let categoryModel = "category"
    public static let categoryDetailModel = "category_detail"
    /// The lead unit of a request.
    public static let unitModel = "unit"

    public struct Loaded: Sendable {
        public var category: TextClassifier?
        public var categoryDetail: TextClassifier?
        public var unit: TextClassifier?
        public var info: [ModelInfo] = []
    }

    /// What is known about a stored model.
    public struct ModelInfo: Sendable, Codable, Equatable {
        public var name: String
        public var trainedAt: Date
        public var examples: Int
        public var detail: String
    }

    public init(database: HotlineDatabase) { self.database = database }

    public var current: Loaded { state.withLock { $0 } }

    /// Reads every stored model.
    public func load() async throws {
        let rows = try await database.read { db in
            try await db.rows(Statement("SELECT name, trained_at, examples, detail, payload FROM text_models"))
        }
        var loaded = Loaded()
        for row in rows {
            let name = try row.decode(column: "name", as: String.self)
            let model = try TextClassifier(serialized: try row.decode(column: "payload", as: Data.self))
            loaded.info.append(ModelInfo(
                name: name, trainedAt: Date(timeIntervalSince1970: Double(try row.decode(column: "trained_at", as: Int64.self))),
                examples: try row.decode(column: "examples", as: Int.self), detail: try row.decode(column: "detail", as: String.self)))
            switch name {
            case Self.categoryModel: loaded.category = model
            case Self.categoryDetailModel: loaded.categoryDetail = model
            case Self.unitModel: loaded.unit = model
            default: break
            }
        }
        loaded.info.sort { $0.name < $1.name }
        state.withLock { $0 = loaded }
    }

    /// Stores a model (replacing the one of that name) and serves it at once.
    public func save(_ name: String, _ model: TextClassifier, examples: Int, detail: String, at now: Date) async throws {
        let payload = model.serialized()
        try await database.transaction { db in
            try await db.run(Statement("DELETE FROM text_models WHERE name = ?", [name]))
            try await db.run(Statement(
                "INSERT INTO text_models (name, trained_at, examples, detail, payload) VALUES (?, ?, ?, ?, ?)",
                [name, Int64(now.timeIntervalSince1970), examples, detail, payload]))
        }
        state.withLock { loaded in
            switch name {
            case Self.categoryModel: loaded.category = model
            case Self.categoryDetailModel: loaded.categoryDetail = model
            case Self.unitModel: loaded.unit = model
            default: break
            }
            loaded.info.removeAll { $0.name == name }
            loaded.info.append(ModelInfo(name: name, trainedAt: now, examples: examples, detail: detail))
            loaded.info.sort { $0.name < $1.name }
        }
    }
}

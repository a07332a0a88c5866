import Foundation
import HotlineDomain
import SQLKit

/// One line of a script's history (话术修改记录): who did what, when, and the wording at that version.
public struct ScriptRevision: Sendable, Equatable, Codable {
    public var version: Int
    public var at: Date
    public var actorID: String
    public var action: ScriptAction
    public var active: Bool
    public var content: ReplyScriptContent
    public var note: String?
}

/// Which scripts a list shows (话术列表): words, a category's subtree, a situation, in use or retired.
public struct ScriptFilter: Sendable, Equatable {
    /// Words the title, text or tags contain.
    public var text: String?
    /// The category codes to show (a subtree); nil for every matter.
    public var categoryCodes: [String]?
    /// Only the general scripts (通用, without a category).
    public var generalOnly = false
    public var situation: ScriptSituation?
    /// true: in use only; false: retired only; nil: both.
    public var active: Bool? = true

    public init(
        text: String? = nil, categoryCodes: [String]? = nil, generalOnly: Bool = false, situation: ScriptSituation? = nil, active: Bool? = true
    ) {
        self.text = text
        self.categoryCodes = categoryCodes
        self.generalOnly = generalOnly
        self.situation = situation
        self.active = active
    }
}

/// Reply scripts (话术) and their append-only history.
public struct ReplyScriptStore: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    static let columns = "id, doc, active, version, created_ms, created_by, updated_ms, updated_by"

    /// Stores a new script in use, with its first history line.
    public func create(_ content: ReplyScriptContent, by actor: Actor, at now: Date, note: String? = nil) async throws -> ReplyScript {
        try await database.transaction { db in try await Self.insert(content, by: actor, at: now, note: note, in: db) }
    }

    /// Stores several scripts in one transaction (the demo city's seed).
    public func createAll(_ contents: [ReplyScriptContent], by actor: Actor, at now: Date, note: String) async throws {
        try await database.transaction { db in
            for content in contents { _ = try await Self.insert(content, by: actor, at: now, note: note, in: db) }
        }
    }

    static func insert(_ content: ReplyScriptContent, by actor: Actor, at now: Date, note: String?, in db: any SQLDatabase) async throws
        -> ReplyScript
    {
        guard
            let row = try await db.firstRow(
                Statement(
                    """
                    INSERT INTO reply_scripts (title, category_code, situation, doc, active, version, created_ms, created_by, updated_ms, updated_by)
                    VALUES (?, ?, ?, ?, 1, 1, ?, ?, ?, ?) RETURNING \(columns)
                    """,
                    [
                        content.title, bindable(content.categoryCode), content.situation.rawValue, try encode(content), now.epochMilliseconds,
                        actor.userID,
                        now.epochMilliseconds, actor.userID,
                    ]))
        else { throw DatabaseError.corrupt("reply_scripts insert") }
        let script = try decode(row)
        try await appendHistory(script, action: .create, by: actor, at: now, note: note, in: db)
        return script
    }

    /// Loads a script under the write lock, applies `change` (which may throw to refuse), stores it with a history line.
    /// Nil when there is no such script.
    public func update(
        _ id: Int64, action: ScriptAction, by actor: Actor, at now: Date, note: String?,
        _ change: @escaping @Sendable (ReplyScript) throws -> ReplyScript
    ) async throws -> ReplyScript? {
        let lock = database.kind == .postgres ? " FOR UPDATE" : ""
        return try await database.transaction { db in
            guard let row = try await db.firstRow(Statement("SELECT \(Self.columns) FROM reply_scripts WHERE id = ?\(lock)", [id])) else {
                return nil
            }
            var script = try change(try Self.decode(row))
            script.version += 1
            script.updatedAt = now
            script.updatedBy = actor.userID
            try await db.run(
                Statement(
                    """
                    UPDATE reply_scripts SET title = ?, category_code = ?, situation = ?, doc = ?, active = ?, version = ?, updated_ms = ?, updated_by = ?
                    WHERE id = ?
                    """,
                    [
                        script.content.title, bindable(script.content.categoryCode), script.content.situation.rawValue,
                        try Self.encode(script.content),
                        script.active ? 1 : 0, script.version, now.epochMilliseconds, actor.userID, id,
                    ]))
            try await Self.appendHistory(script, action: action, by: actor, at: now, note: note, in: db)
            return script
        }
    }

    static func appendHistory(_ s: ReplyScript, action: ScriptAction, by actor: Actor, at now: Date, note: String?, in db: any SQLDatabase)
        async throws
    {
        try await db.run(
            Statement(
                "INSERT INTO reply_script_history (script_id, version, at_ms, actor_id, action, active, doc, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [s.id, s.version, now.epochMilliseconds, actor.userID, action.rawValue, s.active ? 1 : 0, try encode(s.content), bindable(note)]))
    }

    public func script(_ id: Int64) async throws -> ReplyScript? {
        try await database.read { db in
            try await db.firstRow(Statement("SELECT \(Self.columns) FROM reply_scripts WHERE id = ?", [id])).map(Self.decode)
        }
    }

    /// The scripts in use that serve a call about one of `codes` (a category's lineage), and the general ones.
    public func served(forCategories codes: [String]) async throws -> [ReplyScript] {
        var statement = Statement("SELECT \(Self.columns) FROM reply_scripts WHERE active = 1 AND (category_code IS NULL")
        if !codes.isEmpty { statement.append(" OR category_code IN (" + codes.map { _ in "?" }.joined(separator: ", ") + ")", codes) }
        statement.append(") ORDER BY id")
        let query = statement
        return try await database.read { db in try await db.rows(query).map(Self.decode) }
    }

    /// One page of scripts matching `filter`: by situation, then newest first.
    public func browse(_ filter: ScriptFilter, limit: Int, offset: Int) async throws -> [ReplyScript] {
        var statement = Statement("SELECT \(Self.columns) FROM reply_scripts WHERE 1 = 1")
        if let active = filter.active { statement.append(" AND active = ?", [active ? 1 : 0]) }
        if filter.generalOnly {
            statement.append(" AND category_code IS NULL")
        } else if let codes = filter.categoryCodes {
            statement.append(" AND category_code IN (" + (codes.isEmpty ? "NULL" : codes.map { _ in "?" }.joined(separator: ", ")) + ")", codes)
        }
        if let situation = filter.situation { statement.append(" AND situation = ?", [situation.rawValue]) }
        if let text = filter.text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            // The stored document is JSON: matching its text finds the words in the title, the text or a tag.
            statement.append(" AND doc LIKE ? ESCAPE '\\'", ["%" + KnowledgeStore.likePattern(KnowledgeStore.jsonEscaped(text)) + "%"])
        }
        statement.append(" ORDER BY id DESC LIMIT ? OFFSET ?", [limit, offset])
        let query = statement
        return try await database.read { db in try await db.rows(query).map(Self.decode) }
    }

    public func history(_ id: Int64) async throws -> [ScriptRevision] {
        try await database.read { db in
            try await db.rows(
                Statement(
                    "SELECT version, at_ms, actor_id, action, active, doc, note FROM reply_script_history WHERE script_id = ? ORDER BY id", [id])
            ).map { row in
                guard let action = ScriptAction(rawValue: try row.decode(column: "action", as: String.self)) else {
                    throw DatabaseError.corrupt("reply_script_history")
                }
                return ScriptRevision(
                    version: try row.decode(column: "version", as: Int.self),
                    at: Date(epochMilliseconds: try row.decode(column: "at_ms", as: Int64.self)),
                    actorID: try row.decode(column: "actor_id", as: String.self), action: action,
                    active: try row.decode(column: "active", as: Int.self) == 1,
                    content: try Self.decode(try row.decode(column: "doc", as: String.self)), note: try row.decode(column: "note", as: String?.self))
            }
        }
    }

    static func encode(_ c: ReplyScriptContent) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(c), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> ReplyScriptContent {
        try JSONDecoder().decode(ReplyScriptContent.self, from: Data(text.utf8))
    }

    static func decode(_ row: any SQLRow) throws -> ReplyScript {
        ReplyScript(
            id: try row.decode(column: "id", as: Int64.self), content: try decode(try row.decode(column: "doc", as: String.self)),
            active: try row.decode(column: "active", as: Int.self) == 1, version: try row.decode(column: "version", as: Int.self),
            createdAt: Date(epochMilliseconds: try row.decode(column: "created_ms", as: Int64.self)),
            createdBy: try row.decode(column: "created_by", as: String.self),
            updatedAt: Date(epochMilliseconds: try row.decode(column: "updated_ms", as: Int64.self)),
            updatedBy: try row.decode(column: "updated_by", as: String.self))
    }
}

extension KnowledgeStore {
    /// Text as a `LIKE` pattern's literal part (with `ESCAPE '\'`): backslashes, `%` and `_` escaped.
    static func likePattern(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}

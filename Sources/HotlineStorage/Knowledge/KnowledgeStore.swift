import Foundation
import HotlineDomain
import SQLKit

/// One line of an entry's history (版本记录): who did what, and the wording at that version.
public struct KnowledgeRevision: Sendable, Equatable, Codable {
    public var version: Int
    public var at: Date
    public var actorID: String
    public var action: KnowledgeAction
    public var status: KnowledgeStatus
    public var content: KnowledgeContent
    public var note: String?
}

/// Knowledge entries, their append-only history and agents' feedback on them.
public struct KnowledgeStore: Sendable {
    public let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    static let columns =
        "id, status, version, doc, published_doc, published_version, created_at, created_by, updated_at, edited_by, used_count, not_useful_count, source_order"

    public struct Stored: Sendable {
        public var entry: KnowledgeEntry
        public var used: Int
        public var notUseful: Int
        /// The finished order the entry was drafted from (转为知识草稿), if any.
        public var sourceOrder: OrderNumber? = nil
    }

    /// Stores a new draft and its first history line.
    /// `source` is the finished order the draft was made from, if any.
    public func create(_ content: KnowledgeContent, by actor: Actor, at now: Date, note: String? = nil, source: OrderNumber? = nil) async throws
        -> KnowledgeEntry
    {
        try await database.transaction { db in try await Self.insertDraft(content, by: actor, at: now, note: note, source: source, in: db) }
    }

    /// `create` within a caller's transaction (a specialist's answer and its draft land together).
    static func insertDraft(_ content: KnowledgeContent, by actor: Actor, at now: Date, note: String?, source: OrderNumber?, in db: any SQLDatabase)
        async throws -> KnowledgeEntry
    {
        try await db.run(Statement(
            """
            INSERT INTO knowledge_entries (status, version, doc, category_code, unit_id, created_at, created_by, updated_at, edited_by, source_order)
            VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [KnowledgeStatus.draft.rawValue, try Self.encode(content), bindable(content.categoryCode), bindable(content.unitID), Self.seconds(now),
             actor.userID, Self.seconds(now), actor.userID, bindable(source?.rawValue)]))
        guard let row = try await db.firstRow(Statement(
            "SELECT \(Self.columns) FROM knowledge_entries WHERE created_by = ? ORDER BY id DESC LIMIT 1", [actor.userID])) else {
            throw DatabaseError.corrupt("knowledge_entries insert")
        }
        let entry = try Self.stored(row).entry
        try await Self.appendHistory(entry, action: .create, by: actor, at: now, note: note, in: db)
        return entry
    }

    /// Stores already-reviewed entries as published in one transaction (bulk loads and benchmarks), each with
    /// its history line; returns how many were stored.
    @discardableResult
    public func insertPublished(_ contents: [KnowledgeContent], by actor: Actor, at now: Date, note: String) async throws -> Int {
        try await database.transaction { db in
            for content in contents {
                let doc = try Self.encode(content)
                try await db.run(Statement(
                    """
                    INSERT INTO knowledge_entries (status, version, doc, published_doc, published_version, category_code, unit_id, created_at, created_by,
                        updated_at, edited_by) VALUES (?, 1, ?, ?, 1, ?, ?, ?, ?, ?, ?)
                    """,
                    [KnowledgeStatus.published.rawValue, doc, doc, bindable(content.categoryCode), bindable(content.unitID), Self.seconds(now), actor.userID,
                     Self.seconds(now), actor.userID]))
            }
            try await db.run(Statement(
                """
                INSERT INTO knowledge_history (entry_id, version, at_ms, actor_id, action, status, doc, note)
                SELECT id, 1, ?, ?, ?, status, doc, ? FROM knowledge_entries e
                WHERE NOT EXISTS (SELECT 1 FROM knowledge_history h WHERE h.entry_id = e.id)
                """, [now.epochMilliseconds, actor.userID, KnowledgeAction.approve.rawValue, note]))
            return contents.count
        }
    }

    /// Loads an entry under the write lock, applies `change`, stores it with a history line.
    public func update(_ id: Int64, action: KnowledgeAction, by actor: Actor, at now: Date, note: String?,
                       _ change: @escaping @Sendable (KnowledgeEntry) throws -> KnowledgeEntry) async throws -> KnowledgeEntry? {
        let lock = database.kind == .postgres ? " FOR UPDATE" : ""
        return try await database.transaction { db in
            guard let row = try await db.firstRow(Statement("SELECT \(Self.columns) FROM knowledge_entries WHERE id = ?\(lock)", [id])) else { return nil }
            let entry = try change(try Self.stored(row).entry)
            try await db.run(Statement(
                """
                UPDATE knowledge_entries SET status = ?, version = ?, doc = ?, published_doc = ?, published_version = ?, category_code = ?,
                    unit_id = ?, updated_at = ?, edited_by = ? WHERE id = ?
                """,
                [entry.status.rawValue, entry.version, try Self.encode(entry.content), bindable(try entry.published.map(Self.encode)),
                 bindable(entry.publishedVersion), bindable(entry.content.categoryCode), bindable(entry.content.unitID), Self.seconds(now), entry.editedBy, id]))
            try await Self.appendHistory(entry, action: action, by: actor, at: now, note: note, in: db)
            return entry
        }
    }

    static func appendHistory(_ e: KnowledgeEntry, action: KnowledgeAction, by actor: Actor, at now: Date, note: String?, in db: any SQLDatabase) async throws {
        try await db.run(Statement(
            "INSERT INTO knowledge_history (entry_id, version, at_ms, actor_id, action, status, doc, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [e.id, e.version, now.epochMilliseconds, actor.userID, action.rawValue, e.status.rawValue,
             try encode(e.content), bindable(note)]))
    }

    public func entry(_ id: Int64) async throws -> Stored? {
        try await database.read { db in
            try await db.firstRow(Statement("SELECT \(Self.columns) FROM knowledge_entries WHERE id = ?", [id])).map(Self.stored)
        }
    }

    /// Entries, newest change first; of one status when given.
    public func list(status: KnowledgeStatus?, limit: Int, offset: Int) async throws -> [Stored] {
        var statement = Statement("SELECT \(Self.columns) FROM knowledge_entries")
        if let status { statement.append(" WHERE status = ?", [status.rawValue]) }
        statement.append(" ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?", [limit, offset])
        let query = statement
        return try await database.read { db in try await db.rows(query).map(Self.stored) }
    }

    /// How many entries are in `status`.
    public func count(status: KnowledgeStatus) async throws -> Int {
        try await database.read { db in
            try await db.firstRow(Statement("SELECT COUNT(*) AS n FROM knowledge_entries WHERE status = ?", [status.rawValue]))?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// Every entry that has a published wording, for the search index.
    public func servable() async throws -> [Stored] {
        try await database.read { db in
            try await db.rows(Statement("SELECT \(Self.columns) FROM knowledge_entries WHERE published_doc IS NOT NULL ORDER BY id")).map(Self.stored)
        }
    }

    public func history(_ id: Int64) async throws -> [KnowledgeRevision] {
        try await database.read { db in
            try await db.rows(Statement(
                "SELECT version, at_ms, actor_id, action, status, doc, note FROM knowledge_history WHERE entry_id = ? ORDER BY id", [id])).map { row in
                guard let action = KnowledgeAction(rawValue: try row.decode(column: "action", as: String.self)),
                      let status = KnowledgeStatus(rawValue: try row.decode(column: "status", as: String.self)) else {
                    throw DatabaseError.corrupt("knowledge_history")
                }
                return KnowledgeRevision(
                    version: try row.decode(column: "version", as: Int.self),
                    at: Date(timeIntervalSince1970: Double(try row.decode(column: "at_ms", as: Int64.self)) / 1000),
                    actorID: try row.decode(column: "actor_id", as: String.self), action: action, status: status,
                    content: try Self.decode(try row.decode(column: "doc", as: String.self)), note: try row.decode(column: "note", as: String?.self))
            }
        }
    }

    /// Records an agent's verdict on a suggested answer; returns the entry's new counts.
    public func feedback(_ id: Int64, useful: Bool, by actor: Actor, at now: Date, order: OrderNumber?, query: String?) async throws -> (used: Int, notUseful: Int)? {
        try await database.transaction { db in
            guard try await db.firstRow(Statement("SELECT id FROM knowledge_entries WHERE id = ?", [id])) != nil else { return nil }
            try await db.run(Statement(
                "INSERT INTO knowledge_feedback (entry_id, at_ms, actor_id, useful, order_number, query) VALUES (?, ?, ?, ?, ?, ?)",
                [id, now.epochMilliseconds, actor.userID, useful ? 1 : 0, bindable(order?.rawValue),
                 bindable(query.map { String($0.prefix(500)) })]))
            let column = useful ? "used_count" : "not_useful_count"
            try await db.run(Statement("UPDATE knowledge_entries SET \(column) = \(column) + 1 WHERE id = ?", [id]))
            let row = try await db.firstRow(Statement("SELECT used_count, not_useful_count FROM knowledge_entries WHERE id = ?", [id]))
            return (try row?.decode(column: "used_count", as: Int.self) ?? 0, try row?.decode(column: "not_useful_count", as: Int.self) ?? 0)
        }
    }

    static func seconds(_ date: Date) -> Int64 { date.epochSeconds }

    static func encode(_ c: KnowledgeContent) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(c), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> KnowledgeContent {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode(KnowledgeContent.self, from: Data(text.utf8))
    }

    static func stored(_ row: any SQLRow) throws -> Stored {
        guard let status = KnowledgeStatus(rawValue: try row.decode(column: "status", as: String.self)) else { throw DatabaseError.corrupt("knowledge status") }
        let createdBy = try row.decode(column: "created_by", as: String.self)
        var entry = KnowledgeEntry(
            id: try row.decode(column: "id", as: Int64.self), content: try decode(try row.decode(column: "doc", as: String.self)), by: createdBy,
            at: Date(timeIntervalSince1970: Double(try row.decode(column: "created_at", as: Int64.self))))
        entry.status = status
        entry.version = try row.decode(column: "version", as: Int.self)
        entry.published = try row.decode(column: "published_doc", as: String?.self).map(decode)
        entry.publishedVersion = try row.decode(column: "published_version", as: Int?.self)
        entry.updatedAt = Date(timeIntervalSince1970: Double(try row.decode(column: "updated_at", as: Int64.self)))
        entry.editedBy = try row.decode(column: "edited_by", as: String.self)
        return Stored(
            entry: entry, used: try row.decode(column: "used_count", as: Int.self), notUseful: try row.decode(column: "not_useful_count", as: Int.self),
            sourceOrder: try row.decode(column: "source_order", as: Int64?.self).map(OrderNumber.init(rawValue:)))
    }
}

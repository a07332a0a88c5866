import Foundation
import HotlineDomain
import SQLKit

/// Which typical cases a page of the library shows (典型案例库): words, tags, a category's subtree, a period of marking.
public struct CaseFilter: Sendable, Equatable {
    /// Words the case's title, teaching note or the order's title contain.
    public var text: String?
    /// Cases carrying every one of these tags.
    public var tags: [TypicalCaseTag] = []
    /// The category codes to show (a subtree); nil for every matter.
    public var categoryCodes: [String]?
    /// Marked at or after …
    public var from: Date?
    /// … and before.
    public var to: Date?
    /// true: in force only; false: retired only; nil: both.
    public var active: Bool? = true

    public init(
        text: String? = nil, tags: [TypicalCaseTag] = [], categoryCodes: [String]? = nil, from: Date? = nil, to: Date? = nil, active: Bool? = true
    ) {
        self.text = text
        self.tags = tags
        self.categoryCodes = categoryCodes
        self.from = from
        self.to = to
        self.active = active
    }
}

/// Typical cases (典型案例): each refers to a finished order; marking and retiring write their audit line in the same
/// transaction.
public struct TypicalCaseStore: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    static let columns =
        "id, order_number, title, tags, note, category_code, order_title, created_ms, created_by, retired_ms, retired_by, retire_reason"

    /// The case as stored, with the order title the library searches.
    public struct Stored: Sendable, Equatable {
        public var typicalCase: TypicalCase
        public var orderTitle: String
    }

    /// Stores a new case for an order and its audit line; nil when the order already has a case in force.
    public func create(
        _ draft: TypicalCase.Draft, order: OrderNumber, orderTitle: String, categoryCode: String?, by actor: Actor, at now: Date,
        client: String?
    ) async throws -> Stored? {
        try await database.transaction { db in
            guard
                let row = try await db.firstRow(
                    Statement(
                        """
                        INSERT INTO typical_cases (order_number, title, tags, note, category_code, order_title, created_ms, created_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING \(Self.columns)
                        """,
                        [
                            order.rawValue, draft.title, Self.tagText(draft.tags), draft.note, bindable(categoryCode), orderTitle,
                            now.epochMilliseconds, actor.userID,
                        ]))
            else { return nil }
            let stored = try Self.decode(row)
            try await AuditLog.append(
                AuditEntry(
                    at: now, actor: actor, action: .typicalCaseMarked, target: "typical_case:\(stored.typicalCase.id)",
                    detail: "工单 \(order)；\(draft.title)；\(draft.tags.map(\.chineseName).joined(separator: "、"))", client: client), in: db)
            return stored
        }
    }

    /// Retires a case in force with the reason and its audit line; nil when there is no such case or it was retired.
    public func retire(_ id: Int64, reason: String, by actor: Actor, at now: Date, client: String?) async throws -> Stored? {
        try await database.transaction { db in
            guard
                let row = try await db.firstRow(
                    Statement(
                        "UPDATE typical_cases SET retired_ms = ?, retired_by = ?, retire_reason = ? WHERE id = ? AND retired_ms IS NULL RETURNING \(Self.columns)",
                        [now.epochMilliseconds, actor.userID, reason, id]))
            else { return nil }
            let stored = try Self.decode(row)
            try await AuditLog.append(
                AuditEntry(
                    at: now, actor: actor, action: .typicalCaseRetired, target: "typical_case:\(id)",
                    detail: "工单 \(stored.typicalCase.orderNumber)；\(reason)", client: client), in: db)
            return stored
        }
    }

    public func typicalCase(_ id: Int64) async throws -> Stored? {
        try await database.read { db in
            try await db.firstRow(Statement("SELECT \(Self.columns) FROM typical_cases WHERE id = ?", [id])).map(Self.decode)
        }
    }

    /// The case in force for an order, if any.
    public func inForce(for order: OrderNumber) async throws -> Stored? {
        try await database.read { db in
            try await db.firstRow(
                Statement(
                    "SELECT \(Self.columns) FROM typical_cases WHERE order_number = ? AND retired_ms IS NULL", [order.rawValue])
            ).map(Self.decode)
        }
    }

    /// One page of cases matching `filter`, newest first.
    public func browse(_ filter: CaseFilter, limit: Int, offset: Int) async throws -> [Stored] {
        var statement = Statement("SELECT \(Self.columns) FROM typical_cases WHERE 1 = 1")
        if let active = filter.active { statement.append(active ? " AND retired_ms IS NULL" : " AND retired_ms IS NOT NULL") }
        for tag in filter.tags { statement.append(" AND tags LIKE ?", ["%," + tag.rawValue + ",%"]) }
        if let codes = filter.categoryCodes {
            statement.append(" AND category_code IN (" + (codes.isEmpty ? "NULL" : codes.map { _ in "?" }.joined(separator: ", ")) + ")", codes)
        }
        if let from = filter.from { statement.append(" AND created_ms >= ?", [from.epochMilliseconds]) }
        if let to = filter.to { statement.append(" AND created_ms < ?", [to.epochMilliseconds]) }
        if let text = filter.text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            let pattern = "%" + KnowledgeStore.likePattern(text) + "%"
            statement.append(
                " AND (title LIKE ? ESCAPE '\\' OR note LIKE ? ESCAPE '\\' OR order_title LIKE ? ESCAPE '\\')", [pattern, pattern, pattern])
        }
        statement.append(" ORDER BY created_ms DESC, id DESC LIMIT ? OFFSET ?", [limit, offset])
        let query = statement
        return try await database.read { db in try await db.rows(query).map(Self.decode) }
    }

    static func tagText(_ tags: [TypicalCaseTag]) -> String { "," + tags.map(\.rawValue).joined(separator: ",") + "," }

    static func decode(_ row: any SQLRow) throws -> Stored {
        let tags = try row.decode(column: "tags", as: String.self).split(separator: ",").compactMap { TypicalCaseTag(rawValue: String($0)) }
        var c = TypicalCase(
            id: try row.decode(column: "id", as: Int64.self),
            orderNumber: OrderNumber(rawValue: try row.decode(column: "order_number", as: Int64.self)),
            title: try row.decode(column: "title", as: String.self), tags: tags, note: try row.decode(column: "note", as: String.self),
            categoryCode: try row.decode(column: "category_code", as: String?.self),
            createdAt: Date(epochMilliseconds: try row.decode(column: "created_ms", as: Int64.self)),
            createdBy: try row.decode(column: "created_by", as: String.self))
        c.retiredAt = try row.decode(column: "retired_ms", as: Int64?.self).map(Date.init(epochMilliseconds:))
        c.retiredBy = try row.decode(column: "retired_by", as: String?.self)
        c.retireReason = try row.decode(column: "retire_reason", as: String?.self)
        return Stored(typicalCase: c, orderTitle: try row.decode(column: "order_title", as: String.self))
    }
}

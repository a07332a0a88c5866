import Foundation
import HotlineDomain
import SQLKit

/// Which knowledge entries a list shows (知识库列表): by status, by category subtree, by editor, or only what agents
/// are served. Every filter narrows through an index (status, category); the newest entries come first.
public struct KnowledgeFilter: Sendable, Equatable {
    /// Entries in this status (any status when nil).
    public var status: KnowledgeStatus?
    /// Only entries with an approved wording in service (not retired): what agents may read.
    public var servedOnly = false
    /// The category and everything below it (`01.02` takes `01.02` and `01.02.03`).
    public var categoryCode: String?
    /// The subtree's codes when a category was moved in or out of it (the tree is read by parent links, so the
    /// code range no longer spells it); nil when the range does.
    public var categorySubtree: [String]?
    /// Only entries whose working wording this user wrote last (an editor's own drafts).
    public var editedBy: String?
    /// Words the title, questions, answer or keywords contain (a plain text match, for entries the ranked search
    /// does not serve: drafts, entries in review, retired ones).
    public var text: String?

    public init(status: KnowledgeStatus? = nil, servedOnly: Bool = false, categoryCode: String? = nil, editedBy: String? = nil, text: String? = nil) {
        self.status = status
        self.servedOnly = servedOnly
        self.categoryCode = categoryCode
        self.editedBy = editedBy
        self.text = text
    }
}

extension KnowledgeStore {
    /// One page of entries matching `filter`, newest first.
    public func browse(_ filter: KnowledgeFilter, limit: Int, offset: Int) async throws -> [Stored] {
        var statement = Statement("SELECT \(Self.columns) FROM knowledge_entries WHERE 1 = 1")
        if let status = filter.status { statement.append(" AND status = ?", [status.rawValue]) }
        if filter.servedOnly { statement.append(" AND published_doc IS NOT NULL AND status <> ?", [KnowledgeStatus.retired.rawValue]) }
        if let codes = filter.categorySubtree, !codes.isEmpty {
            statement.append(" AND category_code IN (" + codes.map { _ in "?" }.joined(separator: ", ") + ")", codes)
        } else if let code = filter.categoryCode {
            // The subtree as a range of the index: `01.02` up to (not including) `01.02/` (`/` sorts right after `.`).
            statement.append(" AND category_code >= ? AND category_code < ?", [code, code + "/"])
        }
        if let editor = filter.editedBy { statement.append(" AND edited_by = ?", [editor]) }
        if let text = filter.text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            // The stored document is JSON; matching its text finds the words in any of its fields.
            let pattern = Self.jsonEscaped(text).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_")
            statement.append(" AND doc LIKE ? ESCAPE '\\'", ["%" + pattern + "%"])
        }
        statement.append(" ORDER BY id DESC LIMIT ? OFFSET ?", [limit, offset])
        let query = statement
        return try await database.read { db in try await db.rows(query).map(Self.stored) }
    }

    /// The entries with these ids, by id (a search's page).
    public func entries(_ ids: [Int64]) async throws -> [Int64: Stored] {
        guard !ids.isEmpty else { return [:] }
        let statement = Statement(
            "SELECT \(Self.columns) FROM knowledge_entries WHERE id IN (" + ids.map { _ in "?" }.joined(separator: ", ") + ")", ids)
        return try await database.read { db in
            Dictionary(try await db.rows(statement).map(Self.stored).map { ($0.entry.id, $0) }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// How many entries are in each status (one pass over the status index).
    public func statusCounts() async throws -> [KnowledgeStatus: Int] {
        try await database.read { db in
            var counts: [KnowledgeStatus: Int] = [:]
            for row in try await db.rows(Statement("SELECT status, COUNT(*) AS n FROM knowledge_entries GROUP BY status")) {
                guard let status = KnowledgeStatus(rawValue: try row.decode(column: "status", as: String.self)) else { continue }
                counts[status] = try row.decode(column: "n", as: Int.self)
            }
            return counts
        }
    }

    /// Stores new entries and submits them for review in one transaction (CSV import: every row or none), each
    /// with its two history lines; returns their ids.
    @discardableResult
    public func createForReview(_ contents: [KnowledgeContent], by actor: Actor, at now: Date, note: String) async throws -> [Int64] {
        try await database.transaction { db in
            var ids: [Int64] = []
            for content in contents {
                try await db.run(
                    Statement(
                        """
                        INSERT INTO knowledge_entries (status, version, doc, category_code, unit_id, created_at, created_by, updated_at, edited_by)
                        VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?)
                        """,
                        [
                            KnowledgeStatus.draft.rawValue, try Self.encode(content), bindable(content.categoryCode), bindable(content.unitID),
                            Self.seconds(now),
                            actor.userID, Self.seconds(now), actor.userID,
                        ]))
                guard
                    let row = try await db.firstRow(
                        Statement(
                            "SELECT \(Self.columns) FROM knowledge_entries WHERE created_by = ? ORDER BY id DESC LIMIT 1", [actor.userID]))
                else {
                    throw DatabaseError.corrupt("knowledge_entries insert")
                }
                let draft = try Self.stored(row).entry
                try await Self.appendHistory(draft, action: .create, by: actor, at: now, note: note, in: db)
                let submitted = try KnowledgeWorkflow.apply(.submit, to: draft, by: actor, at: now)
                try await db.run(
                    Statement(
                        "UPDATE knowledge_entries SET status = ?, version = ?, updated_at = ? WHERE id = ?",
                        [submitted.status.rawValue, submitted.version, Self.seconds(now), submitted.id]))
                try await Self.appendHistory(submitted, action: .submit, by: actor, at: now, note: nil, in: db)
                ids.append(submitted.id)
            }
            return ids
        }
    }

    /// Text as it appears inside the stored JSON document (quotes, backslashes and control characters escaped;
    /// non-ASCII characters are stored as they are).
    static func jsonEscaped(_ text: String) -> String {
        guard let data = try? JSONEncoder().encode(text), let json = String(data: data, encoding: .utf8) else { return text }
        return String(json.dropFirst().dropLast())
    }
}

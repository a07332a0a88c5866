import Foundation
import HotlineDomain
import HotlineText

/// Reads knowledge entries from CSV (知识导入): a header with `title`, `answer` and optionally `questions`
/// (separated by `|`), `category` (a code such as `01.02` or a path of names such as 城乡建设/住房保障与房地产),
/// `unit` (a unit id), `keywords` (space-separated), `effective_from`, `expires_at` (ISO dates).
public struct KnowledgeImport: Sendable {
    let services: HotlineServices

    public init(services: HotlineServices) { self.services = services }

    public struct RowError: Error, Equatable, Sendable, CustomStringConvertible {
        public var row: Int
        public var message: String
        public var description: String { "第\(row)行：\(message)" }
    }

    public struct Summary: Sendable, Equatable, Codable {
        public var created: Int
        public var published: Int
    }

    /// Parses every row first; nothing is stored unless all rows are valid. Entries are created by `actor` and
    /// submitted for review; with `publish` the platform approves them at once (seeding and migrations).
    public func run(csv text: String, by actor: Actor, publish: Bool, at now: Date) async throws -> Summary {
        let table: CSVTable
        // Spreadsheets save "CSV UTF-8" with a byte-order mark.
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        do { table = try CSVTable(parsing: text) } catch { throw RowError(row: 1, message: "无法解析CSV") }
        for required in ["title", "answer"] where !table.header.contains(required) { throw RowError(row: 1, message: "表头缺少 \(required) 列") }
        let ctx = services.reference.context
        let resolve = try await categoryResolver()
        func value(_ row: [String], _ column: String) -> String {
            guard let i = table.header.firstIndex(of: column), i < row.count else { return "" }
            return row[i].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var contents: [KnowledgeContent] = []
        for (n, row) in table.rows.enumerated() {
            let line = n + 2
            let category = value(row, "category")
            var content = KnowledgeContent(
                title: value(row, "title"), questions: value(row, "questions").split(separator: "|").map(String.init), answer: value(row, "answer"),
                categoryCode: category.isEmpty ? nil : resolve(category), unitID: value(row, "unit").isEmpty ? nil : value(row, "unit"),
                keywords: value(row, "keywords").split(separator: " ").map(String.init))
            if !category.isEmpty, content.categoryCode == nil { throw RowError(row: line, message: "事项分类「\(category)」不存在") }
            for (column, keyPath) in [("effective_from", \KnowledgeContent.effectiveFrom), ("expires_at", \KnowledgeContent.expiresAt)] {
                let text = value(row, column)
                guard !text.isEmpty else { continue }
                guard let day = CivilDay(iso: text) else { throw RowError(row: line, message: "\(column) 列：日期应写作如 2025-03-01") }
                content[keyPath: keyPath] = day.start
            }
            do {
                contents.append(try KnowledgeWorkflow.validated(content, categories: ctx.categories, units: ctx.units))
            } catch {
                throw RowError(row: line, message: Self.rowMessage(error, row: row, value: value))
            }
        }
        guard !contents.isEmpty else { throw RowError(row: 2, message: "没有可导入的数据行") }
        var summary = Summary(created: 0, published: 0)
        if !publish {
            // Every row or none: one transaction.
            let ids = try await services.knowledge.store.createForReview(contents, by: actor, at: now, note: "CSV导入")
            return Summary(created: ids.count, published: 0)
        }
        for content in contents {
            let entry = try await services.knowledge.store.create(content, by: actor, at: now, note: "CSV导入")
            _ = try await services.knowledge.store.update(entry.id, action: .submit, by: actor, at: now, note: nil) { e in
                try KnowledgeWorkflow.apply(.submit, to: e, by: actor, at: now)
            }
            summary.created += 1
            if publish {
                _ = try await services.knowledge.store.update(entry.id, action: .approve, by: .system, at: now, note: "导入时发布") { e in
                    try KnowledgeWorkflow.apply(.approve, to: e, by: .system, at: now)
                }
                if let stored = try await services.knowledge.store.entry(entry.id) {
                    services.knowledge.refresh(stored)
                    try await services.database.announce([.knowledge(entry.id)])
                }
                summary.published += 1
            }
        }
        return summary
    }

    /// The CSV columns of the entry's fields, so that a refusal names the column as the file spells it.
    static let columns = ["title": "title", "questions": "questions", "answer": "answer", "category_code": "category", "unit_id": "unit",
                          "keywords": "keywords", "expires_at": "expires_at", "effective_from": "effective_from"]

    /// A refused row as people read it: "title 列：不能为空且不能超过100字", "unit 列：单位「x」不存在".
    static func rowMessage(_ error: KnowledgeError, row: [String], value: ([String], String) -> String) -> String {
        guard case .invalid(let field, let message) = error, let column = columns[field] else { return error.message }
        let given = value(row, column)
        return field == "unit_id" ? "\(column) 列：单位「\(given)」不存在" : "\(column) 列：\(message)"
    }

    /// Maps a category code or a path of names to a code: the deepest node the path reaches.
    func categoryResolver() async throws -> @Sendable (String) -> String? {
        let nodes = try await services.directory.categories()
        let codes = Set(nodes.map(\.code))
        var byParentAndName: [String: String] = [:]
        for n in nodes { byParentAndName[(n.parentCode ?? "") + "|" + n.name] = n.code }
        let lookup = byParentAndName
        return { text in
            if codes.contains(text) { return text }
            var parent = ""
            var found: String?
            for name in text.split(separator: "/").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard let code = lookup[parent + "|" + name] else { break }
                found = code
                parent = code
            }
            return found
        }
    }
}

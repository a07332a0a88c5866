import Foundation
import HotlineDomain
import HotlineText
import SQLKit
import Synchronization

/// Recent and open orders, searchable by text (相似工单): the basis for duplicate merging and repeat
/// detection. Kept in memory over character pairs; orders enter at intake and when the index is loaded.
public final class SimilarOrders: Sendable {
    let database: HotlineDatabase
    private let index = Mutex(BM25Index(tokenizer: Tokenizer(minGram: 2, maxGram: 2)))

    /// Orders taken within this many days are searched, besides every open one.
    public static let windowDays = 30
    /// Characters of an order's content that are indexed.
    static let indexedCharacters = 400

    public init(database: HotlineDatabase) { self.database = database }

    public var count: Int { index.withLock { $0.count } }

    static let openStatuses = WorkOrderStatus.open

    /// Reads the recent and open orders; returns how many were indexed.
    @discardableResult
    public func load(now: Date) async throws -> Int {
        let since = Int64(now.timeIntervalSince1970) - Int64(Self.windowDays * 86_400)
        let recent = try await database.read { db in
            try await db.rows(Statement("SELECT number, title, content FROM work_orders WHERE created_at >= ?", [since]))
        }
        let open = try await database.read { db in
            try await db.rows(Statement(
                "SELECT number, title, content FROM work_orders WHERE status IN (\(Self.openStatuses.map { _ in "?" }.joined(separator: ", ")))",
                Self.openStatuses.map(\.rawValue)))
        }
        var fresh = BM25Index(tokenizer: Tokenizer(minGram: 2, maxGram: 2))
        for row in recent + open {
            let number = try row.decode(column: "number", as: Int64.self)
            guard !fresh.contains(number) else { continue }
            fresh.add(id: number, text: Self.text(title: try row.decode(column: "title", as: String.self), content: try row.decode(column: "content", as: String.self)))
        }
        let n = fresh.count
        index.withLock { $0 = fresh }
        return n
    }

    static func text(title: String, content: String) -> String { title + " " + String(content.prefix(indexedCharacters)) }

    /// Indexes a newly taken order.
    public func add(_ order: WorkOrder) {
        let text = Self.text(title: order.title, content: order.content)
        index.withLock { $0.add(id: order.number.rawValue, text: text) }
    }

    /// The most similar indexed orders, best first, without `excluding`.
    public func search(_ text: String, limit: Int, excluding: OrderNumber? = nil) -> [BM25Index.Hit] {
        let skip = excluding?.rawValue
        return index.withLock { $0.search(text, limit: limit) { $0 != skip } }
    }
}

extension SimilarOrders {
    /// Indexes those of `numbers` it does not hold yet (orders another instance took); returns how many it added.
    @discardableResult
    public func addMissing(_ numbers: [Int64]) async throws -> Int {
        let missing = index.withLock { index in numbers.filter { !index.contains($0) } }
        guard !missing.isEmpty else { return 0 }
        var added = 0
        for start in stride(from: 0, to: missing.count, by: 500) {
            let chunk = Array(missing[start..<min(start + 500, missing.count)])
            let rows = try await database.read { db in
                try await db.rows(Statement(
                    "SELECT number, title, content FROM work_orders WHERE number IN (\(chunk.map { _ in "?" }.joined(separator: ", ")))", chunk))
            }
            let entries = try rows.map { row in
                (try row.decode(column: "number", as: Int64.self),
                 Self.text(title: try row.decode(column: "title", as: String.self), content: try row.decode(column: "content", as: String.self)))
            }
            index.withLock { index in
                for (number, text) in entries where !index.contains(number) {
                    index.add(id: number, text: text)
                    added += 1
                }
            }
        }
        return added
    }

    /// Whether the order is indexed.
    public func contains(_ number: Int64) -> Bool { index.withLock { $0.contains(number) } }
}

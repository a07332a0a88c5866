import Foundation
import SQLKit

/// A SQL statement written with `?` placeholders, rendered in whichever dialect runs it
/// (`?` for SQLite, `$1...` for PostgreSQL).
struct Statement: SQLExpression {
    private enum Part {
        case text(String)
        case bind(any Encodable & Sendable)
    }

    private var parts: [Part] = []

    init(_ sql: String, _ binds: [any Encodable & Sendable] = []) {
        append(sql, binds)
    }

    /// Appends more SQL; its `?` placeholders take `binds` in order.
    mutating func append(_ sql: String, _ binds: [any Encodable & Sendable] = []) {
        let pieces = sql.split(separator: "?", omittingEmptySubsequences: false)
        precondition(pieces.count - 1 == binds.count, "placeholder count does not match binds in: \(sql)")
        for (index, piece) in pieces.enumerated() {
            if !piece.isEmpty { parts.append(.text(String(piece))) }
            if index < binds.count { parts.append(.bind(binds[index])) }
        }
    }

    func serialize(to serializer: inout SQLSerializer) {
        for part in parts {
            switch part {
            case .text(let text): serializer.write(text)
            case .bind(let value): serializer.write(bind: value)
            }
        }
    }
}

/// Collects rows handed over by the driver one at a time.
private final class RowCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [any SQLRow] = []

    func append(_ row: any SQLRow) {
        lock.lock()
        storage.append(row)
        lock.unlock()
    }

    var rows: [any SQLRow] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}

extension SQLDatabase {
    func rows(_ statement: Statement) async throws -> [any SQLRow] {
        let collector = RowCollector()
        try await execute(sql: statement) { collector.append($0) }
        return collector.rows
    }

    func firstRow(_ statement: Statement) async throws -> (any SQLRow)? {
        try await rows(statement).first
    }

    func run(_ statement: Statement) async throws {
        try await execute(sql: statement) { _ in }
    }

    func run(_ sql: String) async throws {
        try await run(Statement(sql))
    }
}

/// Wraps a value as `Encodable & Sendable` SQL bind, including `nil`.
func bindable<T: Encodable & Sendable>(_ value: T?) -> any Encodable & Sendable { value }

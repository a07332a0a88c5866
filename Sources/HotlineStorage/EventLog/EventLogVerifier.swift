import Foundation
import SQLKit

/// The result of checking every hash chain in the event log.
public struct ChainReport: Sendable, Equatable {
    public var ordersChecked = 0
    public var eventsChecked = 0
    /// The first broken link found, if any.
    public var firstBreak: ChainBreak?

    public var isIntact: Bool { firstBreak == nil }
}

public struct ChainBreak: Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the chain at `seq`.
    public enum Kind: Sendable, Equatable {
        /// An event is missing from the middle (the next one found has a later number).
        case missing(found: Int)
        /// The event does not link to the one before it.
        case brokenLink
        /// The event's content no longer matches its hash.
        case altered
        /// The log ends early (or late): the order's row records `expected` events and the last one's hash.
        case truncated(expected: Int, found: Int)
    }

    public var orderNumber: Int64
    public var seq: Int
    public var kind: Kind

    /// In English, for `hotline verify-log`.
    public var problem: String {
        switch kind {
        case .missing(let found): "event missing (found seq \(found))"
        case .brokenLink: "previous-hash link does not match the event before"
        case .altered: "content does not match its hash (altered)"
        case .truncated(let expected, let found): "order expects \(expected) events ending in its recorded hash; log has \(found)"
        }
    }

    /// In plain Chinese, for the order page (记录异常).
    public var chineseProblem: String {
        switch kind {
        case .missing: "第\(seq)条记录缺失"
        case .brokenLink: "第\(seq)条记录与前一条衔接不上"
        case .altered: "第\(seq)条记录的内容被改动过"
        case .truncated(let expected, let found): "应有\(expected)条记录，现存\(found)条，末尾记录缺失或被替换"
        }
    }

    public var description: String { "order \(orderNumber) event \(seq): \(problem)" }
}

/// `hotline verify-log`: walks each order's events in sequence and recomputes every hash.
public struct EventLogVerifier: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    /// Checks the chains, `batch` orders at a time; `progress` is told how many orders are done.
    public func verify(batch: Int = 2000, progress: (@Sendable (Int) -> Void)? = nil) async throws -> ChainReport {
        var report = ChainReport()
        var after: Int64 = 0
        while true {
            let start = after
            let numbers = try await database.read { db in
                try await db.rows(Statement(
                    "SELECT number, event_count, last_event_hash FROM work_orders WHERE number > ? ORDER BY number LIMIT ?", [start, batch]))
                    .map { (try $0.decode(column: "number", as: Int64.self), try $0.decode(column: "event_count", as: Int.self),
                            try $0.decode(column: "last_event_hash", as: String.self)) }
            }
            guard let last = numbers.last else { break }
            let events = try await database.read { db in
                try await db.rows(Statement(
                    "SELECT * FROM work_order_events WHERE order_number > ? AND order_number <= ? ORDER BY order_number, seq",
                    [start, last.0])).map(StoredEvent.init(row:))
            }
            var byOrder: [Int64: [StoredEvent]] = [:]
            for event in events { byOrder[event.orderNumber, default: []].append(event) }
            for (number, count, head) in numbers {
                report.ordersChecked += 1
                let chain = byOrder[number] ?? []
                report.eventsChecked += chain.count
                if report.firstBreak == nil { report.firstBreak = Self.check(chain, order: number, count: count, head: head) }
            }
            after = last.0
            progress?(report.ordersChecked)
            if report.firstBreak != nil { break }
        }
        return report
    }

    /// Checks one order's chain; nil when every link holds.
    public static func check(_ chain: [StoredEvent], order: Int64, count: Int, head: String) -> ChainBreak? {
        var previous = StoredEvent.genesisHash
        for (index, event) in chain.enumerated() {
            if event.seq != index + 1 {
                return ChainBreak(orderNumber: order, seq: index + 1, kind: .missing(found: event.seq))
            }
            if event.prevHash != previous {
                return ChainBreak(orderNumber: order, seq: event.seq, kind: .brokenLink)
            }
            if event.computedHash != event.hash {
                return ChainBreak(orderNumber: order, seq: event.seq, kind: .altered)
            }
            previous = event.hash
        }
        if chain.count != count || previous != head {
            return ChainBreak(orderNumber: order, seq: chain.count + 1, kind: .truncated(expected: count, found: chain.count))
        }
        return nil
    }
}

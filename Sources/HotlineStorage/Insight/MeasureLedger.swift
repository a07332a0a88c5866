import Foundation
import HotlineDomain
import SQLKit

/// Keeps the measures' read model in step with the orders (考评指标): every order write calls ``record(_:fresh:in:)`` in
/// its own transaction, which stores the order's ``MeasureFacts`` and adds the difference between its stored facts and
/// the new ones to the daily rollups (`measure_rollups`) of every dimension. Figures for any period then read a few
/// hundred rollup rows, never the orders.
enum MeasureLedger {
    /// The dimensions the rollups are kept by; `all` has the one key "".
    static let dimensions = ["all", "unit", "category", "district", "channel", "kind"]
    /// Set by migration 23 and removed when every stored order has been counted.
    static let backfillSetting = "measure_backfill"

    /// The stored form of an order's facts: its day, its key in each dimension (after `all`) and its counts.
    struct Row: Equatable {
        var day: Int
        var keys: [String]
        var counts: MeasureCounts

        init(_ facts: MeasureFacts) {
            day = facts.day.ordinal
            keys = [facts.unit ?? "", facts.categoryCode ?? "", facts.district ?? "", facts.channel.rawValue, facts.kind.rawValue]
            counts = facts.counts
        }

        init(row: any SQLRow) throws {
            day = try row.decode(column: "day", as: Int.self)
            keys = try ["unit_id", "category_code", "district", "channel", "kind"].map { try row.decode(column: $0, as: String.self) }
            counts = MeasureCounts(values: try MeasureCounts.columns.map { try row.decode(column: $0, as: Int.self) })
        }

        /// The rollup keys this row counts under: (dimension, day, key).
        /// Besides each dimension alone, a dispatched order counts under its lead unit joined with each other
        /// dimension (`unit.category` with the key `unit|code`, …), so a unit's people get every grouping from rollups.
        var rollupKeys: [RollupKey] {
            var all = [RollupKey(dimension: "all", day: day, key: "")]
                + zip(dimensions.dropFirst(), keys).map { RollupKey(dimension: $0, day: day, key: $1) }
            if let unit = keys.first, !unit.isEmpty {
                all += zip(dimensions.dropFirst(2), keys.dropFirst()).map { RollupKey(dimension: "unit." + $0, day: day, key: unit + "|" + $1) }
            }
            return all
        }
    }

    struct RollupKey: Hashable, Comparable {
        var dimension: String
        var day: Int
        var key: String

        static func < (a: RollupKey, b: RollupKey) -> Bool { (a.dimension, a.day, a.key) < (b.dimension, b.day, b.key) }
    }

    static let factColumns = ["order_number", "day", "unit_id", "category_code", "district", "channel", "kind"] + MeasureCounts.columns

    /// Stores the facts of `orders` as they now stand and moves the rollups by the difference from what was stored.
    /// `fresh` orders have no stored facts (new orders), which spares the read. Safe to call again with the same orders.
    static func record(_ orders: [WorkOrder], fresh: Bool = false, in db: any SQLDatabase) async throws {
        guard !orders.isEmpty else { return }
        var stored: [Int64: Row] = [:]
        if !fresh {
            for start in stride(from: 0, to: orders.count, by: 500) {
                let numbers: [any Encodable & Sendable] = orders[start..<min(start + 500, orders.count)].map(\.number.rawValue)
                for row in try await db.rows(Statement(
                    "SELECT * FROM measure_facts WHERE order_number IN (" + SQLWorkOrderStore.placeholders(numbers.count) + ")", numbers))
                {
                    stored[try row.decode(column: "order_number", as: Int64.self)] = try Row(row: row)
                }
            }
        }
        var delta: [RollupKey: MeasureCounts] = [:]
        var changed: [(Int64, Row)] = []
        for order in orders {
            let new = Row(MeasureFacts(order))
            let old = stored[order.number.rawValue]
            guard new != old else { continue }
            changed.append((order.number.rawValue, new))
            for key in new.rollupKeys { delta[key, default: MeasureCounts()] += new.counts }
            if let old { for key in old.rollupKeys { delta[key, default: MeasureCounts()] = delta[key, default: MeasureCounts()] - old.counts } }
        }
        guard !changed.isEmpty else { return }
        let perStatement = max(1, 20_000 / factColumns.count)
        for start in stride(from: 0, to: changed.count, by: perStatement) {
            let chunk = changed[start..<min(start + perStatement, changed.count)]
            var binds: [any Encodable & Sendable] = []
            for (number, row) in chunk {
                binds += [number, row.day] as [any Encodable & Sendable]
                binds += row.keys as [any Encodable & Sendable]
                binds += row.counts.values as [any Encodable & Sendable]
            }
            let assignments = factColumns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
            try await db.run(Statement(
                "INSERT INTO measure_facts (\(factColumns.joined(separator: ", "))) VALUES "
                    + Array(repeating: "(" + SQLWorkOrderStore.placeholders(factColumns.count) + ")", count: chunk.count).joined(separator: ", ")
                    + " ON CONFLICT (order_number) DO UPDATE SET " + assignments,
                binds))
        }
        // In key order, so that two transactions moving the same rollup rows take their locks in the same order.
        let moves = delta.filter { !$0.value.isZero }.sorted { $0.key < $1.key }
        let columns = ["dimension", "day", "key"] + MeasureCounts.columns
        let sums = MeasureCounts.columns.map { "\($0) = measure_rollups.\($0) + excluded.\($0)" }.joined(separator: ", ")
        let perRollup = max(1, 20_000 / columns.count)
        for start in stride(from: 0, to: moves.count, by: perRollup) {
            let chunk = moves[start..<min(start + perRollup, moves.count)]
            var binds: [any Encodable & Sendable] = []
            for (key, counts) in chunk {
                binds += [key.dimension, key.day, key.key] as [any Encodable & Sendable]
                binds += counts.values as [any Encodable & Sendable]
            }
            try await db.run(Statement(
                "INSERT INTO measure_rollups (\(columns.joined(separator: ", "))) VALUES "
                    + Array(repeating: "(" + SQLWorkOrderStore.placeholders(columns.count) + ")", count: chunk.count).joined(separator: ", ")
                    + " ON CONFLICT (dimension, day, key) DO UPDATE SET " + sums,
                binds))
        }
    }
}

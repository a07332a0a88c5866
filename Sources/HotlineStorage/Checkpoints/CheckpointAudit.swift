import Foundation
import SQLKit

/// What comparing the database with a checkpoint found.
public struct CheckpointAuditReport: Sendable, Equatable {
    public var checkpoint: Checkpoint
    /// Leaves the database keeps for the checkpoint.
    public var leavesStored = 0
    /// Whether those leaves hash to the checkpoint's signed root (false: the database's copy was altered or lost).
    public var leavesMatchRoot = false
    /// Orders whose chain head and document are as the checkpoint recorded them.
    public var unchanged = 0
    /// Orders with new events since: their chain still passes through the head the checkpoint recorded.
    public var extended = 0
    /// Orders whose chain no longer holds the head the checkpoint recorded: history rewritten (and the chain
    /// recomputed, if the chain itself still verifies).
    public var rewritten: [Int64] = []
    /// Orders whose document changed with no new event since the checkpoint.
    public var documentEdited: [Int64] = []
    /// Orders the checkpoint holds that the database no longer does.
    public var deleted: [Int64] = []
    /// Orders the checkpoint does not hold (created, or imported, after it): fine, counted.
    public var newOrders = 0

    public var isClean: Bool { leavesMatchRoot && rewritten.isEmpty && documentEdited.isEmpty && deleted.isEmpty }

    /// Plain English lines for `hotline verify-log`, problems first.
    public var lines: [String] {
        var out: [String] = []
        let name = "checkpoint \(checkpoint.sequence) (\(Checkpoint.formatTime(checkpoint.createdAt)), \(checkpoint.orderCount) orders)"
        if !leavesMatchRoot {
            out.append("TAMPERED: the database's leaves of \(name) (\(leavesStored) kept) do not hash to its signed root; the checkpoint's copy in the database was altered or removed")
        }
        for number in rewritten {
            out.append("TAMPERED: order \(number): history rewritten since \(name): its event chain no longer passes through the head the checkpoint signed")
        }
        for number in documentEdited {
            out.append("TAMPERED: order \(number): document (work_orders.doc) edited since \(name) without any new event")
        }
        for number in deleted {
            out.append("TAMPERED: order \(number): deleted since \(name)")
        }
        out.append("\(name): \(unchanged) orders unchanged, \(extended) with new events, \(newOrders) created after it"
            + (isClean ? "; every order in it accounted for" : "; \(rewritten.count) rewritten, \(documentEdited.count) edited, \(deleted.count) deleted"))
        return out
    }
}

/// Compares the orders in the database now with the leaves of a checkpoint the database keeps, after checking those
/// leaves against the checkpoint's signed root: which orders were rewritten, edited or deleted since.
public struct CheckpointAudit: Sendable {
    let database: HotlineDatabase
    let batch: Int

    public init(database: HotlineDatabase, batch: Int = 4096) {
        self.database = database
        self.batch = batch
    }

    public func run(against checkpoint: Checkpoint, profile: PhaseProfile? = nil) async throws -> CheckpointAuditReport {
        var report = CheckpointAuditReport(checkpoint: checkpoint)
        let sequence = checkpoint.sequence
        var chunkRoots: [MerkleTree.Hash] = []
        var pending: [MerkleTree.Hash] = []
        var indexesInOrder = true
        var after: Int64 = 0
        let batch = batch
        while true {
            let start = after
            let leaves = try await profile.measure("read leaves") {
                try await database.read { db in
                    try await db.rows(Statement(
                        "SELECT order_number, leaf_index, head, doc_hash FROM checkpoint_leaves WHERE sequence = ? AND order_number > ? ORDER BY order_number LIMIT ?",
                        [sequence, start, batch])).map { (try CheckpointStore.leaf(row: $0), try $0.decode(column: "leaf_index", as: Int.self)) }
                }
            }
            let end = leaves.count == batch ? leaves.last!.0.orderNumber : Int64.max
            for (offset, item) in leaves.enumerated() where item.1 != report.leavesStored + offset { indexesInOrder = false }
            report.leavesStored += leaves.count
            pending += try await profile.measure("hash leaves") { try await leaves.map(\.0).concurrentMap { $0.hash } }
            while pending.count >= CheckpointStore.chunkSize {
                chunkRoots.append(MerkleTree.root(Array(pending.prefix(CheckpointStore.chunkSize))))
                pending.removeFirst(CheckpointStore.chunkSize)
            }
            let orders = try await profile.measure("read orders") {
                try await database.read { db in
                    try await db.rows(Statement(
                        "SELECT number, last_event_hash, doc FROM work_orders WHERE number > ? AND number <= ? ORDER BY number", [start, end]))
                        .map { (try $0.decode(column: "number", as: Int64.self), try $0.decode(column: "last_event_hash", as: String.self),
                                try $0.decode(column: "doc", as: String.self)) }
                }
            }
            let current = try await profile.measure("hash documents") {
                try await orders.concurrentMap { number, head, doc in (number, head, CheckpointLeaf.documentHash(doc)) }
            }
            var now: [Int64: (head: String, doc: String)] = [:]
            now.reserveCapacity(current.count)
            for (number, head, doc) in current { now[number] = (head, doc) }
            var moved: [CheckpointLeaf] = []
            for (leaf, _) in leaves {
                guard let state = now.removeValue(forKey: leaf.orderNumber) else {
                    report.deleted.append(leaf.orderNumber)
                    continue
                }
                if state.head == leaf.head {
                    if state.doc == leaf.documentHash { report.unchanged += 1 } else { report.documentEdited.append(leaf.orderNumber) }
                } else {
                    moved.append(leaf)
                }
            }
            report.newOrders += now.count
            if !moved.isEmpty {
                let kept = try await profile.measure("check moved chains") { try await headsStillInChains(moved) }
                for leaf in moved {
                    if kept.contains(leaf.orderNumber) { report.extended += 1 } else { report.rewritten.append(leaf.orderNumber) }
                }
            }
            guard leaves.count == batch else { break }
            after = end
        }
        if !pending.isEmpty { chunkRoots.append(MerkleTree.root(pending)) }
        report.leavesMatchRoot = indexesInOrder && report.leavesStored == checkpoint.orderCount
            && MerkleTree.hex(MerkleTree.root(chunkRoots)) == checkpoint.root
        return report
    }

    /// The orders among `leaves` whose event log still holds the head the leaf recorded.
    func headsStillInChains(_ leaves: [CheckpointLeaf]) async throws -> Set<Int64> {
        var kept = Set<Int64>()
        for start in stride(from: 0, to: leaves.count, by: 500) {
            let part = Array(leaves[start..<min(start + 500, leaves.count)])
            let wanted = Set(part.map { "\($0.orderNumber) \($0.head)" })
            let numbers: [any Encodable & Sendable] = part.map(\.orderNumber)
            let found = try await database.read { db in
                try await db.rows(Statement(
                    "SELECT order_number, hash FROM work_order_events WHERE order_number IN (" + SQLWorkOrderStore.placeholders(numbers.count) + ")",
                    numbers)).map { "\(try $0.decode(column: "order_number", as: Int64.self)) \(try $0.decode(column: "hash", as: String.self))" }
            }
            for pair in found where wanted.contains(pair) { kept.insert(Int64(pair.prefix { $0 != " " })!) }
        }
        return kept
    }
}

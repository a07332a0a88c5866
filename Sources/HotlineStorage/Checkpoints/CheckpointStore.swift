import Foundation
import SQLKit

/// Makes, keeps and reads signed checkpoints (存证): the `checkpoints` log, and the latest checkpoint's leaves and chunk
/// roots for inclusion proofs and for naming the orders a later check finds changed.
public struct CheckpointStore: Sendable {
    let database: HotlineDatabase
    /// Leaves per chunk (a power of two): a proof reads one chunk's leaves and every chunk's root.
    static let chunkSize = 256
    /// Orders read, hashed and whose leaves are written per transaction (a multiple of `chunkSize`), so that a
    /// checkpoint of a million orders never holds the writer long.
    let batch: Int

    public init(database: HotlineDatabase, batch: Int = 4096) {
        self.database = database
        self.batch = max(Self.chunkSize, batch / Self.chunkSize * Self.chunkSize)
    }

    /// Makes one checkpoint now: every order's leaf (number, chain head, SHA-256 of its document) in number order,
    /// the Merkle root over them, the statement signed with `key`, appended to the log. The leaves of earlier
    /// checkpoints are dropped afterwards. Orders are read in batches, not in one snapshot: an order written while the
    /// checkpoint is made enters with the state it had when its batch was read, a state its own chain records.
    ///
    /// Before it signs, the database is compared with the previous checkpoint (``CheckpointAudit``): an order whose
    /// history was rewritten, whose document was edited without an event or which was deleted since — or previous
    /// leaves that no longer match their signed root — makes it refuse (``CheckpointRefused``) and sign nothing, so a
    /// tampered state is never signed over and the published log keeps the last honest root.
    public func make(key: CheckpointKey, at now: Date, profile: PhaseProfile? = nil) async throws -> Checkpoint {
        let last = try await latest()
        if let last {
            let report = try await profile.measure("audit against the previous checkpoint") {
                try await CheckpointAudit(database: database, batch: self.batch).run(against: last)
            }
            guard report.isClean else { throw CheckpointRefused(report: report) }
        }
        let sequence = (last?.sequence ?? 0) + 1
        try await dropLeaves { $0 >= sequence }
        var after: Int64 = 0
        var count = 0
        var chunkRoots: [MerkleTree.Hash] = []
        let batch = batch
        while true {
            let start = after
            let rows = try await profile.measure("read orders") {
                try await database.read { db in
                    try await db.rows(Statement(
                        "SELECT number, last_event_hash, doc FROM work_orders WHERE number > ? ORDER BY number LIMIT ?", [start, batch]))
                        .map { (try $0.decode(column: "number", as: Int64.self), try $0.decode(column: "last_event_hash", as: String.self),
                                try $0.decode(column: "doc", as: String.self)) }
                }
            }
            guard let end = rows.last?.0 else { break }
            let leaves = try await profile.measure("hash leaves") {
                try await rows.concurrentMap { number, head, doc in
                    CheckpointLeaf(orderNumber: number, head: head, documentHash: CheckpointLeaf.documentHash(doc))
                }
            }
            let hashes = try await profile.measure("hash leaves") { try await leaves.concurrentMap { $0.hash } }
            for chunk in stride(from: 0, to: hashes.count, by: Self.chunkSize) {
                chunkRoots.append(MerkleTree.root(Array(hashes[chunk..<min(chunk + Self.chunkSize, hashes.count)])))
            }
            let firstIndex = count
            let newRoots = Array(chunkRoots.suffix((leaves.count + Self.chunkSize - 1) / Self.chunkSize))
            try await profile.measure("write leaves") {
                try await database.transaction { db in
                    try await Self.insertLeaves(leaves, sequence: sequence, firstIndex: firstIndex, in: db)
                    try await Self.insertChunks(leaves, sequence: sequence, firstIndex: firstIndex, roots: newRoots, in: db)
                }
            }
            count += rows.count
            after = end
            if rows.count < batch { break }
        }
        let root = MerkleTree.hex(MerkleTree.root(chunkRoots))
        let checkpoint = try Checkpoint(sequence: sequence, createdAt: now, orderCount: count, root: root, previous: last?.hash ?? Checkpoint.genesis, key: key)
        try await database.transaction { db in
            try await db.run(Statement(
                """
                INSERT INTO checkpoints (sequence, created_at, order_count, merkle_root, previous_hash, key_id, public_key, statement, signature)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [checkpoint.sequence, Int64(checkpoint.createdAt.timeIntervalSince1970), checkpoint.orderCount, checkpoint.root,
                 checkpoint.previous, checkpoint.keyID, checkpoint.publicKey, checkpoint.statement, checkpoint.signature]))
        }
        try await profile.measure("drop older leaves") { try await dropLeaves { $0 < sequence } }
        return checkpoint
    }

    /// The newest checkpoint in the log.
    public func latest() async throws -> Checkpoint? {
        try await database.read { db in
            try await db.firstRow(Statement("SELECT * FROM checkpoints ORDER BY sequence DESC LIMIT 1")).map(Self.checkpoint(row:))
        }
    }

    /// Every checkpoint, oldest first (the log to publish).
    public func all() async throws -> [Checkpoint] {
        try await database.read { db in
            try await db.rows(Statement("SELECT * FROM checkpoints ORDER BY sequence")).map(Self.checkpoint(row:))
        }
    }

    /// Writes the log as JSON lines, oldest first; returns how many checkpoints it wrote.
    @discardableResult
    public func export(to path: String) async throws -> Int {
        let lines = try await all().map(\.publishedLine)
        let text = lines.map { $0 + "\n" }.joined()
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        return lines.count
    }

    /// The sequence of the checkpoint whose leaves are kept (the latest that finished), if any.
    func leavesSequence() async throws -> Int? {
        try await database.read { db in
            try await db.firstRow(Statement(
                "SELECT MAX(c.sequence) AS s FROM checkpoints c WHERE EXISTS (SELECT 1 FROM checkpoint_chunks k WHERE k.sequence = c.sequence)"))?
                .decode(column: "s", as: Int?.self)
        }
    }

    /// The inclusion proof of an order in the latest checkpoint that holds it; nil when the order came after it (or
    /// there is no checkpoint yet).
    public func proof(for order: Int64) async throws -> CheckpointProof? {
        guard let sequence = try await leavesSequence(),
              let checkpoint = try await database.read({ db in
                  try await db.firstRow(Statement("SELECT * FROM checkpoints WHERE sequence = ?", [sequence])).map(Self.checkpoint(row:))
              })
        else { return nil }
        return try await database.read { db in
            guard let row = try await db.firstRow(Statement(
                "SELECT leaf_index, head, doc_hash FROM checkpoint_leaves WHERE sequence = ? AND order_number = ?", [sequence, order]))
            else { return nil }
            let index = try row.decode(column: "leaf_index", as: Int.self)
            let leaf = CheckpointLeaf(orderNumber: order, head: try row.decode(column: "head", as: String.self),
                                      documentHash: try row.decode(column: "doc_hash", as: String.self))
            let chunkIndex = index / Self.chunkSize
            let roots = try await db.rows(Statement("SELECT root FROM checkpoint_chunks WHERE sequence = ? ORDER BY chunk_index", [sequence]))
                .map { MerkleTree.bytes(hex: try $0.decode(column: "root", as: String.self)) ?? [] }
            guard let first = try await db.firstRow(Statement(
                "SELECT first_order FROM checkpoint_chunks WHERE sequence = ? AND chunk_index = ?", [sequence, chunkIndex]))?
                .decode(column: "first_order", as: Int64.self)
            else { return nil }
            let size = min(Self.chunkSize, checkpoint.orderCount - chunkIndex * Self.chunkSize)
            let chunk = try await db.rows(Statement(
                "SELECT order_number, head, doc_hash FROM checkpoint_leaves WHERE sequence = ? AND order_number >= ? ORDER BY order_number LIMIT ?",
                [sequence, first, size])).map(Self.leaf(row:)).map(\.hash)
            guard chunk.count == size, roots.count == (checkpoint.orderCount + Self.chunkSize - 1) / Self.chunkSize else { return nil }
            let path = MerkleTree.path(index, chunkSize: Self.chunkSize, chunk: chunk, chunkRoots: roots)
            return CheckpointProof(checkpoint: checkpoint, leaf: leaf, leafIndex: index, path: path.map(MerkleTree.hex))
        }
    }

    static func insertLeaves(_ leaves: [CheckpointLeaf], sequence: Int, firstIndex: Int, in db: any SQLDatabase) async throws {
        for start in stride(from: 0, to: leaves.count, by: 1000) {
            let part = leaves[start..<min(start + 1000, leaves.count)]
            var binds: [any Encodable & Sendable] = []
            binds.reserveCapacity(part.count * 5)
            for (offset, leaf) in part.enumerated() {
                binds += [sequence, leaf.orderNumber, firstIndex + start + offset, leaf.head, leaf.documentHash] as [any Encodable & Sendable]
            }
            try await db.run(Statement(
                "INSERT INTO checkpoint_leaves (sequence, order_number, leaf_index, head, doc_hash) VALUES "
                    + Array(repeating: "(?, ?, ?, ?, ?)", count: part.count).joined(separator: ", "), binds))
        }
    }

    static func insertChunks(_ leaves: [CheckpointLeaf], sequence: Int, firstIndex: Int, roots: [MerkleTree.Hash], in db: any SQLDatabase) async throws {
        var binds: [any Encodable & Sendable] = []
        for (n, root) in roots.enumerated() {
            binds += [sequence, (firstIndex + n * chunkSize) / chunkSize, leaves[n * chunkSize].orderNumber, MerkleTree.hex(root)] as [any Encodable & Sendable]
        }
        guard !roots.isEmpty else { return }
        try await db.run(Statement(
            "INSERT INTO checkpoint_chunks (sequence, chunk_index, first_order, root) VALUES "
                + Array(repeating: "(?, ?, ?, ?)", count: roots.count).joined(separator: ", "), binds))
    }

    /// Deletes the leaves and chunks of the checkpoints `drop` picks, a batch per transaction.
    func dropLeaves(_ drop: @escaping @Sendable (Int) -> Bool) async throws {
        for (table, key) in [("checkpoint_leaves", "order_number"), ("checkpoint_chunks", "chunk_index")] {
            while true {
                let ends = try await database.read { db -> [Int] in
                    guard let row = try await db.firstRow(Statement("SELECT MIN(sequence) AS lo, MAX(sequence) AS hi FROM \(table)")) else { return [] }
                    return [try row.decode(column: "lo", as: Int?.self), try row.decode(column: "hi", as: Int?.self)].compactMap { $0 }
                }
                guard let victim = ends.first(where: drop) else { break }
                try await database.transaction { db in
                    try await db.run(Statement(
                        "DELETE FROM \(table) WHERE sequence = ? AND \(key) IN (SELECT \(key) FROM \(table) WHERE sequence = ? ORDER BY \(key) LIMIT 20000)",
                        [victim, victim]))
                }
            }
        }
    }

    static func checkpoint(row: any SQLRow) throws -> Checkpoint {
        try Checkpoint(statement: try row.decode(column: "statement", as: String.self), signature: try row.decode(column: "signature", as: String.self),
                       publicKey: try row.decode(column: "public_key", as: String.self))
    }

    static func leaf(row: any SQLRow) throws -> CheckpointLeaf {
        CheckpointLeaf(orderNumber: try row.decode(column: "order_number", as: Int64.self), head: try row.decode(column: "head", as: String.self),
                       documentHash: try row.decode(column: "doc_hash", as: String.self))
    }
}

/// An order's inclusion proof: its leaf, its place among the checkpoint's leaves and the audit path to the root.
public struct CheckpointProof: Sendable, Equatable {
    public var checkpoint: Checkpoint
    public var leaf: CheckpointLeaf
    public var leafIndex: Int
    /// Hex, from the leaf up.
    public var path: [String]

    /// Whether the path leads from the leaf to the checkpoint's root.
    public var verifies: Bool {
        guard let root = MerkleTree.bytes(hex: checkpoint.root) else { return false }
        let hashes = path.compactMap(MerkleTree.bytes(hex:))
        return hashes.count == path.count
            && MerkleTree.verify(leaf: leaf.hash, index: leafIndex, size: checkpoint.orderCount, path: hashes, root: root)
    }
}

extension HotlineServices {
    /// Signed checkpoints (存证).
    public var checkpoints: CheckpointStore { CheckpointStore(database: database) }
}

/// A checkpoint was not made: the database no longer agrees with the previous one (the report says how).
public struct CheckpointRefused: Error, CustomStringConvertible, Sendable {
    public var report: CheckpointAuditReport

    public var description: String {
        "no checkpoint signed: the database no longer agrees with the previous checkpoint\n" + report.lines.joined(separator: "\n")
    }
}

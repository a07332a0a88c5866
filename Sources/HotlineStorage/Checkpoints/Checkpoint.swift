import Crypto
import Foundation

/// A signed checkpoint (存证): the Merkle root over every order's leaf at one moment, its sequence number and the hash of
/// the checkpoint before it, so that the checkpoints are a chain of their own.
///
/// The signed statement is plain text, one `name value` pair a line, in this order:
///
///     hotline-checkpoint v1
///     sequence 3
///     created_at 2026-12-01T10:00:00+08:00
///     order_count 1000000
///     merkle_root <64 hex digits>
///     previous <64 hex digits: SHA-256 of the previous checkpoint's statement; 64 zeros for the first>
///     key_id <16 hex digits: the signing key's fingerprint>
public struct Checkpoint: Sendable, Equatable {
    public var sequence: Int
    public var createdAt: Date
    public var orderCount: Int
    /// Hex.
    public var root: String
    /// Hex: SHA-256 of the previous checkpoint's statement.
    public var previous: String
    public var keyID: String
    /// Base64 of the signer's public key (kept beside; the published key is what a reader trusts).
    public var publicKey: String
    public var statement: String
    /// Base64 Ed25519 signature over the statement's UTF-8 bytes.
    public var signature: String

    public static let genesis = String(repeating: "0", count: 64)

    /// This checkpoint's hash, which the next one names as `previous`.
    public var hash: String { MerkleTree.hex(SHA256.hash(data: Data(statement.utf8))) }

    /// Builds and signs the statement.
    public init(sequence: Int, createdAt: Date, orderCount: Int, root: String, previous: String, key: CheckpointKey) throws {
        self.sequence = sequence
        self.createdAt = Date(timeIntervalSince1970: createdAt.timeIntervalSince1970.rounded(.down))
        self.orderCount = orderCount
        self.root = root
        self.previous = previous
        keyID = key.publicKey.keyID
        publicKey = key.publicKey.base64
        statement = Self.statement(sequence: sequence, createdAt: self.createdAt, orderCount: orderCount, root: root, previous: previous, keyID: keyID)
        signature = try key.sign(statement)
    }

    /// Reads a checkpoint from its statement and signature (the published form); throws when the statement is malformed.
    public init(statement: String, signature: String, publicKey: String) throws {
        var fields: [String: String] = [:]
        let lines = statement.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first == "hotline-checkpoint v1" else { throw CheckpointError.log("not a hotline checkpoint statement") }
        for line in lines.dropFirst() {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        guard let sequence = fields["sequence"].flatMap(Int.init), let created = fields["created_at"].flatMap(Self.parseTime),
              let count = fields["order_count"].flatMap(Int.init), let root = fields["merkle_root"], let previous = fields["previous"],
              let keyID = fields["key_id"]
        else { throw CheckpointError.log("a checkpoint statement lacks a field: \(statement.prefix(80))") }
        self.sequence = sequence
        createdAt = created
        orderCount = count
        self.root = root
        self.previous = previous
        self.keyID = keyID
        self.publicKey = publicKey
        self.statement = statement
        self.signature = signature
        guard statement == Self.statement(sequence: sequence, createdAt: created, orderCount: count, root: root, previous: previous, keyID: keyID) else {
            throw CheckpointError.log("checkpoint \(sequence): the statement is not in the canonical form")
        }
    }

    static func statement(sequence: Int, createdAt: Date, orderCount: Int, root: String, previous: String, keyID: String) -> String {
        [
            "hotline-checkpoint v1",
            "sequence \(sequence)",
            "created_at \(formatTime(createdAt))",
            "order_count \(orderCount)",
            "merkle_root \(root)",
            "previous \(previous)",
            "key_id \(keyID)",
        ].joined(separator: "\n")
    }

    static func formatTime(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        return formatter.string(from: date)
    }

    static func parseTime(_ text: String) -> Date? { ISO8601DateFormatter().date(from: text) }

    /// Whether `key` signed this statement.
    public func isSigned(by key: CheckpointPublicKey) -> Bool { key.isValid(signature: signature, for: statement) }
}

extension Checkpoint {
    /// One line of the published log (JSON lines): the statement, the signature, and its fields repeated for reading.
    public var publishedLine: String {
        let object: [String: Any] = [
            "sequence": sequence, "created_at": Self.formatTime(createdAt), "order_count": orderCount, "merkle_root": root,
            "previous": previous, "key_id": keyID, "public_key": publicKey, "statement": statement, "signature": signature,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads a published line; the statement and signature are what count, the repeated fields must agree with them.
    public init(publishedLine line: String) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let statement = object["statement"] as? String, let signature = object["signature"] as? String
        else { throw CheckpointError.log("a line of the checkpoint log is not a checkpoint: \(line.prefix(80))") }
        try self.init(statement: statement, signature: signature, publicKey: object["public_key"] as? String ?? "")
        if let root = object["merkle_root"] as? String, root != self.root {
            throw CheckpointError.log("checkpoint \(sequence): the line's merkle_root differs from its signed statement")
        }
    }
}

/// One order's leaf in a checkpoint: its number, the head of its event log's hash chain, and SHA-256 of its document.
public struct CheckpointLeaf: Sendable, Equatable {
    public var orderNumber: Int64
    /// Hex.
    public var head: String
    /// Hex.
    public var documentHash: String

    public init(orderNumber: Int64, head: String, documentHash: String) {
        self.orderNumber = orderNumber
        self.head = head
        self.documentHash = documentHash
    }

    /// The order's current document hashed as stored (its UTF-8 bytes).
    public static func documentHash(_ doc: String) -> String { MerkleTree.hex(SHA256.hash(data: Data(doc.utf8))) }

    /// The leaf's bytes: the order number as 8 bytes big-endian, then the chain head's 32 bytes, then the document
    /// hash's 32 bytes; its hash in the tree is SHA-256 over 0x00 and those 72 bytes.
    public var bytes: [UInt8] {
        var out = withUnsafeBytes(of: orderNumber.bigEndian, Array.init)
        out += MerkleTree.bytes(hex: head) ?? Array(head.utf8)
        out += MerkleTree.bytes(hex: documentHash) ?? Array(documentHash.utf8)
        return out
    }

    public var hash: MerkleTree.Hash { MerkleTree.leafHash(bytes) }
}

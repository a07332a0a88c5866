import Crypto
import Foundation
import HotlineDomain
import SQLKit

/// A file received for an order, checked against ``AttachmentPolicy`` and ready to store.
public struct AttachmentUpload: Sendable {
    public var info: AttachmentInfo
    public var data: Data

    /// Checks one file: a clean name, an accepted type recognised from its bytes, the size limit.
    public init(name: String, data: Data) throws(AttachmentPolicy.Refusal) {
        let clean = try AttachmentPolicy.cleanName(name)
        let type = try AttachmentPolicy.type(of: [UInt8](data), name: clean)
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        info = AttachmentInfo(name: clean, contentType: type.contentType, size: data.count, sha256: digest)
        self.data = data
    }

    /// Checks a reply's files together: their number and total size.
    public static func checkSet(_ files: [AttachmentUpload]) throws(AttachmentPolicy.Refusal) {
        try AttachmentPolicy.checkSet(sizes: files.map(\.info.size))
    }
}

/// A stored attachment with its bytes.
public struct StoredAttachment: Sendable {
    public var order: OrderNumber
    public var info: AttachmentInfo
    public var uploadedBy: String
    public var uploadedAt: Date
    public var data: Data
}

/// Reads attachments (附件) of orders. They are written only together with the reply that carries them
/// (``WorkOrderStore/update(_:attaching:_:)``), and the table is append-only.
public struct AttachmentStore: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    /// The attachment of `order` with this digest, if the order has one.
    public func attachment(of order: OrderNumber, sha256: String) async throws -> StoredAttachment? {
        guard sha256.count == 64, sha256.allSatisfy(\.isHexDigit) else { return nil }
        return try await database.read { db in
            guard let row = try await db.firstRow(Statement(
                "SELECT name, content_type, size, uploaded_by, uploaded_at, data FROM order_attachments WHERE order_number = ? AND sha256 = ?",
                [order.rawValue, sha256.lowercased()])) else { return nil }
            return StoredAttachment(
                order: order,
                info: AttachmentInfo(name: try row.decode(column: "name", as: String.self), contentType: try row.decode(column: "content_type", as: String.self),
                                     size: try row.decode(column: "size", as: Int.self), sha256: sha256.lowercased()),
                uploadedBy: try row.decode(column: "uploaded_by", as: String.self),
                uploadedAt: Date(timeIntervalSince1970: TimeInterval(try row.decode(column: "uploaded_at", as: Int64.self))),
                data: try row.decode(column: "data", as: Data.self))
        }
    }

    /// How many attachments the order has stored (all replies so far).
    public func count(of order: OrderNumber) async throws -> Int {
        try await database.read { db in
            try await db.firstRow(Statement("SELECT COUNT(*) AS n FROM order_attachments WHERE order_number = ?", [order.rawValue]))?
                .decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// Stores files inside the caller's transaction; a file the order already has (same digest) is kept once.
    static func insert(_ files: [AttachmentUpload], order: OrderNumber, by event: WorkOrderEvent?, in db: any SQLDatabase) async throws {
        let by = event?.actor.userID ?? ""
        let at = Int64((event?.at ?? Date()).timeIntervalSince1970)
        for file in files {
            try await db.run(Statement(
                """
                INSERT INTO order_attachments (order_number, sha256, name, content_type, size, uploaded_by, uploaded_at, data)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (order_number, sha256) DO NOTHING
                """,
                [order.rawValue, file.info.sha256 ?? "", file.info.name, file.info.contentType, file.info.size, by, at, file.data]))
        }
    }
}

import Crypto
import Foundation
import HotlineDomain

/// An event as the log holds it: numbered within its order and chained to the one before by SHA-256.
public struct StoredEvent: Sendable, Equatable, Codable {
    public var orderNumber: Int64
    public var seq: Int
    public var kind: String
    public var actorID: String
    public var actorRole: String
    public var actorUnit: String?
    public var atMillis: Int64
    public var fromStatus: String?
    public var toStatus: String
    public var note: String?
    /// Canonical JSON of the event's details (sorted keys).
    public var details: String
    public var prevHash: String
    public var hash: String

    /// The hash that precedes an order's first event.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// Builds the stored form of `event`, chained after `prevHash`.
    init(event: WorkOrderEvent, order: OrderNumber, seq: Int, prevHash: String) {
        orderNumber = order.rawValue
        self.seq = seq
        kind = event.kind.rawValue
        actorID = event.actor.userID
        actorRole = event.actor.role.rawValue
        actorUnit = event.actor.unit
        atMillis = event.at.epochMilliseconds
        fromStatus = event.fromStatus?.rawValue
        toStatus = event.toStatus.rawValue
        note = event.note
        details = StoredEvent.canonicalJSON(event.details)
        self.prevHash = prevHash
        hash = ""
        hash = computedHash
    }

    /// SHA-256 over the previous hash and every field of this event, in a fixed layout.
    public var computedHash: String {
        var text = prevHash
        for field in [String(orderNumber), String(seq), kind, actorID, actorRole, actorUnit ?? "\u{0}", String(atMillis),
                      fromStatus ?? "\u{0}", toStatus, note ?? "\u{0}", details] {
            // Length-prefixing each field makes the layout unambiguous whatever the fields contain.
            text += "\n\(field.utf8.count):\(field)"
        }
        return Self.hex(SHA256.hash(data: Data(text.utf8)))
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for byte in digest {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func canonicalJSON(_ details: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(details), as: UTF8.self)) ?? "{}"
    }

    public var date: Date { Date(timeIntervalSince1970: TimeInterval(atMillis) / 1000) }

    public var detailValues: [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(details.utf8))) ?? [:]
    }
}

import SQLKit

extension StoredEvent {
    /// Reads a `work_order_events` row.
    init(row: any SQLRow) throws {
        orderNumber = try row.decode(column: "order_number", as: Int64.self)
        seq = try row.decode(column: "seq", as: Int.self)
        kind = try row.decode(column: "kind", as: String.self)
        actorID = try row.decode(column: "actor_id", as: String.self)
        actorRole = try row.decode(column: "actor_role", as: String.self)
        actorUnit = try row.decode(column: "actor_unit", as: String?.self)
        atMillis = try row.decode(column: "at_ms", as: Int64.self)
        fromStatus = try row.decode(column: "from_status", as: String?.self)
        toStatus = try row.decode(column: "to_status", as: String.self)
        note = try row.decode(column: "note", as: String?.self)
        details = try row.decode(column: "details", as: String.self)
        prevHash = try row.decode(column: "prev_hash", as: String.self)
        hash = try row.decode(column: "hash", as: String.self)
    }
}

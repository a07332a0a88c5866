import Foundation
import HotlineDomain
import SQLKit

/// A message received through a channel gateway (渠道接入): what makes its intake exactly-once. An order made from it
/// and its `channel_messages` row are written in one transaction, so a retried delivery of the same message id finds
/// the first delivery's order instead of making a second.
public struct ChannelMessageKey: Sendable, Hashable {
    public var channel: Channel
    /// The gateway's id of the message (WeChat's `MsgId`, the SMS gateway's message id, …).
    public var messageID: String
    /// Who sent it as the channel knows them: a phone number, an openid, an app user id, an e-mail address.
    public var sender: String
    public var receivedAt: Date

    public init(channel: Channel, messageID: String, sender: String, receivedAt: Date) {
        self.channel = channel
        self.messageID = messageID
        self.sender = sender
        self.receivedAt = receivedAt
    }

    /// The message's identity: its channel and id (the sender and time of a retry may differ).
    struct ID: Hashable, Comparable {
        var channel: String
        var message: String

        static func < (a: ID, b: ID) -> Bool { (a.channel, a.message) < (b.channel, b.message) }
    }

    var id: ID { ID(channel: channel.rawValue, message: messageID) }
}

/// A request's message was already received and made order `order` (a retried delivery): no new order was made.
public struct DuplicateMessage: Error, Equatable, Sendable {
    public var order: OrderNumber

    public init(order: OrderNumber) { self.order = order }
}

/// The `channel_messages` rows of a batch of new orders, inside the batch's transaction.
enum ChannelMessageLedger {
    /// Claims each message's row before any number is taken: one multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING`
    /// in key order (two transactions claiming the same messages lock them in the same order; on PostgreSQL a claim of
    /// a row another open transaction inserted waits for it and then loses cleanly). Returns the messages this batch
    /// won, and for the others the order their earlier delivery made.
    static func claim(_ keys: [ChannelMessageKey], in db: any SQLDatabase) async throws -> (won: Set<ChannelMessageKey.ID>, earlier: [ChannelMessageKey.ID: OrderNumber]) {
        var first: [ChannelMessageKey.ID: ChannelMessageKey] = [:]
        for key in keys where first[key.id] == nil { first[key.id] = key }
        let sorted = first.keys.sorted()
        var won: Set<ChannelMessageKey.ID> = []
        for start in stride(from: 0, to: sorted.count, by: 500) {
            let chunk = sorted[start..<min(start + 500, sorted.count)]
            let binds = chunk.flatMap { id -> [any Encodable & Sendable] in
                let key = first[id]!
                return [id.channel, id.message, key.sender, key.receivedAt.epochMilliseconds]
            }
            let rows = try await db.rows(Statement(
                "INSERT INTO channel_messages (channel, message_id, sender, received_ms) VALUES "
                    + Array(repeating: "(?, ?, ?, ?)", count: chunk.count).joined(separator: ", ")
                    + " ON CONFLICT (channel, message_id) DO NOTHING RETURNING channel, message_id",
                binds))
            for row in rows {
                won.insert(ChannelMessageKey.ID(
                    channel: try row.decode(column: "channel", as: String.self), message: try row.decode(column: "message_id", as: String.self)))
            }
        }
        var earlier: [ChannelMessageKey.ID: OrderNumber] = [:]
        for id in sorted where !won.contains(id) {
            let number = try await db.firstRow(Statement(
                "SELECT order_number FROM channel_messages WHERE channel = ? AND message_id = ?", [id.channel, id.message]))?
                .decode(column: "order_number", as: Int64?.self)
            // A committed row always names its order: it is written in the transaction that made the order.
            guard let number else { throw DatabaseError.corrupt("channel_messages") }
            earlier[id] = OrderNumber(rawValue: number)
        }
        return (won, earlier)
    }

    /// Names the order each won message made, and gives back the claims whose order was not made (the request was
    /// refused), so the message may come again.
    static func settle(made: [ChannelMessageKey.ID: OrderNumber], unused: [ChannelMessageKey.ID], in db: any SQLDatabase) async throws {
        // One statement per 500 messages, in key order (the order the claims locked them in).
        let named = made.sorted(by: { $0.key < $1.key })
        for start in stride(from: 0, to: named.count, by: 500) {
            let chunk = named[start..<min(start + 500, named.count)]
            try await db.run(Statement(
                "WITH v (channel, message_id, order_number) AS (VALUES "
                    + Array(repeating: "(?, ?, ?)", count: chunk.count).joined(separator: ", ")
                    + ") UPDATE channel_messages SET order_number = v.order_number FROM v "
                    + "WHERE channel_messages.channel = v.channel AND channel_messages.message_id = v.message_id",
                chunk.flatMap { id, number -> [any Encodable & Sendable] in [id.channel, id.message, number.rawValue] }))
        }
        for id in unused.sorted() {
            try await db.run(Statement("DELETE FROM channel_messages WHERE channel = ? AND message_id = ?", [id.channel, id.message]))
        }
    }
}

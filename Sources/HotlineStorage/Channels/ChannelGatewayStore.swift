import Foundation
import HotlineDomain
import SQLKit

/// A channel's gateway (渠道接入) as an admin sees it: whether it is on, where its outbound messages go, and whether its
/// secrets are set. The secrets themselves are read only by the gateway that checks a request and the sender that signs.
public struct ChannelGateway: Sendable, Equatable {
    public var channel: Channel
    public var enabled: Bool
    public var outboundURL: String
    public var hasInboundSecret: Bool
    public var hasOutboundSecret: Bool
    public var updatedAt: Date
    public var updatedBy: String

    public init(
        channel: Channel, enabled: Bool, outboundURL: String, hasInboundSecret: Bool, hasOutboundSecret: Bool, updatedAt: Date, updatedBy: String
    ) {
        self.channel = channel
        self.enabled = enabled
        self.outboundURL = outboundURL
        self.hasInboundSecret = hasInboundSecret
        self.hasOutboundSecret = hasOutboundSecret
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }
}

/// Each channel's gateway settings (`channel_gateways`) and the messages received through them (`channel_messages`).
public struct ChannelGatewayStore: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    /// Every configured gateway, by channel.
    public func gateways() async throws -> [ChannelGateway] {
        try await database.read { db in
            try await db.rows(Statement("SELECT * FROM channel_gateways ORDER BY channel")).map(Self.gateway)
        }
    }

    /// One channel's gateway, nil when it was never configured.
    public func gateway(of channel: Channel) async throws -> ChannelGateway? {
        try await database.read { db in
            try await db.firstRow(Statement("SELECT * FROM channel_gateways WHERE channel = ?", [channel.rawValue])).map(Self.gateway)
        }
    }

    /// The secret a channel's inbound requests are checked with, when its gateway is on and has one; nil otherwise.
    public func inboundSecret(of channel: Channel) async throws -> String? {
        try await database.read { db in
            try await db.firstRow(Statement(
                "SELECT inbound_secret FROM channel_gateways WHERE channel = ? AND enabled = 1 AND inbound_secret <> ''", [channel.rawValue]))
                .map { try $0.decode(column: "inbound_secret", as: String.self) }
        }
    }

    static func gateway(_ row: any SQLRow) throws -> ChannelGateway {
        ChannelGateway(
            channel: Channel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .other,
            enabled: try row.decode(column: "enabled", as: Int.self) != 0,
            outboundURL: try row.decode(column: "outbound_url", as: String.self),
            hasInboundSecret: !(try row.decode(column: "inbound_secret", as: String.self)).isEmpty,
            hasOutboundSecret: !(try row.decode(column: "outbound_secret", as: String.self)).isEmpty,
            updatedAt: Date(timeIntervalSince1970: TimeInterval(try row.decode(column: "updated_ms", as: Int64.self)) / 1000),
            updatedBy: try row.decode(column: "updated_by", as: String.self))
    }

    /// Sets a channel's gateway with its audit line, in one transaction; a nil secret keeps the one stored.
    public func setGateway(
        _ channel: Channel, enabled: Bool, outboundURL: String, inboundSecret: String?, outboundSecret: String?, by user: String, at now: Date,
        audit entry: AuditEntry
    ) async throws {
        let keep = (inboundSecret == nil ? [] : ["inbound_secret = excluded.inbound_secret"])
            + (outboundSecret == nil ? [] : ["outbound_secret = excluded.outbound_secret"])
        try await database.transaction { db in
            try await db.run(Statement(
                """
                INSERT INTO channel_gateways (channel, inbound_secret, outbound_url, outbound_secret, enabled, updated_ms, updated_by)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (channel) DO UPDATE SET outbound_url = excluded.outbound_url, enabled = excluded.enabled,
                updated_ms = excluded.updated_ms, updated_by = excluded.updated_by
                """ + keep.map { ", " + $0 }.joined(),
                [channel.rawValue, inboundSecret ?? "", outboundURL, outboundSecret ?? "", enabled ? 1 : 0, now.epochMilliseconds, user]))
            try await AuditLog.append(entry, in: db)
        }
    }

    /// The order a channel's message made, nil when the message was never received.
    public func order(ofMessage id: String, channel: Channel) async throws -> OrderNumber? {
        try await database.read { db in
            try await db.firstRow(Statement(
                "SELECT order_number FROM channel_messages WHERE channel = ? AND message_id = ?", [channel.rawValue, id]))
                .flatMap { try $0.decode(column: "order_number", as: Int64?.self) }.map(OrderNumber.init(rawValue:))
        }
    }
}

extension HotlineServices {
    /// The channel gateways' settings and received messages (渠道接入).
    public var channelGateways: ChannelGatewayStore { ChannelGatewayStore(database: database) }
}

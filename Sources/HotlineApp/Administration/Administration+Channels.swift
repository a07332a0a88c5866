import Foundation
import HotlineDomain
import HotlineStorage

extension AdminInput {
    /// A channel's gateway as the API's JSON and the console's form give it: whether it is on, the outbound webhook's
    /// address, and new secrets (absent or blank: keep the ones set).
    public struct ChannelGatewayInput: Decodable, Sendable, Equatable {
        public var enabled: Bool?
        public var outboundURL: String?
        public var inboundSecret: String?
        public var outboundSecret: String?

        /// The front ends decode with snake_case keys converted (`outbound_url` → `outboundUrl`).
        enum CodingKeys: String, CodingKey {
            case enabled, outboundURL = "outboundUrl", inboundSecret, outboundSecret
        }

        public init(enabled: Bool? = nil, outboundURL: String? = nil, inboundSecret: String? = nil, outboundSecret: String? = nil) {
            self.enabled = enabled
            self.outboundURL = outboundURL
            self.inboundSecret = inboundSecret
            self.outboundSecret = outboundSecret
        }
    }
}

extension Administration {
    /// WeChat's token: 3 to 32 letters and digits, as the official account's settings allow.
    public static let wechatTokenRange = 3...32

    /// The gateways of every channel that has one (渠道接入), configured or not.
    public func channelGateways(by admin: UserAccount) async throws -> [Channel: ChannelGateway] {
        try require(.manageAPIKeys, admin)
        return Dictionary(uniqueKeysWithValues: try await services.channelGateways.gateways().map { ($0.channel, $0) })
    }

    /// One channel's gateway; nil when it was never configured. A channel without a gateway answers as not found.
    public func channelGateway(of channel: Channel, by admin: UserAccount) async throws -> ChannelGateway? {
        try require(.manageAPIKeys, admin)
        guard channel.hasGateway else { throw AppError.notFound(what: "渠道") }
        return try await services.channelGateways.gateway(of: channel)
    }

    /// Sets a channel's gateway: the inbound secret (WeChat's token of 3 to 32 letters and digits; for the other channels
    /// an HMAC key of 16 to 200 characters) required the first time, an optional http(s) outbound address with its
    /// signing secret, on or off. Audited without the secrets.
    public func setChannelGateway(
        of channel: Channel, _ input: AdminInput.ChannelGatewayInput, by admin: UserAccount, client: String, at now: Date
    ) async throws -> ChannelGateway {
        try require(.manageAPIKeys, admin)
        guard channel.hasGateway else { throw AppError.notFound(what: "渠道") }
        let url = (input.outboundURL ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !url.isEmpty {
            guard url.count <= Self.webhookURLLimit else { throw AppError.invalid(field: "outbound_url", message: "出站地址不能超过\(Self.webhookURLLimit)个字符") }
            guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(), ["http", "https"].contains(scheme),
                  let host = parts.host, !host.isEmpty, parts.user == nil, parts.password == nil
            else { throw AppError.invalid(field: "outbound_url", message: "出站地址应以 http:// 或 https:// 开头，且不含用户名和密码") }
        }
        let inbound = (input.inboundSecret ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !inbound.isEmpty {
            if channel == .wechat {
                guard Self.wechatTokenRange.contains(inbound.count), inbound.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                    throw AppError.invalid(field: "inbound_secret", message: "微信令牌（Token）应为3到32位英文字母或数字")
                }
            } else {
                try Self.checkSecret(inbound, field: "inbound_secret", name: "接入密钥")
            }
        }
        let outbound = (input.outboundSecret ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !outbound.isEmpty { try Self.checkSecret(outbound, field: "outbound_secret", name: "出站签名密钥") }
        let existing = try await services.channelGateways.gateway(of: channel)
        guard !inbound.isEmpty || existing?.hasInboundSecret == true else {
            throw AppError.invalid(field: "inbound_secret", message: channel == .wechat ? "请设置微信令牌（Token）" : "请设置接入密钥")
        }
        guard url.isEmpty || !outbound.isEmpty || existing?.hasOutboundSecret == true else {
            throw AppError.invalid(field: "outbound_secret", message: "填写出站地址时请设置出站签名密钥")
        }
        let enabled = input.enabled ?? true
        try await services.channelGateways.setGateway(
            channel, enabled: enabled, outboundURL: url, inboundSecret: inbound.isEmpty ? nil : inbound,
            outboundSecret: outbound.isEmpty ? nil : outbound, by: admin.id, at: now,
            audit: AuditEntry(
                at: now, actor: admin.actor, action: .channelGatewayChanged, target: channel.rawValue,
                detail: "enabled=\(enabled) outbound_url=\(url) inbound_secret=\(inbound.isEmpty ? "kept" : "changed") "
                    + "outbound_secret=\(outbound.isEmpty ? "kept" : "changed")",
                client: client))
        guard let saved = try await services.channelGateways.gateway(of: channel) else { throw AppError.notFound(what: "渠道") }
        return saved
    }

    static func checkSecret(_ secret: String, field: String, name: String) throws {
        guard webhookSecretRange.contains(secret.count) else {
            throw AppError.invalid(field: field, message: "\(name)应为\(webhookSecretRange.lowerBound)到\(webhookSecretRange.upperBound)个字符")
        }
        guard secret.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw AppError.invalid(field: field, message: "\(name)只能包含英文字母、数字和符号，不能有空格")
        }
    }

    /// A page of the channels' outbox, newest first; `channel` and `state` nil for all.
    public func channelDeliveries(
        channel: Channel?, state: WebhookDelivery.State?, page: Int = 1, size: Int = 50, by admin: UserAccount
    ) async throws -> (items: [ChannelDelivery], hasMore: Bool) {
        try require(.manageAPIKeys, admin)
        guard page >= 1 else { throw AppError.invalid(field: "page", message: "页码应为正整数") }
        guard (1...100).contains(size) else { throw AppError.invalid(field: "size", message: "每页条数应在1到100之间") }
        var found = try await services.channelOutbox.deliveries(channel: channel, state: state, page: page, size: size)
        // A one-time code is the citizen's alone: nobody reads it back from the outbox, admins included.
        for i in found.items.indices where found.items[i].key.hasPrefix("otp-") {
            found.items[i].body = Self.maskingCodes(found.items[i].body)
        }
        return found
    }

    /// `text` with every run of exactly six digits (a one-time code) as ******.
    static func maskingCodes(_ text: String) -> String {
        var result = "", run = ""
        func flush() {
            result += run.count == 6 ? "******" : run
            run = ""
        }
        for character in text {
            if character.isASCII && character.isNumber { run.append(character) } else { flush(); result.append(character) }
        }
        flush()
        return result
    }

    /// 匿名反映: whether the city takes requests on the portal without a phone number.
    public func portalAnonymousAllowed(by admin: UserAccount) async throws -> Bool {
        try require(.manageAPIKeys, admin)
        return try await CitizenAccessStore(database: services.database).anonymousAllowed()
    }

    /// Sets whether the portal takes anonymous requests. Audited.
    public func setPortalAnonymousAllowed(_ allowed: Bool, by admin: UserAccount, client: String, at now: Date) async throws {
        try require(.manageAPIKeys, admin)
        try await CitizenAccessStore(database: services.database).setAnonymousAllowed(allowed, audit: AuditEntry(
            at: now, actor: admin.actor, action: .portalSettingsChanged, target: "portal_anonymous", detail: allowed ? "allowed" : "refused", client: client))
    }

    /// 重新投递: a channel message that became a dead letter goes back in the queue, due at once. Audited.
    public func requeueChannelDelivery(_ id: Int64, by admin: UserAccount, client: String, at now: Date) async throws -> ChannelDelivery {
        try require(.manageAPIKeys, admin)
        guard let delivery = try await services.channelOutbox.delivery(id) else { throw AppError.notFound(what: "渠道消息") }
        guard delivery.state == .dead else {
            throw AppError.conflict(code: "not_dead", message: "只有死信可以重新投递（这条消息\(delivery.state.chineseName)）", field: nil)
        }
        guard try await services.channelOutbox.requeue(id, at: now, audit: AuditEntry(
            at: now, actor: admin.actor, action: .channelMessageRequeued, target: String(id),
            detail: "channel=\(delivery.channel.rawValue) order=\(delivery.order.map { String($0.rawValue) } ?? "-") tries=\(delivery.tries)", client: client))
        else { throw AppError.conflict(code: "not_dead", message: "这条消息已不是死信", field: nil) }
        guard let requeued = try await services.channelOutbox.delivery(id) else { throw AppError.notFound(what: "渠道消息") }
        return requeued
    }
}

import Foundation
import HotlineDomain
import HotlineStorage

extension AdminInput {
    /// A unit's webhook as the API's JSON and the console's form give it: the receiver's address, a new secret (absent or
    /// blank: keep the one set) and whether it is on.
    public struct WebhookInput: Decodable, Sendable, Equatable {
        public var url: String?
        public var secret: String?
        public var enabled: Bool?

        public init(url: String? = nil, secret: String? = nil, enabled: Bool? = nil) {
            self.url = url
            self.secret = secret
            self.enabled = enabled
        }
    }
}

extension Administration {
    /// Longest receiver address and secret.
    public static let webhookURLLimit = 500
    public static let webhookSecretRange = 16...200

    /// Every unit's webhook (消息推送).
    public func webhooks(by admin: UserAccount) async throws -> [UnitWebhook] {
        try require(.manageUnits, admin)
        return try await services.webhooks.webhooks()
    }

    /// One unit's webhook; nil when it has none. An unknown unit answers as not found.
    public func webhook(of unit: UnitID, by admin: UserAccount) async throws -> UnitWebhook? {
        try require(.manageUnits, admin)
        guard reference.context.units.contains(unit) else { throw AppError.notFound(what: "单位") }
        return try await services.webhooks.webhook(of: unit)
    }

    /// Sets a unit's webhook: an http(s) address, a secret of 16 to 200 characters (required the first time; blank keeps
    /// the one set), on or off. Audited without the secret.
    public func setWebhook(of unit: UnitID, _ input: AdminInput.WebhookInput, by admin: UserAccount, client: String, at now: Date) async throws -> UnitWebhook {
        try require(.manageUnits, admin)
        guard reference.context.units.contains(unit) else { throw AppError.notFound(what: "单位") }
        let url = (input.url ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !url.isEmpty else { throw AppError.invalid(field: "url", message: "请填写推送地址") }
        guard url.count <= Self.webhookURLLimit else { throw AppError.invalid(field: "url", message: "推送地址不能超过\(Self.webhookURLLimit)个字符") }
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = parts.host, !host.isEmpty, parts.user == nil, parts.password == nil
        else { throw AppError.invalid(field: "url", message: "推送地址应以 http:// 或 https:// 开头，且不含用户名和密码") }
        let secret = (input.secret ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !secret.isEmpty {
            guard Self.webhookSecretRange.contains(secret.count) else {
                throw AppError.invalid(field: "secret", message: "签名密钥应为\(Self.webhookSecretRange.lowerBound)到\(Self.webhookSecretRange.upperBound)个字符")
            }
            guard secret.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw AppError.invalid(field: "secret", message: "签名密钥只能包含英文字母、数字和符号，不能有空格")
            }
        }
        let existing = try await services.webhooks.webhook(of: unit)
        guard !secret.isEmpty || existing?.hasSecret == true else { throw AppError.invalid(field: "secret", message: "请设置签名密钥") }
        let enabled = input.enabled ?? true
        try await services.webhooks.setWebhook(
            unit: unit, url: url, secret: secret.isEmpty ? nil : secret, enabled: enabled, by: admin.id, at: now,
            audit: AuditEntry(at: now, actor: admin.actor, action: .webhookChanged, target: unit,
                              detail: "url=\(url) enabled=\(enabled) secret=\(secret.isEmpty ? "kept" : "changed")", client: client))
        guard let saved = try await services.webhooks.webhook(of: unit) else { throw AppError.notFound(what: "单位") }
        return saved
    }

    /// A page of webhook deliveries, newest first; `state` nil for every state.
    public func webhookDeliveries(state: WebhookDelivery.State?, page: Int = 1, size: Int = 50, by admin: UserAccount) async throws
        -> (items: [WebhookDelivery], hasMore: Bool)
    {
        try require(.manageUnits, admin)
        guard page >= 1 else { throw AppError.invalid(field: "page", message: "页码应为正整数") }
        guard (1...100).contains(size) else { throw AppError.invalid(field: "size", message: "每页条数应在1到100之间") }
        return try await services.webhooks.deliveries(state: state, page: page, size: size)
    }

    /// 重新投递: a dead letter goes back in the queue, due at once with its tries counted afresh. Audited.
    public func requeueWebhookDelivery(_ id: Int64, by admin: UserAccount, client: String, at now: Date) async throws -> WebhookDelivery {
        try require(.manageUnits, admin)
        guard let delivery = try await services.webhooks.delivery(id) else { throw AppError.notFound(what: "推送记录") }
        guard delivery.state == .dead else {
            throw AppError.conflict(code: "not_dead", message: "只有死信可以重新投递（这条推送\(delivery.state.chineseName)）", field: nil)
        }
        guard try await services.webhooks.requeue(id, at: now, audit: AuditEntry(
            at: now, actor: admin.actor, action: .webhookRequeued, target: String(id),
            detail: "unit=\(delivery.unit) order=\(delivery.order.rawValue) tries=\(delivery.tries)", client: client))
        else { throw AppError.conflict(code: "not_dead", message: "这条推送已不是死信", field: nil) }
        guard let requeued = try await services.webhooks.delivery(id) else { throw AppError.notFound(what: "推送记录") }
        return requeued
    }
}

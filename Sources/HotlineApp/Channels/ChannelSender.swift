import Foundation
import HotlineDomain
import HotlineStorage

/// The channels' outbound sender (渠道回复), one pass: claims the due rows of the channel outbox, posts each to its
/// channel's outbound webhook signed with the channel's outbound secret, and records delivered, a retry at the policy's
/// backoff, or a dead letter (死信) — the unit webhooks' ``WebhookPolicy`` and ``WebhookTransport``.
///
/// The request: `POST` of the JSON body `{"channel", "to", "text", "order_number", "key"}` (`order_number` null for a
/// message about no order) with `Idempotency-Key: <key>` (the same on every try: the gateway drops repeats) and
/// `X-Hotline-Signature: sha256=<hex HMAC-SHA256 of the body with the channel's outbound secret>`.
public struct ChannelSender: Sendable {
    let store: ChannelOutboxStore
    let transport: any WebhookTransport
    public let policy: WebhookPolicy

    public init(services: HotlineServices, transport: any WebhookTransport, policy: WebhookPolicy = WebhookPolicy()) {
        store = services.channelOutbox
        self.transport = transport
        self.policy = policy
    }

    /// The body a channel's gateway gets.
    struct Payload: Encodable {
        var channel: String
        var to: String
        var text: String
        var orderNumber: String?
        var key: String

        enum CodingKeys: String, CodingKey { case channel, to, text, orderNumber = "order_number", key }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(channel, forKey: .channel)
            try c.encode(to, forKey: .to)
            try c.encode(text, forKey: .text)
            try c.encode(orderNumber, forKey: .orderNumber)
            try c.encode(key, forKey: .key)
        }
    }

    /// One pass at `now`: every row due then gets one try.
    public func sendOnce(at now: Date) async throws -> WebhookSender.Summary {
        var summary = WebhookSender.Summary()
        while true {
            let claimed = try await store.claim(at: now, limit: policy.batch, lease: policy.lease)
            if claimed.isEmpty { break }
            let results = await withTaskGroup(of: (ChannelDelivery, WebhookStore.Result).self) { group in
                for c in claimed {
                    group.addTask { (c.delivery, await attempt(c, at: now)) }
                }
                var all: [(ChannelDelivery, WebhookStore.Result)] = []
                for await r in group { all.append(r) }
                return all
            }
            for (delivery, result) in results {
                guard try await store.record(result, of: delivery, at: now) else { continue }
                switch result {
                case .delivered: summary.delivered += 1
                case .failed(_, .some): summary.retrying += 1
                case .failed(_, nil): summary.dead += 1
                }
            }
        }
        return summary
    }

    /// The request for a claimed row.
    static func request(_ c: ChannelOutboxStore.Claimed) throws -> WebhookRequest {
        let d = c.delivery
        let payload = Payload(channel: d.channel.rawValue, to: d.recipient, text: d.body, orderNumber: d.order.map { String($0) }, key: d.key)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(payload)
        return WebhookRequest(
            url: c.url,
            headers: ["Content-Type": "application/json; charset=utf-8", WebhookSender.idempotencyHeader: d.key,
                      WebhookSender.signatureHeader: WebhookSender.signature(body, secret: c.secret)],
            body: body)
    }

    /// One try of a claimed row, and what it came to.
    func attempt(_ c: ChannelOutboxStore.Claimed, at now: Date) async -> WebhookStore.Result {
        guard c.enabled, !c.url.isEmpty, !c.secret.isEmpty else {
            return .failed(error: "该渠道的出站推送未开启或未配置，未发送", retryAt: nil)
        }
        let error: String
        do {
            let status = try await transport.post(try Self.request(c), timeout: policy.timeout)
            if (200..<300).contains(status) { return .delivered }
            error = "渠道网关答复失败（HTTP \(status)）"
        } catch let e as WebhookTransportError {
            error = e.chineseText
        } catch {
            return failure("发送失败", tries: c.delivery.tries, at: now)
        }
        return failure(error, tries: c.delivery.tries, at: now)
    }

    func failure(_ error: String, tries: Int, at now: Date) -> WebhookStore.Result {
        .failed(error: error, retryAt: policy.retryDelay(afterTry: tries).map { now.addingTimeInterval($0) })
    }
}

import Foundation
import HotlineDomain
import HotlineStorage

/// Posts each newly rising topic (热点预警) to the centre's receiver (`topic_settings.webhook_url`), signed like the unit
/// webhooks (`X-Hotline-Signature: sha256=<HMAC of the body>`) and carrying `Idempotency-Key: topic-<id>`: at least once,
/// with the unit webhooks' policy of retries, and the receiver drops a repeat by its key.
public struct TopicAlertSender: Sendable {
    let store: HotTopicStore
    let transport: any WebhookTransport
    public let policy: WebhookPolicy

    public init(services: HotlineServices, transport: any WebhookTransport, policy: WebhookPolicy = WebhookPolicy()) {
        store = services.hotTopics
        self.transport = transport
        self.policy = policy
    }

    struct Payload: Encodable {
        var kind = "hot_topic"
        var topicId: Int64
        var label: String
        var terms: [String]
        var size: Int
        var baseline: Double
        var scope: String
        var scopeValue: String
        var sentence: String

        enum CodingKeys: String, CodingKey {
            case kind, topicId = "topic_id", label, terms, size, baseline, scope, scopeValue = "scope_value", sentence
        }
    }

    /// One pass: every due alert gets one try; returns how many were delivered.
    @discardableResult
    public func sendOnce(at now: Date) async throws -> Int {
        let lease = policy.timeout * 2 + .seconds(30)
        let claimed = try await store.claimDeliveries(at: now, limit: policy.batch, leaseMillis: lease.components.seconds * 1000)
        var delivered = 0
        for c in claimed {
            let t = c.topic
            let payload = Payload(
                topicId: t.id, label: t.label, terms: t.terms, size: t.size, baseline: (t.baseline * 100).rounded() / 100, scope: t.scopeKind,
                scopeValue: t.scopeValue, sentence: "新热点「\(t.label)」：近期 \(t.size) 件，此前预期约 \(String(format: "%.1f", t.baseline)) 件。")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let body = try encoder.encode(payload)
            var headers = ["Content-Type": "application/json", WebhookSender.idempotencyHeader: "topic-\(t.id)"]
            if !c.secret.isEmpty { headers[WebhookSender.signatureHeader] = WebhookSender.signature(body, secret: c.secret) }
            var error: String?
            do {
                let status = try await transport.post(WebhookRequest(url: c.url, headers: headers, body: body), timeout: policy.timeout)
                if (200..<300).contains(status) {
                    delivered += 1
                    try await store.recordDelivery(topic: t.id, tries: c.tries, delivered: true, retryAt: nil, error: nil)
                    continue
                }
                error = "接收方答复 \(status)"
            } catch let e as WebhookTransportError {
                error = e.chineseText
            }
            let retry = policy.retryDelay(afterTry: c.tries).map { now.addingTimeInterval($0) }
            try await store.recordDelivery(topic: t.id, tries: c.tries, delivered: false, retryAt: retry, error: error)
        }
        return delivered
    }
}

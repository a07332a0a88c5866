import Crypto
import Foundation
import HotlineDomain
import HotlineStorage

/// How the webhook sender (消息推送) tries: after the n-th failed try the row waits `firstDelay × 2^(n-1)` (at most
/// `maxDelay`), and after `maxTries` failed tries it becomes a dead letter (死信). Each try is bounded by `timeout`.
public struct WebhookPolicy: Sendable, Equatable {
    public var maxTries: Int
    public var firstDelay: Duration
    public var maxDelay: Duration
    public var timeout: Duration
    /// Rows claimed and sent at once.
    public var batch: Int

    public init(maxTries: Int = 8, firstDelay: Duration = .seconds(30), maxDelay: Duration = .seconds(3600), timeout: Duration = .seconds(10), batch: Int = 20) {
        self.maxTries = max(1, maxTries)
        self.firstDelay = firstDelay
        self.maxDelay = maxDelay
        self.timeout = timeout
        self.batch = max(1, batch)
    }

    /// The wait after the `tries`-th failed try (1 for the first), or nil when that try was the last.
    public func retryDelay(afterTry tries: Int) -> TimeInterval? {
        guard tries < maxTries else { return nil }
        let first = Self.seconds(firstDelay), cap = Self.seconds(maxDelay)
        return min(cap, first * pow(2, Double(max(0, tries - 1))))
    }

    /// How long a claimed row is kept from other senders: longer than a try may take.
    var lease: Duration { timeout * 2 + .seconds(30) }

    static func seconds(_ d: Duration) -> TimeInterval { TimeInterval(d.components.seconds) + TimeInterval(d.components.attoseconds) / 1e18 }
}

/// One POST to a unit's receiver.
public struct WebhookRequest: Sendable, Equatable {
    public var url: String
    public var headers: [String: String]
    public var body: Data
}

/// Why a try got no answer; the sender keeps the Chinese text as the row's last error.
public enum WebhookTransportError: Error, Sendable, Equatable {
    case timedOut
    case unreachable
    case invalidURL

    public var chineseText: String {
        switch self {
        case .timedOut: "等待接收方答复超时"
        case .unreachable: "无法连接接收方"
        case .invalidURL: "推送地址无效"
        }
    }
}

/// Sends one request and gives the HTTP status the receiver answered with (the web layer's is async-http-client).
public protocol WebhookTransport: Sendable {
    func post(_ request: WebhookRequest, timeout: Duration) async throws -> Int
}

/// The webhook sender (消息推送), one pass: claims the outbox rows that are due, posts each to its unit's receiver
/// signed with the unit's secret, and records delivered, a retry at the policy's backoff, or a dead letter (死信).
///
/// The request: `POST` of a JSON body (`delivery_id`, `unit`, `unit_name`, `order_number`, `order_title`, `kind`, `sentence`,
/// `at`) with `Idempotency-Key: <delivery_id>` (the same on every try of the row: the receiver drops repeats) and
/// `X-Hotline-Signature: sha256=<hex HMAC-SHA256 of the body with the unit's secret>`.
public struct WebhookSender: Sendable {
    let store: WebhookStore
    let reference: ReferenceData
    let directory: DirectoryStore
    let transport: any WebhookTransport
    public let policy: WebhookPolicy

    public static let signatureHeader = "X-Hotline-Signature"
    public static let idempotencyHeader = "Idempotency-Key"

    public init(services: HotlineServices, transport: any WebhookTransport, policy: WebhookPolicy = WebhookPolicy()) {
        store = services.webhooks
        reference = services.reference
        directory = services.directory
        self.transport = transport
        self.policy = policy
    }

    /// What one pass did.
    public struct Summary: Sendable, Equatable {
        public var delivered = 0
        public var retrying = 0
        public var dead = 0

        public init() {}

        public var chineseText: String { "消息推送：已投递 \(delivered)，待重试 \(retrying)，转为死信 \(dead)" }
    }

    /// The body a receiver gets.
    struct Payload: Encodable {
        var deliveryId: String
        var unit: String
        var unitName: String
        var orderNumber: String
        var orderTitle: String
        var kind: String
        var sentence: String
        var at: String

        enum CodingKeys: String, CodingKey {
            case deliveryId = "delivery_id", unit, unitName = "unit_name", orderNumber = "order_number", orderTitle = "order_title", kind,
                 sentence, at
        }
    }

    /// The signature header's value for `body` under `secret`.
    public static func signature(_ body: Data, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// One pass at `now`: every row due then gets one try. A claimed row is due again only after its lease or its
    /// backoff, both later than `now`, so the pass ends once a claim brings nothing.
    public func sendOnce(at now: Date) async throws -> Summary {
        var summary = Summary()
        while true {
            let claimed = try await store.claim(at: now, limit: policy.batch, lease: policy.lease)
            if claimed.isEmpty { break }
            let (units, categories) = reference.names
            let people = try await directory.displayNames(of: Set(claimed.map(\.event.actorID)))
            let names = NameBook(units: units, categories: categories, people: people)
            let results = await withTaskGroup(of: (WebhookDelivery, WebhookStore.Result).self) { group in
                for c in claimed {
                    group.addTask { (c.delivery, await attempt(c, names: names, at: now)) }
                }
                var all: [(WebhookDelivery, WebhookStore.Result)] = []
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
    static func request(_ c: WebhookStore.Claimed, names: NameBook) throws -> WebhookRequest {
        let payload = Payload(
            deliveryId: c.delivery.key, unit: c.delivery.unit, unitName: names.units[c.delivery.unit] ?? c.delivery.unit,
            orderNumber: String(c.event.orderNumber), orderTitle: c.title,
            kind: EventKind(rawValue: c.event.kind)?.chineseName ?? "工单动态", sentence: NoticeDesk.sentence(c.event, names: names),
            at: Date(timeIntervalSince1970: TimeInterval(c.event.atMillis) / 1000).chinaISO8601)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(payload)
        return WebhookRequest(
            url: c.url,
            headers: ["Content-Type": "application/json; charset=utf-8", idempotencyHeader: c.delivery.key,
                      signatureHeader: signature(body, secret: c.secret)],
            body: body)
    }

    /// One try of a claimed row, and what it came to.
    func attempt(_ c: WebhookStore.Claimed, names: NameBook, at now: Date) async -> WebhookStore.Result {
        guard c.enabled, !c.url.isEmpty else { return .failed(error: "该单位的消息推送已关闭，未发送", retryAt: nil) }
        let error: String
        do {
            let status = try await transport.post(try Self.request(c, names: names), timeout: policy.timeout)
            if (200..<300).contains(status) { return .delivered }
            error = "接收方答复失败（HTTP \(status)）"
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

import Crypto
import Foundation
import HTTPTypes
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird
import NIOCore

/// 渠道接入: the inbound webhooks of the city's SMS gateway, WeChat official account, app and mayor's mailbox
/// (`POST /api/v1/channels/{sms,wechat,app,mailbox}`, and WeChat's URL check `GET /api/v1/channels/wechat`). Open
/// without a session: each request is checked by its signature with the gateway's secret before anything else is
/// read, and a refused request stores nothing.
///
/// The order of checks: the gateway address's budget (`RateLimit.gatewayPerAddress`, 429), the gateway on and
/// configured (403 `channel_disabled`), the signature and timestamp (401 `bad_signature`, `stale_timestamp`), the body
/// (400 `malformed`, 413 over 256 KB, 422 a missing or invalid field), a retry of a received message answered with its
/// order (no budget spent), then the sender's budget across every channel (429), then intake.
struct ChannelController: Sendable {
    let channels: ChannelDesk
    let limiter: RateLimiter
    let clients: ClientAddress
    let clock: @Sendable () -> Date

    static let timestampHeader = HTTPField.Name("X-Hotline-Timestamp")!
    static let signatureHeader = HTTPField.Name("X-Hotline-Signature")!
    /// How far a request's timestamp may be from the server's clock: a captured request cannot be replayed later.
    static let replayWindow: TimeInterval = 300

    static let badSignature = APIError(.unauthorized, code: "bad_signature", message: "签名校验失败，请求未被受理")
    static let staleTimestamp = APIError(.unauthorized, code: "stale_timestamp", message: "请求时间戳无效或与服务器时间相差超过5分钟，请求未被受理")
    static let disabled = APIError(.forbidden, code: "channel_disabled", message: "该渠道接入未开启或尚未配置")

    func register(on router: Router<AppRequestContext>) {
        router.get(RouterPath(APIRoutes.channel("wechat"))) { request, context in try await verifyWeChatURL(request, context) }
        router.post(RouterPath(APIRoutes.channel("wechat"))) { request, context in try await wechat(request, context) }
        for channel in [HotlineDomain.Channel.sms, .app, .mailbox] {
            router.post(RouterPath(APIRoutes.channel(channel.rawValue))) { request, context in try await json(channel, request, context) }
        }
    }

    /// The gateway's secret after the address's budget; 403 when the gateway is off or not configured.
    func secret(of channel: HotlineDomain.Channel, _ request: Request, _ context: AppRequestContext) async throws -> String {
        try await limiter.check("gateway|" + clients.of(request, context), .gatewayPerAddress)
        guard let secret = try await channels.inboundSecret(of: channel) else { throw Self.disabled }
        return secret
    }

    /// A timestamp in seconds since 1970 within the replay window of now.
    func checkFresh(_ timestamp: String?) throws {
        guard let timestamp, timestamp.count <= 12, let seconds = TimeInterval(timestamp),
              abs(seconds - clock().timeIntervalSince1970) <= Self.replayWindow
        else { throw Self.staleTimestamp }
    }

    // MARK: SMS, app, mailbox

    /// What the SMS gateway, the app and the mailbox post (snake_case JSON). SMS: `message_id`, `phone`, `text`; app:
    /// `message_id`, `user_id`, `text`, optional `phone`; mailbox: `message_id`, `email`, `subject`, `body`, optional
    /// `phone`. Each may give `name`, `address` and `kind` (consultation, help, complaint, report, suggestion, praise).
    struct GatewayBody: Decodable {
        var messageId: String
        var phone: String?
        var userId: String?
        var email: String?
        var name: String?
        var text: String?
        var subject: String?
        var body: String?
        var address: String?
        var kind: RequestKind?
    }

    /// A receipt as the gateway gets it: `{"order_number": "...", "duplicate": false}`.
    struct ReceiptView: Encodable {
        var orderNumber: String
        var duplicate: Bool
    }

    func json(_ channel: HotlineDomain.Channel, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let secret = try await secret(of: channel, request, context)
        let timestamp = request.headers[Self.timestampHeader]
        let signature = request.headers[Self.signatureHeader] ?? ""
        let raw = try await request.body.collect(upTo: APIBody.maximumBytes)
        guard Self.verify(signature, timestamp: timestamp ?? "", body: raw.readableBytesView, secret: secret) else { throw Self.badSignature }
        try checkFresh(timestamp)
        guard APIBody.isJSON(request.headers[.contentType] ?? "") else { throw APIBody.unsupportedMediaType }
        let body = try InputDecoder.decode(GatewayBody.self, body: raw, format: .json)
        let message = try Self.message(channel, body)
        return try APIJSON.response(try await receive(message, request, context))
    }

    /// The signature `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` under the gateway's key, checked in constant time.
    static func verify(_ signature: String, timestamp: String, body: some Sequence<UInt8>, secret: String) -> Bool {
        let prefix = "sha256="
        guard signature.hasPrefix(prefix), let mac = Self.hex(String(signature.dropFirst(prefix.count))) else { return false }
        var signed = Data((timestamp + ".").utf8)
        signed.append(contentsOf: body)
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: SymmetricKey(data: Data(secret.utf8)))
    }

    /// The signature header's value a gateway sends for `body` at `timestamp`.
    static func signature(_ body: Data, timestamp: String, secret: String) -> String {
        ChannelSignature.hmac(body, timestamp: timestamp, secret: secret)
    }

    static func hex(_ text: String) -> Data? {
        guard text.count == 64 else { return nil }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return Data(bytes)
    }

    /// The body as an inbound message, with the fields its channel requires.
    static func message(_ channel: HotlineDomain.Channel, _ b: GatewayBody) throws -> InboundMessage {
        func required(_ value: String?, _ field: String) throws -> String {
            let clean = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard !clean.isEmpty else { throw APIError.invalid(field, "缺少必填字段") }
            guard field == "text" || field == "body" || clean.count <= 200 else { throw APIError.invalid(field, "不能超过200个字符") }
            return clean
        }
        let id = try required(b.messageId, "message_id")
        switch channel {
        case .sms:
            return InboundMessage(
                channel: .sms, messageID: id, sender: try required(b.phone, "phone"), phone: b.phone, name: b.name, kind: b.kind,
                text: try required(b.text, "text"), address: b.address)
        case .app:
            return InboundMessage(
                channel: .app, messageID: id, sender: try required(b.userId, "user_id"), phone: b.phone, name: b.name, kind: b.kind,
                text: try required(b.text, "text"), address: b.address)
        default:
            return InboundMessage(
                channel: .mailbox, messageID: id, sender: try required(b.email, "email"), phone: b.phone, name: b.name, kind: b.kind,
                subject: try required(b.subject, "subject"), text: try required(b.body, "body"), address: b.address)
        }
    }

    /// A retry is answered with its first delivery's order; a new message passes the sender's budget and is taken in.
    func receive(_ message: InboundMessage, _ request: Request, _ context: AppRequestContext) async throws -> ReceiptView {
        if let earlier = try await channels.received(message) {
            return ReceiptView(orderNumber: earlier.order.description, duplicate: true)
        }
        try await limiter.checkIntake(address: nil, sender: message.senderKey)
        let receipt = try await channels.receive(message, at: clock())
        return ReceiptView(orderNumber: receipt.order.description, duplicate: receipt.duplicate)
    }

    // MARK: WeChat

    /// WeChat's URL check (服务器配置): echoes `echostr` when the signature is the token's.
    func verifyWeChatURL(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let token = try await secret(of: .wechat, request, context)
        let q = request.uri.queryParameters
        guard let signature = q.get("signature"), let timestamp = q.get("timestamp"), let nonce = q.get("nonce"), let echo = q.get("echostr"),
              echo.count <= 200, WeChatProtocol.verify(signature, token: token, timestamp: timestamp, nonce: nonce)
        else { throw Self.badSignature }
        return Self.text(echo, type: "text/plain; charset=utf-8")
    }

    /// A WeChat message: checked by its query's signature, then a text message becomes an order and is answered with
    /// the passive reply naming its number (a retry names the first delivery's order again: WeChat shows the reply to
    /// the delivery it waited for). Other message types and events answer `success` and store nothing. Once the request
    /// is known to be WeChat's, a refusal that concerns the sender (too frequent, too long, empty) is answered as a
    /// passive reply in Chinese, since that is the only thing a WeChat user sees; nothing is stored.
    func wechat(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let token = try await secret(of: .wechat, request, context)
        let q = request.uri.queryParameters
        guard let signature = q.get("signature"), let timestamp = q.get("timestamp"), let nonce = q.get("nonce"),
              WeChatProtocol.verify(signature, token: token, timestamp: timestamp, nonce: nonce)
        else { throw Self.badSignature }
        try checkFresh(timestamp)
        let raw = try await request.body.collect(upTo: APIBody.maximumBytes)
        guard let xml = WeChatProtocol.parse(Data(buffer: raw)) else { throw APIError.malformed("不是微信消息的XML格式") }
        guard xml.msgType == "text" else { return Self.text("success", type: "text/plain; charset=utf-8") }
        guard let id = xml.msgID, !id.isEmpty, id.count <= 64 else { throw APIError.invalid("MsgId", "缺少消息编号") }
        let message = InboundMessage(channel: .wechat, messageID: id, sender: xml.fromUser, text: xml.content ?? "")
        let answer: String
        do {
            let receipt = try await receive(message, request, context)
            answer = "已受理，工单号\(receipt.orderNumber)。办理进展将通过本公众号告知您。"
        } catch {
            let refusal = APIError.from(error)
            guard refusal.status == .tooManyRequests || refusal.status == .unprocessableContent else { throw error }
            answer = refusal.message
        }
        return Self.text(WeChatProtocol.reply(to: xml, text: answer, at: clock()), type: "application/xml; charset=utf-8")
    }

    static func text(_ body: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

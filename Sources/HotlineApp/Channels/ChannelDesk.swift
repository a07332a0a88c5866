import Foundation
import HotlineDomain
import HotlineStorage

/// A message a channel gateway received (渠道来件), checked and decoded by its adapter: who sent it, the gateway's id
/// of it, and what it says.
public struct InboundMessage: Sendable, Equatable {
    public var channel: Channel
    /// The gateway's id of the message; a retried delivery carries the same.
    public var messageID: String
    /// The sender as the channel knows them: the phone number (SMS), the openid (WeChat), the app user id, the e-mail
    /// address (mayor's mailbox).
    public var sender: String
    /// A phone number the message carries (for SMS the sender's own), if any.
    public var phone: String?
    public var name: String?
    /// The request kind the sender chose; 咨询 when none.
    public var kind: RequestKind?
    /// A letter's subject (市长信箱); the title is the text's first sentence without one.
    public var subject: String?
    public var text: String
    /// Where the matter is, as the sender wrote it.
    public var address: String?

    public init(
        channel: Channel, messageID: String, sender: String, phone: String? = nil, name: String? = nil, kind: RequestKind? = nil,
        subject: String? = nil, text: String, address: String? = nil
    ) {
        self.channel = channel
        self.messageID = messageID
        self.sender = sender
        self.phone = phone
        self.name = name
        self.kind = kind
        self.subject = subject
        self.text = text
        self.address = address
    }

    /// The key the intake rate limit counts this sender by across every channel: the phone number when the message
    /// carries one (an SMS and an app message from one phone share a budget), else the channel's account.
    public var senderKey: String {
        if let phone = phone.flatMap(Caller.normalisedPhone) { return "phone:" + phone }
        return "\(channel.rawValue):\(sender)"
    }
}

/// What a gateway answers for a message: the order it made, or — for a retried delivery — the order the first
/// delivery made.
public struct ChannelReceipt: Sendable, Equatable {
    public var order: OrderNumber
    public var duplicate: Bool

    public init(order: OrderNumber, duplicate: Bool) {
        self.order = order
        self.duplicate = duplicate
    }
}

/// Channel intake (渠道受理): a message from the SMS gateway, the WeChat official account, the app or the mayor's
/// mailbox becomes an order exactly once per message id. The order is taken by the channel's own actor — the citizen
/// role, the one that may create orders and nothing more — through the desk's group commit; the channel message's row
/// is written in the order's transaction (``ChannelMessageKey``).
public struct ChannelDesk: Sendable {
    let desk: WorkOrderDesk
    let gateways: ChannelGatewayStore
    let assistant: IntakeAssistant?

    public init(desk: WorkOrderDesk, gateways: ChannelGatewayStore, assistant: IntakeAssistant?) {
        self.desk = desk
        self.gateways = gateways
        self.assistant = assistant
    }

    /// The tag of an order the models could not classify: the dispatcher classifies it (改分类).
    public static let unclassifiedTag = "待人工分类"
    /// The longest message text a gateway takes: a mayor's-mailbox letter may be long, a message no longer than an order.
    public static let textLimit = TextLimits.content

    /// Who takes a channel's orders: the citizen role (it may create orders and nothing else), named by the channel.
    public static func actor(of channel: Channel) -> Actor { Actor(userID: "channel:" + channel.rawValue, role: .citizen) }

    /// The secret that checks `channel`'s requests, when its gateway is on; nil when it is off or not configured.
    public func inboundSecret(of channel: Channel) async throws -> String? {
        guard channel.hasGateway else { return nil }
        return try await gateways.inboundSecret(of: channel)
    }

    /// The order an earlier delivery of the message made, if any: a retry is answered without counting against the
    /// sender's intake limit.
    public func received(_ message: InboundMessage) async throws -> ChannelReceipt? {
        try await gateways.order(ofMessage: message.messageID, channel: message.channel).map { ChannelReceipt(order: $0, duplicate: true) }
    }

    /// 受理 of a channel's message: the order it makes, or the first delivery's order for a retry.
    public func receive(_ message: InboundMessage, at now: Date) async throws -> ChannelReceipt {
        let draft = try draft(of: message)
        let key = ChannelMessageKey(channel: message.channel, messageID: message.messageID, sender: message.sender, receivedAt: now)
        do {
            let outcome = try await desk.intake(draft, by: Self.actor(of: message.channel), at: now, message: key)
            return ChannelReceipt(order: outcome.order.number, duplicate: false)
        } catch let duplicate as DuplicateMessage {
            return ChannelReceipt(order: duplicate.order, duplicate: true)
        }
    }

    /// The message as an intake draft: the caller from the sender (an SMS sender's phone, else the phone the message
    /// carries; a WeChat, app or mailbox sender may give none), the kind (咨询 by default), the subject or the text's
    /// first sentence as the title, the address; the category the models rank first, or else the first offered one
    /// with the order tagged ``unclassifiedTag`` for the dispatcher.
    func draft(of m: InboundMessage) throws -> IntakeDraft {
        guard m.channel.hasGateway else { throw AppError.notFound(what: "渠道") }
        let text = m.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw AppError.invalid(field: "text", message: "请填写诉求内容") }
        guard text.count <= Self.textLimit else {
            throw AppError.unprocessable(code: "too_long", message: "诉求内容不能超过\(Self.textLimit)个字", field: "text")
        }
        let carried = (m.channel == .sms ? m.sender : m.phone ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let phone: String
        if carried.isEmpty, m.channel.knowsSenderByAccount {
            phone = ""
        } else {
            guard let normal = Caller.normalisedPhone(carried) else { throw AppError.invalid(field: "phone", message: "电话号码格式不正确") }
            phone = normal
        }
        let subject = m.subject?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let title = subject.isEmpty ? Self.title(of: text) : String(subject.prefix(TextLimits.title))
        let address = m.address?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let context = desk.reference.context
        let offered = context.categories.filter { !context.categoryTree.isRetired($0) }
        let likely = assistant?.likelyCategory(IntakeAssistant.Request(title: title, content: text, address: address), offered: offered)
        return IntakeDraft(
            channel: m.channel, caller: Caller(name: m.name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "", phone: phone),
            kind: m.kind ?? .consultation, categoryCode: likely, title: title, content: text,
            location: Location(address: address), tags: likely == nil ? [Self.unclassifiedTag] : [])
    }

    /// The first sentence of a message (up to 。！？!? or a line break), at most 40 characters, as an order's title.
    public static func title(of text: String) -> String {
        let enders: Set<Character> = ["。", "！", "？", "!", "?", "\n", "；", ";"]
        let first = text.split(whereSeparator: { enders.contains($0) }).first.map(String.init) ?? text
        let clean = first.trimmingCharacters(in: .whitespacesAndNewlines)
        let title = clean.isEmpty ? text : clean
        return title.count > 40 ? String(title.prefix(39)) + "…" : title
    }
}

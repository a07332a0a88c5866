/// A plain-text message to one citizen through a channel's outbound webhook (渠道回复): a progress notice of their
/// order, the final answer, or a one-time code.
public struct OutboundMessage: Sendable, Equatable {
    public var channel: Channel
    /// Who gets it, as the channel knows them: a phone number (SMS), an openid (WeChat), an app user id, an e-mail address.
    public var recipient: String
    /// The plain Chinese text to send.
    public var text: String
    /// The order it is about, if any.
    public var orderNumber: OrderNumber?
    /// The idempotency key: a second message with the same key is not sent again, and the receiver sees it on every try.
    public var key: String

    public init(channel: Channel, recipient: String, text: String, orderNumber: OrderNumber? = nil, key: String) {
        self.channel = channel
        self.recipient = recipient
        self.text = text
        self.orderNumber = orderNumber
        self.key = key
    }
}

extension Channel {
    /// The channels that have an inbound gateway (渠道接入) and answer their senders through an outbound webhook.
    public static let gateways: [Channel] = [.sms, .wechat, .app, .mailbox]

    /// Whether this channel has a gateway.
    public var hasGateway: Bool { Self.gateways.contains(self) }

    /// Whether the channel knows its sender by an account (an openid, an app user, an e-mail address) rather than by
    /// phone, so a request through it may come without a phone number: the answer goes back through the channel.
    public var knowsSenderByAccount: Bool { self == .wechat || self == .app || self == .mailbox }
}

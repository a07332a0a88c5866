import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage

/// 渠道接入: each channel gateway (on or off, its reply address, whether its secrets are set — never the secrets), the
/// form that sets one, the citizen portal's anonymous setting, and the messages sent to citizens (渠道回复) with
/// 重新投递 for dead letters. One-time codes show masked.
struct AdminChannelsPage: Sendable {
    var title = "渠道接入"
    var user: PageUser?
    var sections: [AdminSection]
    var notice: String?
    var error: String?
    var gateways: [Gateway]
    var channels: [PageOption]
    var formAction: String
    var outboundURL: String
    var enabled: Bool
    var secretHint: String
    var anonymousAllowed: Bool
    var states: [PageOption]
    var deliveries: [Delivery]
    var deliveriesText: String

    struct Gateway: Sendable {
        var name: String
        var webhook: String
        var stateText: String
        var outboundURL: String
        var inboundText: String
        var outboundText: String
        var updated: String
        var editHref: String
    }

    struct Delivery: Sendable {
        var id: String
        var channelName: String
        var recipient: String
        var order: String?
        var orderHref: String?
        var text: String
        var stateText: String
        var triesText: String
        var lastError: String
        var time: String
        var dead: Bool
        var requeueAction: String
    }

    static func gateway(_ channel: Channel, _ g: ChannelGateway?, by: String) -> Gateway {
        Gateway(
            name: channel.chineseName, webhook: APIRoutes.channel(channel.rawValue),
            stateText: g == nil ? "未设置" : g!.enabled ? "已开启" : "已关闭", outboundURL: g?.outboundURL ?? "",
            inboundText: g?.hasInboundSecret == true ? "已设置" : "未设置", outboundText: g?.hasOutboundSecret == true ? "已设置" : "未设置",
            updated: g.map { $0.updatedAt.chinaShort + " " + by } ?? "",
            editHref: WebRoutes.adminChannels + "?channel=" + channel.rawValue + "#channel-form")
    }

    static func delivery(_ d: ChannelDelivery) -> Delivery {
        let number = d.order.map { String($0.rawValue) }
        return Delivery(
            id: String(d.id), channelName: d.channel.chineseName,
            recipient: d.channel == .sms ? ContactPrivacy.maskPhone(d.recipient) : d.recipient, order: number,
            orderHref: number.map(WebRoutes.order), text: d.body, stateText: d.state.chineseName, triesText: "\(d.tries) 次",
            lastError: d.lastError ?? "", time: d.updatedAt.chinaShort, dead: d.state == .dead,
            requeueAction: WebRoutes.adminChannelRequeue(String(d.id)))
    }
}

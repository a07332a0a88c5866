import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage

/// 消息推送: each unit's webhook (address, on or off, whether a signing secret is set — never the secret), the form
/// that sets one, and the dead letters (死信) with 重新投递 per row.
struct AdminWebhooksPage: Sendable {
    var title = "消息推送"
    var user: PageUser?
    var sections: [AdminSection]
    var notice: String?
    var error: String?
    var hooks: [Hook]
    var units: [PageOption]
    var url: String
    var enabled: Bool
    var deadLetters: [DeadLetter]
    var deadText: String
    var hasMoreDead: Bool

    struct Hook: Sendable {
        var unitName: String
        var url: String
        var stateText: String
        var secretText: String
        var updated: String
        /// Opens the form with this unit's setting filled in.
        var editHref: String
    }

    struct DeadLetter: Sendable {
        var id: String
        var unitName: String
        var order: String
        var orderHref: String
        var what: String
        var triesText: String
        var lastError: String
        var time: String
        var requeueAction: String
    }

    static func hook(_ h: UnitWebhook, unitName: String, by: String) -> Hook {
        Hook(unitName: unitName, url: h.url, stateText: h.enabled ? "已开启" : "已关闭", secretText: h.hasSecret ? "已设置" : "未设置",
             updated: h.updatedAt.chinaShort + " " + by, editHref: WebRoutes.adminWebhooks + "?unit=" + h.unit + "#webhook-form")
    }

    static func deadLetter(_ d: WebhookDelivery, unitName: String) -> DeadLetter {
        let number = String(d.order.rawValue)
        return DeadLetter(
            id: String(d.id), unitName: unitName, order: number, orderHref: WebRoutes.order(number),
            what: EventKind(rawValue: d.kind)?.chineseName ?? "工单动态", triesText: "\(d.tries) 次", lastError: d.lastError ?? "",
            time: d.updatedAt.chinaShort, requeueAction: WebRoutes.adminWebhookRequeue(String(d.id)))
    }
}

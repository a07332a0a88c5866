import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// 渠道接入: the admin page over the channel gateways, the portal's anonymous setting and the channels' outbox, through
/// the same ``Administration`` use cases as the API (audited).
extension PageController {
    func registerChannelPages(_ router: PageRouter) {
        adminGet(router, WebRoutes.adminChannels, .manageAPIKeys) { s, request, _ in
            let q = request.uri.queryParameters
            return try pages.response("admin-channels", try await channelsPage(
                s, notice: AdminNotice.text(q.get("done")), channel: q.get("channel"), state: q.get("state")))
        }
        adminPost(router, WebRoutes.adminPortalSettings, .manageAPIKeys) { p in
            try await app.admin.setPortalAnonymousAllowed(p.form["anonymous"] != nil, by: p.signed.user, client: p.client, at: clock())
            return WebRoutes.adminChannels + "?done=portal_changed"
        } failed: { p, e in
            try pages.response("admin-channels", try await channelsPage(p.signed, error: Self.adminMessage(e)), status: e.status)
        }
        adminPost(router, WebRoutes.adminChannel(":id"), .manageAPIKeys) { p in
            guard let channel = Channel(rawValue: p.id), channel.hasGateway else { throw APIError.notFound("渠道 \(p.id) ") }
            _ = try await app.admin.setChannelGateway(
                of: channel, AdminInput.ChannelGatewayInput(enabled: p.form["enabled"] != nil, outboundURL: p["outbound_url"],
                                                            inboundSecret: p.optional("inbound_secret"), outboundSecret: p.optional("outbound_secret")),
                by: p.signed.user, client: p.client, at: clock())
            return WebRoutes.adminChannels + "?done=channel_changed"
        } failed: { p, e in
            try pages.response("admin-channels", try await channelsPage(p.signed, error: Self.adminMessage(e), channel: p.id, draft: p), status: e.status)
        }
        adminPost(router, WebRoutes.adminChannelRequeue(":id"), .manageAPIKeys) { p in
            guard let id = Int64(p.id), id > 0 else { throw APIError.notFound("渠道消息 \(p.id) ") }
            _ = try await app.admin.requeueChannelDelivery(id, by: p.signed.user, client: p.client, at: clock())
            return WebRoutes.adminChannels + "?done=channel_requeued&state=dead"
        } failed: { p, e in
            try pages.response("admin-channels", try await channelsPage(p.signed, error: Self.adminMessage(e)), status: e.status)
        }
    }

    /// The page; the form shows `channel`'s setting (or what the admin sent, `draft`, when it was refused); the outbox
    /// list shows the newest 100 messages in `state` (all when nil).
    func channelsPage(
        _ s: Signed, notice: String? = nil, error: String? = nil, channel: String? = nil, state: String? = nil, draft: AdminPost? = nil
    ) async throws -> AdminChannelsPage {
        let gateways = try await app.admin.channelGateways(by: s.user)
        let people = try await services.directory.displayNames(of: Set(gateways.values.map(\.updatedBy)))
        let selected = Channel(rawValue: channel ?? "").flatMap { $0.hasGateway ? $0 : nil } ?? .sms
        let shown = gateways[selected]
        let filter = WebhookDelivery.State(rawValue: state ?? "")
        let (items, more) = try await app.admin.channelDeliveries(channel: nil, state: filter, page: 1, size: 100, by: s.user)
        return AdminChannelsPage(
            user: pageUser(s), sections: AdminSection.all(current: WebRoutes.adminChannels), notice: notice, error: error,
            gateways: Channel.gateways.map { AdminChannelsPage.gateway($0, gateways[$0], by: gateways[$0].flatMap { people[$0.updatedBy] } ?? "") },
            channels: Channel.gateways.map { PageOption(value: $0.rawValue, label: $0.chineseName, selected: $0 == selected) },
            formAction: WebRoutes.adminChannel(selected.rawValue),
            outboundURL: draft?["outbound_url"] ?? shown?.outboundURL ?? "",
            enabled: draft.map { $0.form["enabled"] != nil } ?? shown?.enabled ?? true,
            secretHint: selected == .wechat
                ? "微信令牌（Token）为3到32位英文字母或数字，与公众号后台“服务器配置”一致；首次设置必填，留空则沿用。"
                : "接入密钥用于核验网关请求的签名（HMAC-SHA256），16到200个字符；首次设置必填，留空则沿用。",
            anonymousAllowed: try await app.admin.portalAnonymousAllowed(by: s.user),
            states: [PageOption(value: "", label: "全部", selected: filter == nil)]
                + WebhookDelivery.State.allCases.map { PageOption(value: $0.rawValue, label: $0.chineseName, selected: $0 == filter) },
            deliveries: items.map(AdminChannelsPage.delivery),
            deliveriesText: items.isEmpty ? "没有发给市民的消息。" : "最近 \(items.count) 条" + (more ? "（只显示最近100条）" : "") + "。验证码已隐去。")
    }
}

import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// 消息推送: the admin page that sets each unit's webhook and lists the dead letters with 重新投递, through the
/// ``Administration`` use cases (audited).
extension PageController {
    func registerWebhookPages(_ router: PageRouter) {
        adminGet(router, WebRoutes.adminWebhooks, .manageUnits) { s, request, _ in
            try pages.response("admin-webhooks", try await webhooksPage(
                s, notice: AdminNotice.text(request.uri.queryParameters.get("done")), unit: request.uri.queryParameters.get("unit")))
        }
        adminPost(router, WebRoutes.adminWebhooks, .manageUnits) { p in
            _ = try await app.admin.setWebhook(
                of: p["unit_id"], AdminInput.WebhookInput(url: p["url"], secret: p.optional("secret"), enabled: p.form["enabled"] != nil),
                by: p.signed.user, client: p.client, at: clock())
            return WebRoutes.adminWebhooks + "?done=webhook_changed"
        } failed: { p, e in
            try pages.response("admin-webhooks", try await webhooksPage(p.signed, error: Self.adminMessage(e), draft: p), status: e.status)
        }
        adminPost(router, WebRoutes.adminWebhookRequeue(":id"), .manageUnits) { p in
            guard let id = Int64(p.id), id > 0 else { throw APIError.notFound("推送记录 \(p.id) ") }
            _ = try await app.admin.requeueWebhookDelivery(id, by: p.signed.user, client: p.client, at: clock())
            return WebRoutes.adminWebhooks + "?done=webhook_requeued"
        } failed: { p, e in
            try pages.response("admin-webhooks", try await webhooksPage(p.signed, error: Self.adminMessage(e)), status: e.status)
        }
    }

    /// The page; the form shows `unit`'s setting (or what the admin sent, `draft`, when it was refused).
    func webhooksPage(_ s: Signed, notice: String? = nil, error: String? = nil, draft: AdminPost? = nil, unit: String? = nil) async throws
        -> AdminWebhooksPage
    {
        let hooks = try await app.admin.webhooks(by: s.user)
        let (dead, more) = try await app.admin.webhookDeliveries(state: .dead, page: 1, size: 100, by: s.user)
        let reference = services.reference
        let people = try await services.directory.displayNames(of: Set(hooks.map(\.updatedBy)))
        let units = Self.unitTree(try await services.directory.units())
        let selected = draft?["unit_id"] ?? unit
        let shown = hooks.first { $0.unit == selected }
        return AdminWebhooksPage(
            user: pageUser(s), sections: AdminSection.all(current: WebRoutes.adminWebhooks), notice: notice, error: error,
            hooks: hooks.map { AdminWebhooksPage.hook($0, unitName: reference.unitName($0.unit) ?? $0.unit, by: people[$0.updatedBy] ?? "") },
            units: units.map { PageOption(value: $0.unit.id, label: String(repeating: "　", count: $0.depth) + $0.unit.name, selected: $0.unit.id == selected) },
            url: draft?["url"] ?? shown?.url ?? "", enabled: draft.map { $0.form["enabled"] != nil } ?? shown?.enabled ?? true,
            deadLetters: dead.map { AdminWebhooksPage.deadLetter($0, unitName: reference.unitName($0.unit) ?? $0.unit) },
            deadText: dead.isEmpty ? "目前没有推送失败的消息。" : "以下 \(dead.count) 条消息多次推送失败，已停止重试；确认接收方恢复后可重新投递。" + (more ? "（只显示最近100条）" : ""),
            hasMoreDead: more)
    }
}

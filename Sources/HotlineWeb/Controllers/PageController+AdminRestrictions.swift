import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// 限制呼入: list, restrict and lift through ``CallerRestrictions`` (audited), for the roles that may restrict callers
/// (supervisors and admins). The intake desk's warning reads the same store.
extension PageController {
    func registerRestrictionPages(_ router: PageRouter) {
        adminGet(router, WebRoutes.adminRestrictions, .restrictCallers) { s, request, _ in
            try pages.response("admin-restrictions", try await restrictionsPage(s, notice: AdminNotice.text(request.uri.queryParameters.get("done"))))
        }
        adminPost(router, WebRoutes.adminRestrictions, .restrictCallers) { p in
            _ = try await app.restrictions.restrict(
                CallerRestrictions.NewRestriction(phone: p["phone"], reason: p["reason"], endsOn: p.optional("ends_on")), by: p.signed.user,
                client: p.client, at: clock())
            return WebRoutes.adminRestrictions + "?done=restriction_added"
        } failed: { p, e in
            try pages.response("admin-restrictions", try await restrictionsPage(p.signed, error: Self.adminMessage(e), draft: p), status: e.status)
        }
        adminPost(router, WebRoutes.adminRestrictionLift(":id"), .restrictCallers) { p in
            guard let id = Int64(p.id) else { throw APIError.notFound("限制记录 \(p.id) ") }
            _ = try await app.restrictions.lift(id, note: p["note"], by: p.signed.user, client: p.client, at: clock())
            return WebRoutes.adminRestrictions + "?done=restriction_lifted"
        } failed: { p, e in
            try pages.response("admin-restrictions", try await restrictionsPage(p.signed, error: Self.adminMessage(e)), status: e.status)
        }
    }

    func restrictionsPage(_ s: Signed, notice: String? = nil, error: String? = nil, draft: AdminPost? = nil) async throws -> AdminRestrictionsPage {
        let now = clock()
        let items = try await app.restrictions.list(phone: nil, onlyActive: true, for: s.user, at: now)
        let names = try await services.directory.displayNames(of: Set(items.map(\.restriction.createdBy)))
        let today = CivilDay(containing: now)
        return AdminRestrictionsPage(
            user: pageUser(s), sections: AdminSection.all(current: WebRoutes.adminRestrictions),
            adminNav: Capability.manageUnits.isAllowed(for: s.user.role), notice: notice, error: error,
            totalText: "生效中 \(items.count) 个号码",
            rows: items.map { item in
                let r = item.restriction
                return .init(
                    id: String(r.id), phone: r.phone, reason: r.reason, by: names[r.createdBy] ?? r.createdBy, since: r.startsAt.chinaShort,
                    // A restriction ends at the start of a day: it runs through the day before.
                    until: r.endsAt.chinaShort.hasSuffix(" 00:00")
                        ? CivilDay(containing: r.endsAt).adding(days: -1).description + "（含当日）" : r.endsAt.chinaShort,
                    liftAction: WebRoutes.adminRestrictionLift(String(r.id)))
            },
            phone: draft?["phone"] ?? "", reason: draft?["reason"] ?? "", endsOn: draft?["ends_on"] ?? "", firstDay: today.description,
            lastDay: today.adding(days: CallerRestriction.maximumDays).description,
            hint: "不填截止日期则限制 \(CallerRestriction.defaultDays) 天；最长 \(CallerRestriction.maximumDays) 天。受理台输入该号码时会显示限制提示。")
    }
}

import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// The intake desk: the caller's profile and taking the request.
extension PageController {
    func intakePage(_ s: Signed, phone typed: String?, call: String? = nil) async throws -> IntakePage {
        guard Action.create.isAllowed(for: s.user.role), s.user.role != .citizen else { throw APIError.lacks(.assistIntake, role: s.user.role) }
        let phone = typed.flatMap(Caller.normalisedPhone)
        var profile: IntakePage.Profile?
        var callerName = ""
        if let phone, s.user.actor.scope == .all {
            var filter = OrderFilter()
            filter.callerPhone = phone
            let now = clock()
            let orders = try await desk.list(filter, page: PageRequest(size: 20), for: s.user.actor, now: now)
            func link(_ o: OrderSummary) -> IntakePage.OrderLink {
                .init(number: o.number.description, href: WebRoutes.order(o.number.description), title: o.title, status: o.status.chineseName)
            }
            let open = orders.items.filter { $0.status.isOpen }
            // The caller's name as the latest order recorded it (lists are newest first), for the agent to confirm.
            if let latest = orders.items.first, let order = try await desk.current(latest.number, for: s.user.actor), !order.caller.confidential {
                callerName = order.caller.name
            }
            let restriction = try await services.restrictions.active(for: phone, at: now)
            profile = IntakePage.Profile(
                summary: "历史工单 \(orders.total) 件，其中未办结 \(open.count) 件。", restriction: restriction.map { "至 \($0.endsAt.chinaShort)，原因：\($0.reason)" },
                openOrders: open.map(link), pastOrders: orders.items.filter { !$0.status.isOpen }.prefix(5).map(link))
            profile?.panel = try await callerProfile(s, phone: phone, now: now)
        }
        let districts = try await services.directory.units().filter { $0.kind == .district }.compactMap(\.district)
        return IntakePage(
            user: pageUser(s), phone: phone ?? typed ?? "", callerName: callerName, error: nil, profile: profile, channels: IntakePage.channels, kinds: IntakePage.kinds,
            categories: IntakePage.categories(services.reference.categories),
            districts: districts.map { IntakePage.Option(value: $0, label: $0) }, expertHref: expertHref(s, call: call))
    }

    /// 转专家坐席 from the desk, with the call being handled (the screen pop's `call`), for those who consult.
    func expertHref(_ s: Signed, call: String?) -> String? {
        guard Capability.consultExperts.isAllowed(for: s.user.role) else { return nil }
        guard let call = call?.trimmingCharacters(in: .whitespaces), !call.isEmpty, call.count <= 100 else { return WebRoutes.expertsAsk }
        return WebRoutes.list(WebRoutes.expertsAsk, [("call", call)])
    }

    /// 受理 from the intake form: the same input as `POST /api/v1/orders`, read from the form's nested names
    /// (`caller[phone]`, `location[district]`, `decision[type]` …).
    func takeRequest(_ s: Signed, _ body: ByteBuffer) async throws -> WorkOrder {
        let input = try InputDecoder.decode(IntakeRequest.self, body: body, format: .form)
        return try await desk.take(try input.draft(), by: s.user.actor, at: clock()).outcome.order
    }
}

extension PageController {
    /// 来电人画像 of a phone number, for the roles that may see it (nil for everyone else, and for a number with no
    /// orders and no restrictions).
    func callerProfile(_ s: Signed, phone: String, now: Date) async throws -> CallerProfilePanel? {
        guard Capability.viewCallerProfile.isAllowed(for: s.user.role), s.user.actor.scope == .all else { return nil }
        return try await app.callers.profile(.init(phone: phone), for: s.user, now: now).map { CallerProfilePanel($0, reference: services.reference) }
    }
}

import Foundation
import HotlineDomain
import HotlineStorage
import Hummingbird

/// The intake desk: the caller's profile and taking the request.
extension PageController {
    func intakePage(_ s: Signed, phone typed: String?) async throws -> IntakePage {
        guard Action.create.isAllowed(for: s.user.role), s.user.role != .citizen else { throw APIError.lacks(.assistIntake, role: s.user.role) }
        let phone = typed.flatMap(Caller.normalisedPhone)
        var profile: IntakePage.Profile?
        if let phone, s.user.actor.scope == .all {
            var filter = OrderFilter()
            filter.callerPhone = phone
            let now = clock()
            let orders = try await services.desk.list(filter, page: PageRequest(size: 20), for: s.user.actor, now: now)
            func link(_ o: OrderSummary) -> IntakePage.OrderLink {
                .init(number: o.number.description, href: WebRoutes.order(o.number.description), title: o.title, status: o.status.chineseName)
            }
            let open = orders.items.filter { $0.status.isOpen }
            let restriction = try await services.restrictions.active(for: phone, at: now)
            profile = IntakePage.Profile(
                summary: "历史工单 \(orders.total) 件，其中未办结 \(open.count) 件。", restriction: restriction.map { "至 \(OrderListPage.short($0.endsAt))，原因：\($0.reason)" },
                openOrders: open.map(link), pastOrders: orders.items.filter { !$0.status.isOpen }.prefix(5).map(link))
        }
        let districts = try await services.directory.units().filter { $0.kind == .district }.compactMap(\.district)
        return IntakePage(
            user: pageUser(s), phone: phone ?? typed ?? "", error: nil, profile: profile, channels: IntakePage.channels, kinds: IntakePage.kinds,
            categories: IntakePage.categories(services.reference.categories),
            districts: districts.map { IntakePage.Option(value: $0, label: $0) })
    }

    func takeRequest(_ s: Signed, _ f: [String: String]) async throws -> WorkOrder {
        func value(_ k: String) -> String { f[k]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }
        guard let channel = Channel(rawValue: value("channel")) else { throw APIError.invalid("channel", "请选择来源渠道") }
        guard let kind = RequestKind(rawValue: value("kind")) else { throw APIError.invalid("kind", "请选择诉求类型") }
        let decision: IntakeDecision = value("decision") == "answer_directly" ? .answerDirectly(value("answer")) : .accept
        let draft = IntakeDraft(
            channel: channel,
            caller: Caller(name: value("caller_name"), phone: value("caller_phone"), type: CallerType(rawValue: value("caller_type")) ?? .individual,
                           confidential: value("confidential") == "true"),
            kind: kind, categoryCode: value("category_code").isEmpty ? nil : value("category_code"), title: value("title"), content: value("content"),
            location: Location(address: value("address"), district: value("district").isEmpty ? nil : value("district")),
            lanes: value("lane_urgent") == "true" ? [.urgentLivelihood] : [], decision: decision)
        let outcome = try await services.desk.intake(draft, by: s.user.actor, at: clock())
        services.similar.add(outcome.order)
        return outcome.order
    }
}

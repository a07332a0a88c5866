import Foundation
import HotlineDomain
import HotlineStorage
import Hummingbird

/// The work-order API: intake, list, detail and every transition of the loop.
struct OrderController: Sendable {
    let desk: WorkOrderDesk
    let restrictions: CallerRestrictionStore
    let similar: SimilarOrders
    let actors: ActorResolver
    let attachments: AttachmentResponder
    let clock: @Sendable () -> Date

    func register(on router: Router<AppRequestContext>) {
        router.post(RouterPath(APIRoutes.orders)) { request, context in try await create(request, context) }
        router.get(RouterPath(APIRoutes.orders)) { request, context in try await list(request, context) }
        router.get(RouterPath(APIRoutes.order(":number"))) { request, context in try await show(request, context) }
        router.post(RouterPath(APIRoutes.action(":number", ":action"))) { request, context in try await act(request, context) }
        router.get(RouterPath(APIRoutes.attachment(":number", ":sha256"))) { request, context in
            let user = try await actors.actor(for: request, scope: .ordersRead)
            guard Capability.viewOrders.isAllowed(for: user.role) else { throw APIError.lacks(.viewOrders, role: user.role) }
            return try await attachments.response(
                number: context.parameters.get("number") ?? "", sha256: context.parameters.get("sha256") ?? "", for: user.actor)
        }
        router.get(RouterPath(APIRoutes.overdueByUnit)) { request, _ in
            let actor = try await actors.require(.viewOrders, for: request, scope: .ordersRead).actor
            var items = try await desk.store.overdueCountsByUnit(now: clock())
            switch actor.scope {
            case .all: break
            case .none: items = []
            case .subtree(let root):
                let units = desk.reference.context.units
                items = items.filter { units.isWithin($0.unit, root) }
            }
            return try APIJSON.response(["items": items])
        }
    }

    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try await actors.actor(for: request, scope: .ordersCreate)
        let body = try await APIBody.decode(IntakeRequest.self, from: request)
        let now = clock()
        let outcome = try await desk.intake(try body.draft(), by: user.actor, at: now)
        similar.add(outcome.order)
        var warnings: [Warning] = []
        if let restriction = try await restrictions.active(for: outcome.order.caller.phone, at: now) {
            warnings.append(Warning(code: "caller_restricted", message: "该号码已被限制呼入至 \(restriction.endsAt.chinaISO8601)，原因：\(restriction.reason)"))
        }
        return try APIJSON.response(
            TransitionResponse(order: OrderResponse(outcome.order, now: now, viewer: user.actor), events: outcome.events.map(\.kind.rawValue),
                               warnings: warnings),
            status: .created)
    }

    func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try await actors.require(.viewOrders, for: request, scope: .ordersRead)
        let number = try orderNumber(context)
        guard let (order, events) = try await desk.order(number, for: user.actor) else { throw APIError.notFound("工单 \(number) ") }
        let verified = EventLogVerifier.check(events, order: number.rawValue, count: events.count, head: events.last?.hash ?? StoredEvent.genesisHash) == nil
        return try APIJSON.response(OrderDetailResponse(
            order: OrderResponse(order, now: clock(), viewer: user.actor), events: events.map(EventResponse.init), chainVerified: verified))
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try await actors.require(.viewOrders, for: request, scope: .ordersRead)
        let query = try OrderQuery(request.uri.queryParameters)
        try Self.checkFilters(query.filter, for: user.actor)
        let now = clock()
        let page = try await desk.list(query.resolved(now: now, calendar: desk.reference.context.calendar), page: query.page, for: user.actor, now: now)
        return try APIJSON.response(OrderListResponse(page, now: now, viewer: user.actor))
    }

    /// Searching by a caller's phone number is for the centre: a unit could otherwise confirm who a confidential caller is.
    static func checkFilters(_ filter: OrderFilter, for actor: Actor) throws {
        if filter.callerPhone != nil, actor.scope != .all {
            throw APIError(.forbidden, code: "forbidden", message: "按来电号码检索仅限热线中心人员", field: "phone")
        }
    }

    func act(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try await actors.actor(for: request, scope: .ordersAct)
        let number = try orderNumber(context)
        let name = context.parameters.get("action") ?? ""
        guard let action = Action(rawValue: name.replacingOccurrences(of: "-", with: "_")), action != .create else {
            throw APIError.notFound("操作 \(name) ")
        }
        let now = clock()
        if action == .merge {
            let body = try await APIBody.decode(ActionRequest.Merge.self, from: request)
            let result = try await desk.merge(number, into: body.target, by: user.actor, at: now, note: body.note)
            return try APIJSON.response(TransitionResponse(
                order: OrderResponse(result.source.order, now: now, viewer: user.actor), events: result.source.events.map(\.kind.rawValue)))
        }
        let outcome: Outcome
        if action == .reply, MultipartForm.boundary(of: request.headers[.contentType]) != nil {
            try await desk.checkMayReply(number, by: user.actor)
            let reply = try ActionDecoding.replyUpload(try await MultipartForm.read(request))
            outcome = try await desk.reply(number, text: reply.text, files: reply.files, by: user.actor, at: now)
        } else {
            outcome = try await desk.apply(try await ActionDecoding.transition(for: action, from: request), to: number, by: user.actor, at: now)
        }
        return try APIJSON.response(TransitionResponse(
            order: OrderResponse(outcome.order, now: now, viewer: user.actor), events: outcome.events.map(\.kind.rawValue)))
    }

    func orderNumber(_ context: AppRequestContext) throws -> OrderNumber {
        let text = context.parameters.get("number") ?? ""
        guard let number = OrderNumber(text) else { throw APIError.notFound("工单 \(text) ") }
        return number
    }
}

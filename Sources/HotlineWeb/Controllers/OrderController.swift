import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import HTTPTypes
import Hummingbird

/// The work-order API: intake, list, detail and every transition of the loop.
struct OrderController: Sendable {
    let desk: WorkOrderDesk
    let actors: ActorResolver
    let attachments: AttachmentResponder
    let clock: @Sendable () -> Date

    func register(on router: Router<AppRequestContext>) {
        let ordersCreateRoutes = router.scoped(.ordersCreate, by: actors)
        let ordersReadRoutes = router.scoped(.ordersRead, by: actors)
        let ordersActRoutes = router.scoped(.ordersAct, by: actors)
        ordersCreateRoutes.post(RouterPath(APIRoutes.orders)) { request, context in try await create(request, context) }
        ordersReadRoutes.get(RouterPath(APIRoutes.orders)) { request, context in try await list(request, context) }
        ordersReadRoutes.get(RouterPath(APIRoutes.order(":number"))) { request, context in try await show(request, context) }
        ordersActRoutes.post(RouterPath(APIRoutes.action(":number", ":action"))) { request, context in try await act(request, context) }
        ordersReadRoutes.get(RouterPath(APIRoutes.attachment(":number", ":sha256"))) { request, context in
            let user = try context.require(.viewOrders)
            return try await attachments.response(
                number: context.parameters.get("number") ?? "", sha256: context.parameters.get("sha256") ?? "", for: user.actor)
        }
        ordersReadRoutes.get(RouterPath(APIRoutes.overdueByUnit)) { request, context in
            let actor = try context.require(.viewOrders).actor
            let items = try await desk.overdueByUnit(for: actor, now: clock())
            return try APIJSON.response(["items": items])
        }
    }

    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.user()
        let body = try await request.decode(as: IntakeRequest.self, context: context)
        let now = clock()
        let key = try Self.idempotencyKey(request)
        let result: WorkOrderDesk.IntakeResult
        do {
            result = try await desk.take(try body.draft(), by: user.actor, at: now, idempotencyKey: key)
        } catch let repeated as DuplicateMessage {
            // The same request again (a retry, or a balancer re-sending it): the order the first one made, once.
            guard let order = try await desk.current(repeated.order, for: user.actor) else { throw APIError.notFound("工单 \(repeated.order) ") }
            var response = try APIJSON.response(TransitionResponse(order: OrderResponse(order, now: now, viewer: user.actor), events: [], warnings: []))
            response.headers[.idempotentReplayed] = "true"
            return response
        }
        return try APIJSON.response(
            TransitionResponse(order: OrderResponse(result.outcome.order, now: now, viewer: user.actor), events: result.outcome.events.map(\.kind.rawValue),
                               warnings: result.warnings),
            status: .created)
    }

    func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewOrders)
        let number = try orderNumber(context)
        guard let record = try await desk.record(number, for: user.actor, narrated: false) else { throw APIError.notFound("工单 \(number) ") }
        return try APIJSON.response(OrderDetailResponse(record, now: clock(), viewer: user.actor))
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewOrders)
        let query = try OrderQuery(request.uri.queryParameters)
        let now = clock()
        let page = try await desk.list(query.resolved(now: now, calendar: desk.reference.context.calendar), page: query.page, for: user.actor, now: now)
        return try APIJSON.response(OrderListResponse(page, now: now, viewer: user.actor))
    }

    /// POST /orders/{number}/{action}: decode the action's input (JSON, or multipart for a reply with files), carry
    /// it out through the desk, return the order.
    func act(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.user()
        let number = try orderNumber(context)
        let action = try Self.action(context)
        let command: OrderCommand
        if action == .reply, MultipartForm.boundary(of: request.headers[.contentType]) != nil {
            // An upload is read only for someone who may reply to this order.
            try await desk.checkMayReply(number, by: user.actor)
            let reply = try ActionDecoding.replyUpload(try await MultipartForm.read(request))
            command = .reply(text: reply.text, files: reply.files)
        } else {
            command = try InputDecoder.command(for: action, body: try await InputDecoder.readJSON(request), format: .json)
        }
        let now = clock()
        let outcome = try await desk.perform(command, on: number, by: user.actor, at: now)
        // A reply that passed may still have failed rules that only warn (提醒): the unit sees them.
        let warnings = action == .reply ? desk.currentReplyReview(of: outcome.order, at: now).filter { !$0.passed }.map(WorkOrderDesk.Warning.init(rule:)) : []
        return try APIJSON.response(TransitionResponse(
            order: OrderResponse(outcome.order, now: now, viewer: user.actor), events: outcome.events.map(\.kind.rawValue), warnings: warnings))
    }

    /// The action a path names (`send-back` or `send_back`); intake is not an action on an existing order.
    static func action(_ context: AppRequestContext) throws -> Action {
        let name = context.parameters.get("action") ?? ""
        guard let action = Action(rawValue: name.replacingOccurrences(of: "-", with: "_")), action != .create else {
            throw APIError.notFound("操作 \(name) ")
        }
        return action
    }

    func orderNumber(_ context: AppRequestContext) throws -> OrderNumber {
        let text = context.parameters.get("number") ?? ""
        guard let number = OrderNumber(text) else { throw APIError.notFound("工单 \(text) ") }
        return number
    }
}

extension OrderController {
    /// The request's `Idempotency-Key` (1–200 visible ASCII characters), or nil without one.
    static func idempotencyKey(_ request: Request) throws -> String? {
        guard let key = request.headers[.idempotencyKey] else { return nil }
        guard (1...200).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7e).contains($0) }) else {
            throw APIError.invalid("Idempotency-Key", "应为1至200个可见的英文字符")
        }
        return key
    }
}

extension HTTPField.Name {
    /// A client's key that makes a repeated intake return the first one's order (`POST /api/v1/orders`).
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    /// Set on the answer to a repeated intake.
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}

import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// 消息推送 over the API: each unit's webhook (`GET/PUT /api/v1/units/{code}/webhook`, the secret never shown back, only
/// whether one is set), the outbox's deliveries (`GET /api/v1/webhook-deliveries?state=dead`) and requeueing a dead
/// letter (`POST /api/v1/webhook-deliveries/{id}/requeue`). Admins only; changes are audited.
struct WebhookController: Sendable {
    let app: HotlineApp
    let actors: ActorResolver
    let clients: ClientAddress
    let clock: @Sendable () -> Date

    func register(on router: Router<AppRequestContext>) {
        let adminRoutes = router.scoped(.admin, by: actors)
        adminRoutes.get(RouterPath(APIRoutes.unitWebhook(":id"))) { request, context in
            let admin = try context.require(.manageUnits)
            let unit = context.parameters.get("id") ?? ""
            return try APIJSON.response(WebhookView(unit: unit, try await app.admin.webhook(of: unit, by: admin)))
        }
        adminRoutes.put(RouterPath(APIRoutes.unitWebhook(":id"))) { request, context in
            let admin = try context.require(.manageUnits)
            let unit = context.parameters.get("id") ?? ""
            let input = try await request.decode(as: AdminInput.WebhookInput.self, context: context)
            return try APIJSON.response(WebhookView(
                unit: unit, try await app.admin.setWebhook(of: unit, input, by: admin, client: clients.of(request, context), at: clock())))
        }
        adminRoutes.get(RouterPath(APIRoutes.webhookDeliveries)) { request, context in
            let admin = try context.require(.manageUnits)
            let params = request.uri.queryParameters
            var state: WebhookDelivery.State?
            if let s = params.get("state"), !s.isEmpty {
                guard let parsed = WebhookDelivery.State(rawValue: s) else { throw APIError.invalid("state", "应为 pending、delivered 或 dead") }
                state = parsed
            }
            guard let page = Int(params.get("page") ?? "1") else { throw APIError.invalid("page", "页码应为正整数") }
            guard let size = Int(params.get("size") ?? "50") else { throw APIError.invalid("size", "每页条数应在1到100之间") }
            let (items, hasMore) = try await app.admin.webhookDeliveries(state: state, page: page, size: size, by: admin)
            return try APIJSON.response(DeliveriesView(items: items.map { DeliveryView($0, reference: app.reference) }, page: page, hasMore: hasMore))
        }
        adminRoutes.post(RouterPath(APIRoutes.requeueWebhookDelivery(":id"))) { request, context in
            let admin = try context.require(.manageUnits)
            let raw = context.parameters.get("id") ?? ""
            guard let id = Int64(raw), id > 0 else { throw APIError.notFound("推送记录 \(raw) ") }
            return try APIJSON.response(DeliveryView(
                try await app.admin.requeueWebhookDelivery(id, by: admin, client: clients.of(request, context), at: clock()), reference: app.reference))
        }
    }
}

/// A unit's webhook as the API shows it: never the secret, only whether one is set.
struct WebhookView: Encodable {
    var unit: String
    var configured: Bool
    var url: String?
    var enabled: Bool
    var secretSet: Bool
    var updatedAt: Date?
    var updatedBy: String?

    init(unit: String, _ webhook: UnitWebhook?) {
        self.unit = unit
        configured = webhook != nil
        url = webhook?.url
        enabled = webhook?.enabled ?? false
        secretSet = webhook?.hasSecret ?? false
        updatedAt = webhook?.updatedAt
        updatedBy = webhook?.updatedBy
    }
}

/// One outbox row as the API shows it.
struct DeliveryView: Encodable {
    var id: Int64
    var deliveryId: String
    var unit: String
    var unitName: String
    var orderNumber: String
    var kind: String
    var kindName: String
    var state: String
    var stateName: String
    var tries: Int
    var nextAt: Date?
    var lastError: String?
    var createdAt: Date
    var updatedAt: Date

    init(_ d: WebhookDelivery, reference: ReferenceData) {
        id = d.id
        deliveryId = d.key
        unit = d.unit
        unitName = reference.unitName(d.unit) ?? d.unit
        orderNumber = String(d.order.rawValue)
        kind = d.kind
        kindName = EventKind(rawValue: d.kind)?.chineseName ?? "工单动态"
        state = d.state.rawValue
        stateName = d.state.chineseName
        tries = d.tries
        nextAt = d.state == .pending ? d.nextAt : nil
        lastError = d.lastError
        createdAt = d.createdAt
        updatedAt = d.updatedAt
    }
}

struct DeliveriesView: Encodable {
    var items: [DeliveryView]
    var page: Int
    var hasMore: Bool
}

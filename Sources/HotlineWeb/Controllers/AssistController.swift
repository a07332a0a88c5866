import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// The agent's assistant (智能辅助): for a request being typed, category and unit recommendations,
/// knowledge answers, similar orders and the reply scripts for the matter (话术) in one call; and the models behind it.
struct AssistController: Sendable {
    let services: HotlineServices
    let desk: WorkOrderDesk
    let scripts: ScriptDesk
    let actors: ActorResolver
    let clock: @Sendable () -> Date

    /// POST /intake/assist.
    struct AssistBody: Decodable {
        var title: String?
        var content: String
        var address: String?
        var district: String?
        var categoryCode: String?
        var callerPhone: String?
        /// The order being looked at: left out of its own similar orders, and the units that returned it left out of the units.
        var number: String?
    }

    func register(on router: Router<AppRequestContext>) {
        let ordersReadRoutes = router.scoped(.ordersRead, by: actors)
        let adminRoutes = router.scoped(.admin, by: actors)
        ordersReadRoutes.post(RouterPath(APIRoutes.assist)) { request, context in
            let user = try context.require(.assistIntake)
            let body = try await request.decode(as: AssistBody.self, context: context)
            let title = body.title ?? ""
            guard title.count <= 200 else { throw APIError.invalid("title", "不能超过200字") }
            guard !(title + body.content).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, body.content.count <= 5000 else {
                throw APIError.invalid("content", "不能为空且不能超过5000字")
            }
            if let code = body.categoryCode, !services.reference.context.categories.contains(code) {
                throw APIError(.unprocessableContent, code: "unknown_category", message: "事项分类不存在", field: "category_code")
            }
            let excluding = try body.number.map { n -> OrderNumber in
                guard let number = OrderNumber(n) else { throw APIError.invalid("number", "工单编号格式不正确") }
                return number
            }
            // For an existing order, the units that returned it are left out, as on the order page.
            var returned: [UnitID] = []
            if let excluding {
                guard let (_, events) = try await desk.order(excluding, for: user.actor) else { throw APIError.notFound("工单 \(excluding) ") }
                returned = IntakeAssistant.returningUnits(in: events)
            }
            let assistance = try await services.assistant.assist(
                IntakeAssistant.Request(title: title, content: body.content, address: body.address, district: body.district,
                                        categoryCode: body.categoryCode, callerPhone: body.callerPhone, excluding: excluding,
                                        excludedUnits: returned), now: clock())
            // The scripts of the matter the agent chose, else of the one the models rank first, and the general ones.
            let category = body.categoryCode ?? assistance.detailedCategories.first?.code ?? assistance.categories.first?.code
            let served = try await scripts.forCall(categoryCode: category, for: user)
            return try APIJSON.response(AssistAnswer(assistance: assistance, scripts: served.map { AssistScriptView($0, reference: services.reference) }))
        }
        ordersReadRoutes.get(RouterPath(APIRoutes.similar(":number"))) { request, context in
            let user = try context.require(.assistIntake)
            let text = context.parameters.get("number") ?? ""
            guard let number = OrderNumber(text), let (order, _) = try await desk.order(number, for: user.actor) else {
                throw APIError.notFound("工单 \(text) ")
            }
            let similar = try await services.assistant.similarOrders(
                IntakeAssistant.Request(title: order.title, content: order.content, callerPhone: order.caller.phone, excluding: number), now: clock())
            return try APIJSON.response(["items": similar])
        }
        adminRoutes.get(RouterPath(APIRoutes.models)) { request, context in
            _ = try context.require(.trainModels)
            return try APIJSON.response(["items": services.models.current.info])
        }
        adminRoutes.post(RouterPath(APIRoutes.modelsTrain)) { request, context in
            _ = try context.require(.trainModels)
            let summary = try await ModelTrainer(services: services).train(now: clock())
            return try APIJSON.response(summary)
        }
    }
}

/// The assistant's answer: every field of `Assistance` as it is, and the reply scripts (`scripts`) beside them.
struct AssistAnswer: Encodable {
    var assistance: Assistance
    var scripts: [AssistScriptView]

    enum CodingKeys: String, CodingKey { case scripts }

    func encode(to encoder: any Encoder) throws {
        try assistance.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(scripts, forKey: .scripts)
    }
}

import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// Quality inspection (质检) through the API: forms (admins), batches and scoring (inspectors), the agent's own
/// inspections with acknowledgement and appeal, the appeals for supervisors to decide, and the trends. Every call is
/// a `QualityDesk` use case, the same the console calls.
struct QualityController: Sendable {
    let quality: QualityDesk
    let actors: ActorResolver
    let clients: ClientAddress
    let clock: @Sendable () -> Date

    func register(on router: Router<AppRequestContext>) {
        let read = router.scoped(.ordersRead, by: actors)
        let act = router.scoped(.ordersAct, by: actors)
        let admin = router.scoped(.admin, by: actors)
        struct Items<T: Encodable>: Encodable {
            var items: [T]
            var hasMore: Bool
        }
        read.get(RouterPath(APIRoutes.qualityForms)) { request, context in
            let user = try context.user()
            return try APIJSON.response(Items(items: try await quality.forms(for: user).map(QualityFormView.init), hasMore: false))
        }
        read.get(RouterPath(APIRoutes.qualityForm(":id"))) { request, context in
            let user = try context.user()
            let record = try await quality.form(try Self.id(context, "评分表"), for: user)
            struct Detail: Encodable {
                var form: QualityFormView
                var versions: [QualityFormVersion]
            }
            return try APIJSON.response(Detail(form: QualityFormView(record.form), versions: record.versions))
        }
        admin.post(RouterPath(APIRoutes.qualityForms)) { request, context in
            let user = try context.require(.manageQualityForms)
            let input = try await request.decode(as: QualityDesk.FormInput.self, context: context)
            let form = try await quality.createForm(input, by: user, client: clients.of(request, context), at: clock())
            return try APIJSON.response(QualityFormView(form), status: .created)
        }
        admin.put(RouterPath(APIRoutes.qualityForm(":id"))) { request, context in
            let user = try context.require(.manageQualityForms)
            let input = try await request.decode(as: QualityDesk.FormInput.self, context: context)
            let form = try await quality.editForm(try Self.id(context, "评分表"), input, by: user, client: clients.of(request, context), at: clock())
            return try APIJSON.response(QualityFormView(form))
        }
        read.get(RouterPath(APIRoutes.qualityBatches)) { request, context in
            let user = try context.require(.inspectQuality)
            let page = try Paging(request.uri.queryParameters)
            let listing = try await quality.batches(for: user, page: page.page, pageSize: min(page.size, 100))
            return try APIJSON.response(Items(items: listing.batches.map(QualityBatchView.init), hasMore: listing.hasMore))
        }
        act.post(RouterPath(APIRoutes.qualityBatches)) { request, context in
            let user = try context.require(.inspectQuality)
            let input = try await request.decode(as: QualityDesk.DrawInput.self, context: context)
            let batch = try await quality.draw(input, by: user, client: clients.of(request, context), at: clock())
            let record = try await quality.batch(batch.id, for: user)
            struct Drawn: Encodable {
                var batch: QualityBatchView
                var inspections: [QualityInspectionView]
            }
            return try APIJSON.response(
                Drawn(batch: QualityBatchView(batch), inspections: record.inspections.map(QualityInspectionView.init)), status: .created)
        }
        read.get(RouterPath(APIRoutes.qualityBatch(":id"))) { request, context in
            let user = try context.require(.inspectQuality)
            let record = try await quality.batch(try Self.id(context, "抽检批次"), for: user)
            struct Detail: Encodable {
                var batch: QualityBatchView
                var inspections: [QualityInspectionView]
            }
            return try APIJSON.response(Detail(batch: QualityBatchView(record.batch), inspections: record.inspections.map(QualityInspectionView.init)))
        }
        read.get(RouterPath(APIRoutes.qualityMine)) { request, context in
            let user = try context.require(.reviewOwnQuality)
            let page = try Paging(request.uri.queryParameters)
            let listing = try await quality.mine(for: user, page: page.page, pageSize: min(page.size, 100))
            return try APIJSON.response(Items(items: listing.inspections.map(QualityInspectionView.init), hasMore: listing.hasMore))
        }
        read.get(RouterPath(APIRoutes.qualityAppeals)) { request, context in
            let user = try context.require(.decideQualityAppeals)
            let page = try Paging(request.uri.queryParameters)
            let listing = try await quality.appeals(for: user, page: page.page, pageSize: min(page.size, 100))
            return try APIJSON.response(Items(items: listing.inspections.map(QualityInspectionView.init), hasMore: listing.hasMore))
        }
        read.get(RouterPath(APIRoutes.qualityTrends)) { request, context in
            let user = try context.require(.viewQualityTrends)
            return try APIJSON.response(QualityTrendsView(try await quality.trends(for: user, at: clock())))
        }
        read.get(RouterPath(APIRoutes.qualityInspection(":id"))) { request, context in
            let user = try context.user()
            let record = try await quality.inspection(try Self.id(context, "质检记录"), for: user, at: clock())
            struct Detail: Encodable {
                var inspection: QualityInspectionView
                var form: QualityFormContent?
                var orderTitle: String?
            }
            return try APIJSON.response(
                Detail(inspection: QualityInspectionView(record.inspection), form: record.formContent, orderTitle: record.order?.title))
        }
        act.post(RouterPath(APIRoutes.qualityAction(":id", ":action"))) { request, context in
            let user = try context.user()
            let id = try Self.id(context, "质检记录")
            let client = clients.of(request, context)
            let now = clock()
            let result: QualityInspection
            switch context.parameters.get("action") ?? "" {
            case "score":
                result = try await quality.score(
                    id, try await request.decode(as: QualityDesk.ScoreInput.self, context: context), by: user, client: client, at: now)
            case "acknowledge":
                result = try await quality.acknowledge(id, by: user, client: client, at: now)
            case "appeal":
                result = try await quality.appeal(
                    id, try await request.decode(as: QualityDesk.AppealInput.self, context: context), by: user, client: client, at: now)
            case "decide":
                result = try await quality.decide(
                    id, try await request.decode(as: QualityDesk.DecideInput.self, context: context), by: user, client: client, at: now)
            case let other: throw APIError.notFound("操作 \(other) ")
            }
            return try APIJSON.response(QualityInspectionView(result))
        }
    }

    static func id(_ context: AppRequestContext, _ what: String) throws -> Int64 {
        let text = context.parameters.get("id") ?? ""
        guard let id = Int64(text) else { throw APIError.notFound("\(what) \(text) ") }
        return id
    }
}

import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// Reports through the API (报告), over `ReportDesk`: `GET /api/v1/reports` (the stored ones), `POST /api/v1/reports`
/// (a special report: `{"title", "from", "to", "category"?, "district"?}`, 201 with the report), `GET /api/v1/reports/{id}`
/// (the content as JSON, or with `format=xlsx|pdf|csv&table=…` a file).
struct ReportController: Sendable {
    let reports: ReportDesk
    let pages: PageRenderer
    let actors: ActorResolver
    let clock: @Sendable () -> Date

    struct Summary: Encodable {
        var id: Int64
        var kind: String
        var title: String
        var from: String
        var to: String
        var createdAt: Date
        var href: String

        init(_ r: StoredReport) {
            id = r.id
            kind = r.kind
            title = r.title
            from = r.from.description
            to = r.to.description
            createdAt = r.createdAt
            href = APIRoutes.report(String(r.id))
        }
    }

    struct Detail: Encodable {
        var id: Int64
        var report: Report
    }

    func register(on router: Router<AppRequestContext>) {
        let read = router.scoped(.ordersRead, by: actors)
        read.get(RouterPath(APIRoutes.reports)) { _, context in
            try APIJSON.response(["reports": try await reports.list(for: try context.user().actor).map(Summary.init)])
        }
        read.get(RouterPath(APIRoutes.report(":id"))) { request, context in
            let actor = try context.user().actor
            guard let id = context.parameters.get("id").flatMap(Int64.init), id > 0 else { throw APIError.notFound("报告") }
            let (stored, report) = try await reports.report(id, for: actor)
            let p = request.uri.queryParameters
            guard let format = p.get("format") else { return try APIJSON.response(Detail(id: id, report: report)) }
            return try await ReportFiles.response(
                id: id, stored: stored, report: report, format: format, table: p.get("table"), pages: pages,
                page: { ReportPage(user: nil, id: id, report: report, pdfAvailable: false) })
        }
        router.scoped(.admin, by: actors).post(RouterPath(APIRoutes.reports)) { request, context in
            let actor = try context.user().actor
            let input = try await request.decode(as: ReportDesk.SpecialInput.self, context: context)
            let id = try await InsightController.badRequestAsync { try await reports.generateSpecial(input, by: actor, at: clock()) }
            let (_, report) = try await reports.report(id, for: actor)
            return try APIJSON.response(Detail(id: id, report: report), status: .created)
        }
    }
}

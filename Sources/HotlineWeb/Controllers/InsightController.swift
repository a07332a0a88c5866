import Foundation
import HotlineApp
import HotlineDomain
import Hummingbird
import NIOCore

/// The measures and the unit ranking through the API (考评指标, 考评排名), over `InsightDesk`: `GET /api/v1/measures`,
/// `GET /api/v1/ranking` (with `format=csv|xlsx` the file), and the settings (`GET/PUT /api/v1/measure-settings`).
/// A bad parameter answers 400 naming it.
struct InsightController: Sendable {
    let insight: InsightDesk
    let actors: ActorResolver
    let clock: @Sendable () -> Date

    func register(on router: Router<AppRequestContext>) {
        let read = router.scoped(.ordersRead, by: actors)
        read.get(RouterPath(APIRoutes.measures)) { request, context in
            let actor = try context.user().actor
            let now = clock()
            let p = request.uri.queryParameters
            let query = try Self.badRequest {
                try MeasureQuery.parse(from: p.get("from"), to: p.get("to"), by: p.get("by"), subtree: p.get("subtree"), today: CivilDay(containing: now))
            }
            return try APIJSON.response(MeasureReportView(try await insight.measures(query, for: actor, at: now)))
        }
        read.get(RouterPath(APIRoutes.ranking)) { request, context in
            let actor = try context.user().actor
            let now = clock()
            let p = request.uri.queryParameters
            let format = p.get("format") ?? "json"
            guard ["json", "csv", "xlsx"].contains(format) else {
                throw APIError(.badRequest, code: "invalid_parameter", message: "导出格式应为 csv 或 xlsx", field: "format")
            }
            let ranking = try await Self.badRequestAsync { try await insight.ranking(month: p.get("month"), for: actor, at: now) }
            switch format {
            case "csv": return Self.file(ranking.spreadsheet.csv().data(using: .utf8)!, type: "text/csv; charset=utf-8", name: "ranking-\(ranking.month).csv")
            case "xlsx":
                return Self.file(try ranking.spreadsheet.xlsx(), type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                 name: "ranking-\(ranking.month).xlsx")
            default: return try APIJSON.response(RankingView(ranking))
            }
        }
        read.get(RouterPath(APIRoutes.measureSettings)) { _, context in
            try APIJSON.response(MeasureSettingsView(try await insight.settings(for: try context.user().actor)))
        }
        router.scoped(.admin, by: actors).put(RouterPath(APIRoutes.measureSettings)) { request, context in
            let actor = try context.user().actor
            let input = try await request.decode(as: MeasureSettingsView.self, context: context)
            try await insight.changeSettings(input.settings, by: actor, at: clock())
            return try APIJSON.response(MeasureSettingsView(try await insight.settings(for: actor)))
        }
    }

    /// A file to download, named in the `Content-Disposition`.
    static func file(_ data: Data, type: String, name: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.contentDisposition] = "attachment; filename=\"\(name)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A query parameter's refusal is the request's fault: 400, naming the parameter.
    static func badRequest<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch AppError.invalid(let field, let message) {
            throw APIError(.badRequest, code: "invalid_parameter", message: message, field: field)
        }
    }

    static func badRequestAsync<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch AppError.invalid(let field, let message) {
            throw APIError(.badRequest, code: "invalid_parameter", message: message, field: field)
        }
    }
}

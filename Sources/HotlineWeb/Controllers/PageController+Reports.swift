import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// 报告 in the console, over `ReportDesk` (the same use case as `/api/v1/reports`): the stored reports, one report with
/// its downloads (XLSX, a CSV per table, PDF printed by `PDFRenderer`), and a manager's special report.
extension PageController {
    func registerReports(_ router: PageRouter) {
        let reports = app.reports
        router.get(RouterPath(WebRoutes.insightReports)) { request, context in
            guard let signed = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.insightReports) }
            return try pages.response("reports", try await reportsPage(signed))
        }
        adminPost(router, WebRoutes.insightReports, .manageMeasures) { p in
            let input = ReportDesk.SpecialInput(title: p["title"], from: p["from"], to: p["to"], category: p.optional("category"), district: p.optional("district"))
            let id = try await reports.generateSpecial(input, by: p.signed.user.actor, at: clock())
            return WebRoutes.insightReport(String(id))
        } failed: { p, e in
            try pages.response("reports", try await reportsPage(p.signed, error: Self.adminMessage(e), draft: p.form), status: e.status)
        }
        router.get(RouterPath(WebRoutes.insightReport(":id"))) { request, context in
            guard let signed = context.session else { return redirect(WebRoutes.login + "?next=" + request.uri.path) }
            guard let id = context.parameters.get("id").flatMap(Int64.init), id > 0 else { throw APIError.notFound("报告") }
            let (stored, report) = try await reports.report(id, for: signed.user.actor)
            return try await ReportFiles.response(
                id: id, stored: stored, report: report, format: request.uri.queryParameters.get("format"), table: request.uri.queryParameters.get("table"),
                pages: pages, page: { ReportPage(user: pageUser(signed), id: id, report: report, pdfAvailable: PDFRenderer.located() != nil) })
        }
    }

    func reportsPage(_ s: Signed, error: String? = nil, draft: [String: String] = [:]) async throws -> ReportsPage {
        let list = try await app.reports.list(for: s.user.actor)
        let categories = try await app.services.directory.categories().filter { $0.parentCode == nil && !$0.retired }.map { (code: $0.code, name: $0.name) }
        return ReportsPage(
            user: pageUser(s), reports: list, canGenerate: Capability.manageMeasures.isAllowed(for: s.user.role), categories: categories,
            today: CivilDay(containing: clock()), error: error, draft: draft)
    }
}

/// A report in the form asked for: the page (nil format), `xlsx`, `csv` with `table`, or `pdf`. Shared by the console
/// and the API; a bad format or table answers 400 naming it.
enum ReportFiles {
    static func response(
        id: Int64, stored: StoredReport, report: Report, format: String?, table: String?, pages: PageRenderer, page: () -> ReportPage
    ) async throws -> Response {
        let name = "report-\(id)"
        switch format ?? "" {
        case "":
            return try pages.response("report", page())
        case "xlsx":
            return InsightController.file(try report.xlsx(), type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name: name + ".xlsx")
        case "csv":
            guard let table, let sheet = report.table(table) else {
                throw APIError(.badRequest, code: "invalid_parameter", message: "表格应为 measures、trend、ranking、topics 或 cases 之一", field: "table")
            }
            return InsightController.file(Data(sheet.csv().utf8), type: "text/csv; charset=utf-8", name: "\(name)-\(table).csv")
        case "pdf":
            guard let renderer = PDFRenderer.located() else {
                throw APIError(.serviceUnavailable, code: "pdf_unavailable", message: "本服务器未安装 Chromium 浏览器，暂不能生成 PDF", field: nil)
            }
            return InsightController.file(try await renderer.render(html: try html(report: report, id: id, pages: pages)), type: "application/pdf", name: name + ".pdf")
        default:
            throw APIError(.badRequest, code: "invalid_parameter", message: "格式应为 xlsx、csv 或 pdf", field: "format")
        }
    }

    /// The self-contained HTML the PDF is printed from (the console's style inlined, no script).
    static func html(report: Report, id: Int64, pages: PageRenderer) throws -> String {
        var model = ReportPage(user: nil, id: id, report: report, pdfAvailable: true)
        model.css = PageRenderer.asset("app.css").map { String(decoding: $0.data, as: UTF8.self) } ?? ""
        return try pages.html("report-print", model)
    }
}

/// A report's printable HTML for the command line (`hotline report --out FILE.html|.pdf`).
public enum ReportPrint {
    public static func html(_ report: Report) throws -> String {
        try ReportFiles.html(report: report, id: 0, pages: try PageRenderer())
    }
}

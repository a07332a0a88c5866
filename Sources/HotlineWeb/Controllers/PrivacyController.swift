import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// Revealing a caller's full contact data and exporting order lists: both explicit, both audited, both
/// bound by the same data scope and masking as the screens.
struct PrivacyController: Sendable {
    let desk: WorkOrderDesk
    let directory: DirectoryStore
    let audit: AuditLog
    let actors: ActorResolver
    let clients: ClientAddress
    let clock: @Sendable () -> Date

    /// Most rows one export may hold.
    static let exportLimit = 10_000

    struct RevealBody: Decodable {
        var field: ContactPrivacy.Field
        var reason: String?
    }

    struct RevealResponse: Encodable {
        var number: String
        var field: ContactPrivacy.Field
        var value: String
    }

    func register(on router: Router<AppRequestContext>) {
        router.post(RouterPath(APIRoutes.reveal(":number"))) { request, context in try await reveal(request, context) }
        router.get(RouterPath(APIRoutes.ordersExport)) { request, context in try await export(request, context) }
    }

    func reveal(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try await actors.require(.revealContact, for: request, scope: .contactsReveal)
        let text = context.parameters.get("number") ?? ""
        guard let number = OrderNumber(text), let (order, _) = try await desk.order(number, for: user.actor) else {
            throw APIError.notFound("工单 \(text) ")
        }
        let body = try await APIBody.decode(RevealBody.self, from: request)
        let reason = body.reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard reason.count <= 200 else { throw APIError.invalid("reason", "不能超过200字") }
        let now = clock()
        let client = clients.of(request, context)
        switch ContactPrivacy.reveal(body.field, of: order.caller, to: user.actor) {
        case .success(let value):
            try await audit.record(AuditEntry(at: now, actor: user.actor, action: .reveal, target: "order:\(number)",
                                              detail: "field=\(body.field.rawValue) reason=\(reason)", client: client))
            return try APIJSON.response(RevealResponse(number: number.description, field: body.field, value: value))
        case .failure(let refusal):
            try await audit.record(AuditEntry(at: now, actor: user.actor, action: .reveal, target: "order:\(number)", outcome: "failure",
                                              detail: "field=\(body.field.rawValue) refused=\(refusal)", client: client))
            switch refusal {
            case .roleHasNoNeed: throw APIError.lacks(.revealContact, role: user.role)
            case .confidential: throw APIError(.forbidden, code: "confidential", message: "来电人要求保密，承办单位不能查看其身份信息")
            case .nothingToReveal: throw APIError.notFound("该工单的\(body.field == .phone ? "电话" : "证件号码")")
            }
        }
    }

    /// GET /api/v1/orders-export?…: the order list's filters, as CSV (UTF-8 with BOM, opens in Excel), masked as in lists.
    func export(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try await actors.require(.exportOrders, for: request, scope: .ordersRead)
        let query = try OrderQuery(request.uri.queryParameters)
        let now = clock()
        let units = Dictionary(uniqueKeysWithValues: try await directory.units().map { ($0.id, $0.name) })
        var csv = "\u{FEFF}工单编号,状态,渠道,诉求类型,事项分类,主办单位,标题,区县,来电号码,受理时间,当前时限,是否超期\r\n"
        var rows = 0
        var page = PageRequest(page: 1, size: PageRequest.maximumSize, sort: query.page.sort, countsTotal: false)
        while rows < Self.exportLimit {
            let items = try await desk.list(query.filter, page: page, for: user.actor, now: now).items
            for item in items.prefix(Self.exportLimit - rows) {
                let fields = [
                    item.number.description, item.status.chineseName, item.channel.rawValue, item.kind.chineseName, item.categoryCode ?? "",
                    item.leadUnit.map { units[$0] ?? $0 } ?? "", item.title, item.district ?? "", OrderListResponse.shownPhone(item, viewer: user.actor),
                    item.createdAt.chinaISO8601, item.dueAt?.chinaISO8601 ?? "", (item.dueAt.map { $0 < now } ?? false) ? "是" : "否",
                ]
                csv += fields.map(Self.csvField).joined(separator: ",") + "\r\n"
                rows += 1
            }
            if items.count < page.size { break }
            page.page += 1
        }
        try await audit.record(AuditEntry(at: now, actor: user.actor, action: .export, target: "orders",
                                          detail: "rows=\(rows) query=\(Self.maskedQuery(request.uri.query ?? ""))", client: clients.of(request, context)))
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"orders-\(CivilDay(containing: now)).csv\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: csv)))
    }

    /// The export's query string for the audit line, with a caller's phone number masked as everywhere else.
    static func maskedQuery(_ query: String) -> String {
        query.split(separator: "&", omittingEmptySubsequences: false).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, (String(parts[0]).removingPercentEncoding ?? "") == "phone" else { return String(pair) }
            let phone = String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(parts[1])
            return "phone=" + ContactPrivacy.maskPhone(phone)
        }.joined(separator: "&")
    }

    /// Quotes a CSV field and defuses spreadsheet formulas (=, +, -, @ at the start).
    static func csvField(_ value: String) -> String {
        var v = value
        if let first = v.first, "=+-@\t\r".contains(first) { v = "'" + v }
        guard v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return v }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

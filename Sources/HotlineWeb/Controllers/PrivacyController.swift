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
    let actors: ActorResolver
    let clients: ClientAddress
    let clock: @Sendable () -> Date

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
        let contactsRevealRoutes = router.scoped(.contactsReveal, by: actors)
        let ordersReadRoutes = router.scoped(.ordersRead, by: actors)
        contactsRevealRoutes.post(RouterPath(APIRoutes.reveal(":number"))) { request, context in try await reveal(request, context) }
        ordersReadRoutes.get(RouterPath(APIRoutes.ordersExport)) { request, context in try await export(request, context) }
    }

    func reveal(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.require(.revealContact)
        let text = context.parameters.get("number") ?? ""
        guard let number = OrderNumber(text), try await desk.order(number, for: user.actor) != nil else { throw APIError.notFound("工单 \(text) ") }
        let body = try await request.decode(as: RevealBody.self, context: context)
        let value = try await desk.reveal(body.field, of: number, reason: body.reason, by: user, client: clients.of(request, context), at: clock())
        return try APIJSON.response(RevealResponse(number: number.description, field: body.field, value: value))
    }

    /// GET /api/v1/orders-export?…: the order list's filters, as CSV (UTF-8 with BOM, opens in Excel), masked as in lists.
    func export(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.require(.exportOrders)
        let query = try OrderQuery(request.uri.queryParameters)
        return try await Self.csvResponse(query, desk: desk, by: user, client: clients.of(request, context), at: clock())
    }

    /// The export of `query`'s list as a CSV download, through `WorkOrderDesk.export` (capability, scope, audit line);
    /// the console's 导出 CSV button gets the same file.
    static func csvResponse(_ query: OrderQuery, desk: WorkOrderDesk, by user: UserAccount, client: String, at now: Date) async throws -> Response {
        let filter = query.resolved(now: now, calendar: desk.reference.context.calendar)
        let items = try await desk.export(filter, sort: query.page.sort, by: user, client: client, at: now)
        let units = desk.reference.names.units
        var csv = "\u{FEFF}工单编号,状态,渠道,诉求类型,事项分类,主办单位,标题,区县,来电号码,受理时间,当前时限,是否超期\r\n"
        for item in items {
            let fields = [
                item.number.description, item.status.chineseName, item.channel.chineseName, item.kind.chineseName,
                item.categoryCode.map { code in desk.reference.categoryName(code).map { "\($0)（\(code)）" } ?? code } ?? "未分类",
                item.leadUnit.map { units[$0] ?? $0 } ?? "", item.title, item.district ?? "", OrderListResponse.shownPhone(item, viewer: user.actor),
                item.createdAt.chinaISO8601, item.dueAt?.chinaISO8601 ?? "", (item.dueAt.map { $0 < now } ?? false) ? "是" : "否",
            ]
            csv += fields.map(Self.csvField).joined(separator: ",") + "\r\n"
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"orders-\(CivilDay(containing: now)).csv\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: csv)))
    }

    /// Quotes a CSV field and defuses spreadsheet formulas (=, +, -, @ at the start).
    static func csvField(_ value: String) -> String {
        var v = value
        if let first = v.first, "=+-@\t\r".contains(first) { v = "'" + v }
        guard v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return v }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

extension Open311Controller {
    /// `GET requests`: `service_request_id` (a comma list, which overrides every other filter), `service_code` (comma
    /// list; each code with its subtree), `status` (`open`, `closed`, comma list), `start_date` and `end_date` (W3C
    /// times; the last 90 days by default, and never more than 90 days): at most 1,000 orders, newest first.
    func requests(_ request: Request) async throws -> Open311Document {
        let now = clock()
        let query = try Self.orderQuery(Self.query(request), now: now)
        let orders = try await desk.publicOrders(query, now: now)
        return .list(item: "request", orders.map { Open311View.ServiceRequest(public: $0, reference: desk.reference).document })
    }

    /// `GET requests/{id}`: the order as a one-element list.
    func single(_ id: String) async throws -> Open311Document {
        let query = OrderNumber(id).map { PublicOrderQuery(numbers: [$0], from: .distantPast, to: .distantFuture) }
        guard let query, let order = try await desk.publicOrders(query, now: clock()).first else {
            throw Open311Error.notFound("工单 \(id.prefix(64)) 不存在")
        }
        return .list(item: "request", [Open311View.ServiceRequest(public: order, reference: desk.reference).document])
    }

    static func orderQuery(_ fields: [String: String], now: Date) throws(Open311Error) -> PublicOrderQuery {
        func list(_ name: String) -> [String] {
            (fields[name] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let ids = list("service_request_id")
        if !ids.isEmpty {
            guard ids.count <= PublicOrderQuery.maximumCount else {
                throw .badRequest("service_request_id 一次最多\(PublicOrderQuery.maximumCount)个")
            }
            // A malformed id names no order, like an unknown one.
            return PublicOrderQuery(numbers: ids.compactMap(OrderNumber.init), from: .distantPast, to: .distantFuture)
        }
        var statuses: [WorkOrderStatus] = []
        for name in Set(list("status")) {
            guard let status = Open311Status(rawValue: name.lowercased()) else { throw .badRequest("status 只能是 open 或 closed") }
            statuses += status.statuses
        }
        if Set(statuses) == Set(WorkOrderStatus.allCases) { statuses = [] }
        func time(_ name: String) throws(Open311Error) -> Date? {
            guard let text = fields[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let date = ISOTime.parse(text) else { throw .badRequest("\(name) 应为 W3C 时间，如 2025-03-01T00:00:00+08:00") }
            return date
        }
        let span = PublicOrderQuery.maximumSpan
        let from: Date, to: Date
        switch (try time("start_date"), try time("end_date")) {
        case (nil, nil): (from, to) = (now.addingTimeInterval(-span), now)
        case (let start?, nil): (from, to) = (start, start.addingTimeInterval(span))
        case (nil, let end?): (from, to) = (end.addingTimeInterval(-span), end)
        case (let start?, let end?):
            guard start <= end else { throw .badRequest("start_date 不能晚于 end_date") }
            guard end.timeIntervalSince(start) <= span else { throw .badRequest("start_date 与 end_date 相隔不能超过90天") }
            (from, to) = (start, end)
        }
        return PublicOrderQuery(categories: list("service_code"), statuses: statuses.sorted { $0.rawValue < $1.rawValue }, from: from, to: to)
    }

    /// `POST requests`: a form-encoded request with its `api_key` (in the body or the query string), taken as an order
    /// through the Open311 channel by the key's user, after the intake rate limits (per client address and per phone).
    func submit(_ request: Request, _ context: AppRequestContext) async throws -> Open311Document {
        if let type = request.headers[.contentType],
            type.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() != "application/x-www-form-urlencoded"
        {
            throw Open311Error.badRequest("请求体应为表单（application/x-www-form-urlencoded）")
        }
        let body = try await request.body.collect(upTo: APIBody.maximumBytes)
        let submission = Open311Submission(query: FormFields.pairs(request.uri.query ?? ""), body: FormFields.pairs(String(buffer: body)))
        let user = try await keyHolder(submission.apiKey)
        if let asked = submission.jurisdiction { try checkJurisdiction(asked) }
        let draft = try submission.draft(in: catalogue)
        try await limiter.checkIntake(address: clients.of(request, context), sender: draft.caller.phone)
        let order = try await desk.take(draft, by: user.actor, at: clock()).outcome.order
        let notice = "已受理，工单编号 \(order.number)。可凭工单编号和联系电话在市民查询中了解办理进度。"
        return .list(item: "request", [Open311View.Posted(id: order.number.description, notice: notice).document])
    }

    /// The user an `api_key` speaks for: an API key or login token (never a browser session) that carries `open311`.
    func keyHolder(_ key: String?) async throws -> UserAccount {
        guard let key, let holder = try await accounts.holder(ofToken: key, now: clock()), holder.kind != AccountStore.webKind,
            holder.scopes.permits(.open311)
        else {
            throw Open311Error.badKey
        }
        return holder.user
    }
}

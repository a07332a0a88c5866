import Foundation
import HotlineDomain
import HotlineStorage
import Hummingbird

/// The web console's pages (网页工作台): login, logout and each role's home page. Pages use the same session
/// cookie as the browser API; every form carries the session's CSRF token in `_csrf`.
struct PageController: Sendable {
    let services: HotlineServices
    let auth: AuthController
    let pages: PageRenderer
    let clock: @Sendable () -> Date

    struct LoginForm: Decodable {
        var username: String
        var password: String
        var next: String?
    }

    struct CSRFForm: Decodable {
        var _csrf: String?
    }

    /// The signed-in user of a page request, if the session cookie is valid.
    struct Signed {
        var user: UserAccount
        var token: String
        var tokenID: String
    }

    func register(on router: Router<AppRequestContext>) {
        let router = PageRouter(router: router, controller: self)
        router.get(RouterPath(WebRoutes.asset(":name"))) { _, context in
            guard let asset = PageRenderer.asset(context.parameters.get("name") ?? "") else { throw APIError.notFound("文件") }
            var headers = HTTPFields()
            headers[.contentType] = asset.type
            headers[.cacheControl] = "public, max-age=3600"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: asset.data)))
        }
        router.get(RouterPath(WebRoutes.login)) { request, _ in
            let next = WebRoutes.safeNext(request.uri.queryParameters.get("next"))
            if try await signed(request) != nil { return redirect(next) }
            return try pages.response("login", LoginPage(username: "", next: next))
        }
        router.post(RouterPath(WebRoutes.login)) { request, context in try await logIn(request, context) }
        router.post(RouterPath(WebRoutes.logout)) { request, context in
            guard let signed = try await signed(request) else { return redirect(WebRoutes.login) }
            let form = try await decodeForm(CSRFForm.self, request)
            guard SessionCookie.formIsSameSite(request, sessionToken: signed.token, formToken: form._csrf) else { throw APIError.csrfFailed }
            try await auth.endSession(signed.tokenID, of: signed.user, client: auth.clients.of(request, context))
            var response = redirect(WebRoutes.login)
            response.setCookie(SessionCookie.cleared(secure: auth.secure(request)))
            return response
        }
        router.get(RouterPath(WebRoutes.orders)) { request, _ in
            guard let signed = try await signed(request) else { return redirect(WebRoutes.login + "?next=/orders") }
            return try pages.response("orders", try await orderList(signed, request))
        }
        router.get(RouterPath(WebRoutes.order(":number"))) { request, context in
            let number = context.parameters.get("number") ?? ""
            guard let signed = try await signed(request) else { return redirect(WebRoutes.login + "?next=" + WebRoutes.order(number)) }
            let done = request.uri.queryParameters.get("done").flatMap { Action(rawValue: $0) }
            return try pages.response("order", try await orderDetail(signed, number, notice: done.map { "已\($0.chineseName)" }))
        }
        router.post(RouterPath(WebRoutes.order(":number") + "/:action")) { request, context in
            let number = context.parameters.get("number") ?? ""
            guard let signed = try await signed(request) else { return redirect(WebRoutes.login) }
            let form = try await decodeFields(request)
            guard SessionCookie.formIsSameSite(request, sessionToken: signed.token, formToken: form["_csrf"]) else { throw APIError.csrfFailed }
            let name = context.parameters.get("action") ?? ""
            guard let action = Action(rawValue: name.replacingOccurrences(of: "-", with: "_")), action != .create,
                  let orderNumber = OrderNumber(number) else { throw APIError.notFound("操作 \(name) ") }
            let now = clock()
            do {
                if action == .merge {
                    guard let target = OrderNumber(form["target"]?.trimmingCharacters(in: .whitespaces) ?? "") else {
                        throw APIError.invalid("target", "工单编号格式不正确")
                    }
                    _ = try await services.desk.merge(orderNumber, into: target, by: signed.user.actor, at: now, note: form["note"])
                } else {
                    _ = try await services.desk.apply(try OrderActionForms.transition(action, form), to: orderNumber, by: signed.user.actor, at: now)
                }
            } catch {
                let e = APIError.from(error)
                // Out of scope or missing: the same answer as for any order the viewer may not see.
                guard e.status != .notFound else { throw e }
                return try pages.response("order", try await orderDetail(signed, number, error: e.message), status: e.status)
            }
            return redirect(WebRoutes.order(number) + "?done=" + action.rawValue)
        }
        router.get(RouterPath(WebRoutes.intake)) { request, _ in
            guard let signed = try await signed(request) else { return redirect(WebRoutes.login + "?next=/intake") }
            return try pages.response("intake", try await intakePage(signed, phone: request.uri.queryParameters.get("phone")))
        }
        router.post(RouterPath(WebRoutes.intake)) { request, _ in
            guard let signed = try await signed(request) else { return redirect(WebRoutes.login) }
            let f = try await decodeFields(request)
            guard SessionCookie.formIsSameSite(request, sessionToken: signed.token, formToken: f["_csrf"]) else { throw APIError.csrfFailed }
            do {
                let order = try await takeRequest(signed, f)
                return redirect(WebRoutes.order(order.number.description) + "?done=create")
            } catch {
                let e = APIError.from(error)
                var page = try await intakePage(signed, phone: f["caller_phone"])
                page.error = e.message
                return try pages.response("intake", page, status: e.status)
            }
        }
        router.get(RouterPath(WebRoutes.liveQueues)) { request, _ in
            guard let signed = try await signed(request) else { return redirect(WebRoutes.login) }
            let limit = request.uri.queryParameters.get("max_events").flatMap(Int.init).map { min(max($0, 1), 1000) }
            return liveQueues(signed, maxEvents: limit)
        }
        router.get(RouterPath(WebRoutes.home)) { request, _ in
            guard let signed = try await signed(request) else { return redirect(WebRoutes.login + "?next=/") }
            return try pages.response("home", try await home(signed))
        }
    }

    /// Renders an error as a page of the console (status kept), for a signed-in user with their header.
    func errorPage(_ error: any Error, _ request: Request) async -> Response {
        let e = APIError.from(error)
        let user = (try? await signed(request)).flatMap { $0 }.map(pageUser)
        let page = ErrorPage(user: user, heading: ErrorPage.heading(for: e.status), message: e.message)
        return (try? pages.response("error", page, status: e.status)) ?? Response(status: e.status)
    }

    func signed(_ request: Request) async throws -> Signed? {
        guard let token = request.cookies[SessionCookie.name]?.value, !token.isEmpty,
              let holder = try await services.accounts.holder(ofToken: token, now: clock()), holder.kind == AccountStore.webKind else { return nil }
        return Signed(user: holder.user, token: token, tokenID: holder.tokenID)
    }

    func pageUser(_ s: Signed) -> PageUser {
        let unitName = s.user.unitID.flatMap(services.reference.unitName)
        return PageUser(displayName: s.user.displayName, roleName: s.user.role.chineseName, unitName: unitName,
                        csrf: SessionCookie.csrfToken(forSession: s.token), links: PageUser.links(for: s.user.role))
    }

    func home(_ s: Signed) async throws -> HomePage {
        let tiles = try await HomeQueues(services: services).tiles(for: s.user, now: clock())
        let summary = tiles.isEmpty ? "\(s.user.role.chineseName)没有工单队列。" : "\(s.user.role.chineseName)的待办（按数据权限统计）："
        return HomePage(user: pageUser(s), greeting: "\(s.user.displayName)，您好", summary: summary, queues: tiles)
    }

    func orderList(_ s: Signed, _ request: Request) async throws -> OrderListPage {
        guard Capability.viewOrders.isAllowed(for: s.user.role) else { throw APIError.lacks(.viewOrders, role: s.user.role) }
        let query = try OrderQuery(request.uri.queryParameters)
        try OrderController.checkFilters(query.filter, for: s.user.actor)
        let now = clock()
        let calendar = services.reference.context.calendar
        let result = try await services.desk.list(query.resolved(now: now, calendar: calendar), page: query.page, for: s.user.actor, now: now)
        let rows = result.items.map { item in
            let due = OrderListPage.timeLeft(item.dueAt, now: now, calendar: calendar)
            return OrderListPage.Row(
                number: item.number.description, href: WebRoutes.order(item.number.description), title: item.title, status: item.status.chineseName,
                kind: item.kind.chineseName, unit: item.leadUnit.flatMap(services.reference.unitName) ?? "—",
                phone: OrderListResponse.shownPhone(item, viewer: s.user.actor), created: OrderListPage.short(item.createdAt), due: due.text,
                overdue: due.overdue)
        }
        let f = query.filter
        var heading = f.statuses.count == 1 ? f.statuses[0].chineseName : "工单列表"
        if f.overdue == true { heading = (f.statuses.count == 1 ? heading : "") + "超期工单" }
        if query.dueSoon { heading = "即将超期工单" }
        let sorts: [(OrderSort, String)] = [(.newest, "最新受理"), (.oldest, "最早受理"), (.due, "时限最近")]
        let page = query.page.page
        let more = result.totalIsExact ? page * query.page.size < result.total : true
        return OrderListPage(
            user: pageUser(s), heading: heading, totalText: "共 \(result.total)\(result.totalIsExact ? "" : "+") 件",
            sorts: sorts.map { OrderListPage.SortLink(label: $1, href: WebRoutes.orders(f, dueSoon: query.dueSoon, sort: $0), current: $0 == query.page.sort) },
            rows: rows, page: page,
            previous: page > 1 ? WebRoutes.orders(f, dueSoon: query.dueSoon, sort: query.page.sort, page: page - 1) : nil,
            next: more && result.items.count == query.page.size ? WebRoutes.orders(f, dueSoon: query.dueSoon, sort: query.page.sort, page: page + 1) : nil)
    }

    func orderDetail(_ s: Signed, _ text: String, notice: String? = nil, error: String? = nil) async throws -> OrderDetailPage {
        guard Capability.viewOrders.isAllowed(for: s.user.role) else { throw APIError.lacks(.viewOrders, role: s.user.role) }
        guard let number = OrderNumber(text), let (order, events) = try await services.desk.order(number, for: s.user.actor) else {
            throw APIError.notFound("工单 \(text) ")
        }
        let now = clock()
        let ref = services.reference
        let ctx = ref.context
        let verified = EventLogVerifier.check(events, order: number.rawValue, count: events.count, head: events.last?.hash ?? StoredEvent.genesisHash) == nil
        let caller = ContactPrivacy.view(of: order.caller, for: s.user.actor)
        func unit(_ id: UnitID) -> String { ref.unitName(id) ?? id }
        var facts: [OrderDetailPage.Fact] = [
            .init(label: "状态", value: order.status.chineseName), .init(label: "诉求类型", value: order.kind.chineseName),
            .init(label: "来源渠道", value: order.channel.chineseName),
            .init(label: "事项分类", value: order.categoryCode.map { "\(ref.categoryName($0) ?? "")（\($0)）" } ?? "未分类"),
            .init(label: "来电人", value: "\(caller.name) \(caller.phone)"),
            .init(label: "诉求地点", value: [order.location.district, order.location.address].compactMap { $0 }.joined(separator: " ")),
            .init(label: "受理时间", value: OrderListPage.short(order.timeline.createdAt)),
        ]
        if let lead = order.leadUnit { facts.append(.init(label: "主办单位", value: unit(lead))) }
        if !order.assistingUnits.isEmpty { facts.append(.init(label: "协办单位", value: order.assistingUnits.map(unit).joined(separator: "、"))) }
        if !order.subUnits.isEmpty { facts.append(.init(label: "下派单位", value: order.subUnits.map(unit).joined(separator: "、"))) }
        if let due = order.activeDeadline {
            facts.append(.init(label: "当前时限", value: OrderListPage.short(due) + "（" + OrderListPage.timeLeft(due, now: now, calendar: ctx.calendar).text + "）"))
        }
        if order.redoCount > 0 { facts.append(.init(label: "重办次数", value: String(order.redoCount))) }
        if order.escalated { facts.append(.init(label: "提级督办", value: "是")) }
        if let r = order.repeatOf { facts.append(.init(label: "重复诉求", value: r.description)) }
        if let m = order.mergedInto { facts.append(.init(label: "已并入", value: m.description)) }
        var units = try await services.directory.units()
        var advice: OrderDetailPage.Advice?
        if Capability.assistIntake.isAllowed(for: s.user.role), [.pendingDispatch, .returned].contains(order.status) {
            let a = try await services.assistant.assist(
                IntakeAssistant.Request(title: order.title, content: order.content, address: order.location.address, district: order.location.district,
                                        categoryCode: order.categoryCode, callerPhone: order.caller.phone, excluding: order.number), now: now)
            // The recommended units come first in the dispatch form.
            let ranked = a.units.map(\.unitID)
            units.sort { (ranked.firstIndex(of: $0.id) ?? Int.max, $0.id) < (ranked.firstIndex(of: $1.id) ?? Int.max, $1.id) }
            let similar = a.similar.map { OrderDetailPage.Fact(label: $0.number, value: "\($0.title)（\($0.statusName)\($0.sameCaller ? "，同一来电人" : "")）") }
            advice = .init(units: a.units.map { OrderDetailPage.Fact(label: "\($0.name) \(Int(($0.score * 100).rounded()))%", value: $0.reasons.joined(separator: "；")) },
                           similar: similar, hasSimilar: !similar.isEmpty)
        }
        return OrderDetailPage(
            title: "工单 \(number)", user: pageUser(s), order: .init(number: number.description, title: order.title, content: order.content),
            notice: notice, error: error, facts: facts, reply: order.reply?.text ?? order.directAnswer,
            actions: OrderActionForms.forms(for: order, actor: s.user.actor, now: now, context: ctx, units: units), verified: verified,
            events: events.map { e in
                OrderDetailPage.Event(
                    at: OrderListPage.short(e.date), kind: EventKind(rawValue: e.kind)?.chineseName ?? e.kind,
                    actor: "\(e.actorID)（\(Role(rawValue: e.actorRole)?.chineseName ?? e.actorRole)）", note: e.note,
                    details: e.detailValues.isEmpty ? nil : e.detailValues.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
            }, advice: advice)
    }

    func intakePage(_ s: Signed, phone typed: String?) async throws -> IntakePage {
        guard Action.create.isAllowed(for: s.user.role), s.user.role != .citizen else { throw APIError.lacks(.assistIntake, role: s.user.role) }
        let phone = typed.flatMap(Caller.normalisedPhone)
        var profile: IntakePage.Profile?
        if let phone, s.user.actor.scope == .all {
            var filter = OrderFilter()
            filter.callerPhone = phone
            let now = clock()
            let orders = try await services.desk.list(filter, page: PageRequest(size: 20), for: s.user.actor, now: now)
            func link(_ o: OrderSummary) -> IntakePage.OrderLink {
                .init(number: o.number.description, href: WebRoutes.order(o.number.description), title: o.title, status: o.status.chineseName)
            }
            let open = orders.items.filter { $0.status.isOpen }
            let restriction = try await services.restrictions.active(for: phone, at: now)
            profile = IntakePage.Profile(
                summary: "历史工单 \(orders.total) 件，其中未办结 \(open.count) 件。", restriction: restriction.map { "至 \(OrderListPage.short($0.endsAt))，原因：\($0.reason)" },
                openOrders: open.map(link), pastOrders: orders.items.filter { !$0.status.isOpen }.prefix(5).map(link))
        }
        let districts = try await services.directory.units().filter { $0.kind == .district }.compactMap(\.district)
        return IntakePage(
            user: pageUser(s), phone: phone ?? typed ?? "", error: nil, profile: profile, channels: IntakePage.channels, kinds: IntakePage.kinds,
            categories: IntakePage.categories(services.reference.categories),
            districts: districts.map { IntakePage.Option(value: $0, label: $0) })
    }

    func takeRequest(_ s: Signed, _ f: [String: String]) async throws -> WorkOrder {
        func value(_ k: String) -> String { f[k]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }
        guard let channel = Channel(rawValue: value("channel")) else { throw APIError.invalid("channel", "请选择来源渠道") }
        guard let kind = RequestKind(rawValue: value("kind")) else { throw APIError.invalid("kind", "请选择诉求类型") }
        let decision: IntakeDecision = value("decision") == "answer_directly" ? .answerDirectly(value("answer")) : .accept
        let draft = IntakeDraft(
            channel: channel,
            caller: Caller(name: value("caller_name"), phone: value("caller_phone"), type: CallerType(rawValue: value("caller_type")) ?? .individual,
                           confidential: value("confidential") == "true"),
            kind: kind, categoryCode: value("category_code").isEmpty ? nil : value("category_code"), title: value("title"), content: value("content"),
            location: Location(address: value("address"), district: value("district").isEmpty ? nil : value("district")),
            lanes: value("lane_urgent") == "true" ? [.urgentLivelihood] : [], decision: decision)
        let outcome = try await services.desk.intake(draft, by: s.user.actor, at: clock())
        services.similar.add(outcome.order)
        return outcome.order
    }

    /// How often live queue counts are sent.
    static let liveInterval: Duration = .seconds(5)

    struct LiveTile: Encodable {
        var label: String
        var count: String
        var urgent: Bool
    }

    /// `text/event-stream` of the user's queue tiles: one event at once, then one per interval while the session
    /// lasts (or `maxEvents`, which tests use to end the stream).
    func liveQueues(_ s: Signed, maxEvents: Int?) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let services = services
        let clock = clock
        let body = ResponseBody { writer in
            var sent = 0
            while !Task.isCancelled {
                guard let holder = try await services.accounts.holder(ofToken: s.token, now: clock(), touch: false),
                      holder.kind == AccountStore.webKind else { break }
                let tiles = try await HomeQueues(services: services).tiles(for: holder.user, now: clock())
                let data = try JSONEncoder().encode(tiles.map { LiveTile(label: $0.label, count: $0.count, urgent: $0.urgent) })
                try await writer.write(ByteBuffer(string: "event: queues\ndata: " + String(decoding: data, as: UTF8.self) + "\n\n"))
                sent += 1
                if let maxEvents, sent >= maxEvents { break }
                try await Task.sleep(for: Self.liveInterval)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// A urlencoded form as fields (the last value wins).
    func decodeFields(_ request: Request) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        var fields: [String: String] = [:]
        for pair in String(decoding: Data(buffer: buffer), as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            guard let key = parts.first, !key.isEmpty else { continue }
            fields[key] = parts.count > 1 ? parts[1] : ""
        }
        return fields
    }

    func logIn(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let client = auth.clients.of(request, context)
        try auth.limiter.check("login|" + client, .login)
        // No session exists yet to bind a token to: the Origin check and SameSite=Strict stop cross-site logins.
        guard SessionCookie.originMatches(request) else { throw APIError.csrfFailed }
        let form = try await decodeForm(LoginForm.self, request)
        let next = WebRoutes.safeNext(form.next)
        do {
            let user = try await auth.check(username: form.username, password: form.password, client: client)
            let session = try await auth.startSession(for: user, replacing: request)
            var response = redirect(next)
            response.setCookie(session.cookie)
            return response
        } catch let e as APIError where e.code == "invalid_credentials" || e.code == "account_locked" {
            return try pages.response("login", LoginPage(error: e.message, username: String(form.username.prefix(64)), next: next), status: e.status)
        }
    }

    func decodeForm<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        let buffer = try await request.body.collect(upTo: 16 * 1024)
        do {
            return try URLEncodedFormDecoder().decode(T.self, from: String(decoding: Data(buffer: buffer), as: UTF8.self))
        } catch {
            throw APIError.malformed("表单字段不完整")
        }
    }

    func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}

/// Registers page routes so that whatever a handler throws is shown as an error page, not as API JSON.
struct PageRouter {
    let router: Router<AppRequestContext>
    let controller: PageController

    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response

    func wrap(_ handler: @escaping Handler) -> Handler {
        let controller = controller
        return { request, context in
            do { return try await handler(request, context) } catch { return await controller.errorPage(error, request) }
        }
    }

    func get(_ path: RouterPath, _ handler: @escaping Handler) { router.get(path, use: wrap(handler)) }
    func post(_ path: RouterPath, _ handler: @escaping Handler) { router.post(path, use: wrap(handler)) }
}

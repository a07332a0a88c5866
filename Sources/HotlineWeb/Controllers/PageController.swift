import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// The web console's pages (网页工作台): login, logout and each role's home page. Pages use the same session
/// cookie as the browser API; every form carries the session's CSRF token in `_csrf`.
struct PageController: Sendable {
    let services: HotlineServices
    /// The use cases; the console changes nothing any other way.
    let app: HotlineApp
    var desk: WorkOrderDesk { app.desk }
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
        /// 消息提醒: the user's unread notices for the header's bell (up to 100).
        var unreadNotices = 0
    }

    func register(on router: Router<AppRequestContext>) {
        // Assets are open and need no session; every page route gets the session from the ``ResolveSession`` middleware.
        router.get(RouterPath(WebRoutes.asset(":name"))) { _, context in
            guard let asset = PageRenderer.asset(context.parameters.get("name") ?? "") else { throw APIError.notFound("文件") }
            var headers = HTTPFields()
            headers[.contentType] = asset.type
            headers[.cacheControl] = "public, max-age=3600"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: asset.data)))
        }
        let router = PageRouter(routes: router.group().add(middleware: ResolveSession(controller: self)), controller: self)
        router.get(RouterPath(WebRoutes.login)) { request, context in
            let next = WebRoutes.safeNext(request.uri.queryParameters.get("next"))
            if context.session != nil { return redirect(next) }
            return try pages.response("login", LoginPage(username: "", next: next))
        }
        router.post(RouterPath(WebRoutes.login)) { request, context in try await logIn(request, context) }
        router.post(RouterPath(WebRoutes.logout)) { request, context in
            guard let signed = context.session else { return redirect(WebRoutes.login) }
            let form = try await decodeForm(CSRFForm.self, request)
            guard SessionCookie.formIsSameSite(request, sessionToken: signed.token, formToken: form._csrf) else { throw APIError.csrfFailed }
            try await auth.endSession(signed.tokenID, of: signed.user, client: auth.clients.of(request, context))
            var response = redirect(WebRoutes.login)
            response.setCookie(SessionCookie.cleared(secure: auth.secure(request)))
            return response
        }
        router.get(RouterPath(WebRoutes.orders)) { request, context in
            guard let signed = context.session else { return redirect(WebRoutes.login + "?next=/orders") }
            var page = try await orderList(signed, request.uri.queryParameters)
            page.livePath = request.uri.description
            return try pages.response("orders", page)
        }
        router.get(RouterPath(WebRoutes.ordersExport)) { request, context in
            guard let signed = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.orders) }
            return try await exportList(signed, request, context)
        }
        router.get(RouterPath(WebRoutes.order(":number"))) { request, context in
            let number = context.parameters.get("number") ?? ""
            guard let signed = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.order(number)) }
            let done = request.uri.queryParameters.get("done")
            let notice = done == "knowledge_draft"
                ? "已转为知识草稿，由知识库编辑完善后提交审核发布。" : done.flatMap { Action(rawValue: $0) }.map { action in
                    // 单位审核通过 / 单位审核退回 read as what happened to the reply, not "已单位审核…".
                    [Action.passUnitReview: "单位审核已通过，答复已报送中心审核", .sendBackUnitReview: "单位审核已退回，经办人需重新答复"][action]
                        ?? (action.chineseName.hasPrefix("已") ? action.chineseName : "已\(action.chineseName)")
                }
            var page = try await orderDetail(signed, number, notice: notice)
            page.livePath = WebRoutes.order(number)
            return try pages.response("order", page)
        }
        router.post(RouterPath(WebRoutes.reveal(":number"))) { request, context in try await revealContact(request, context) }
        router.post(RouterPath(WebRoutes.order(":number") + "/:action")) { request, context in
            let number = context.parameters.get("number") ?? ""
            guard let signed = context.session else { return redirect(WebRoutes.login) }
            let action = try OrderController.action(context)
            guard let orderNumber = OrderNumber(number) else { throw APIError.notFound("工单 \(number) ") }
            // The reply form uploads files; every other form is urlencoded and decodes exactly as the API's JSON does.
            let command: OrderCommand
            if MultipartForm.boundary(of: request.headers[.contentType]) != nil {
                // The reply form carries its CSRF token in the action URL (`?_csrf=`), so that the session, the token,
                // the role and the order are all checked before the body is read.
                let token = request.uri.queryParameters.get("_csrf")
                guard SessionCookie.formIsSameSite(request, sessionToken: signed.token, formToken: token) else { throw APIError.csrfFailed }
                guard action == .reply else { throw APIError.malformed("只有答复表单可以上传文件") }
                try await desk.checkMayReply(orderNumber, by: signed.user.actor)
                let reply = try ActionDecoding.replyUpload(try await MultipartForm.read(request))
                command = .reply(text: reply.text, files: reply.files)
            } else {
                let body = try await request.body.collect(upTo: APIBody.maximumBytes)
                let token = Self.field("_csrf", in: body)
                guard SessionCookie.formIsSameSite(request, sessionToken: signed.token, formToken: token) else { throw APIError.csrfFailed }
                do {
                    command = try InputDecoder.command(for: action, body: body, format: .form)
                } catch {
                    return try await refusal(error, signed, number)
                }
            }
            do {
                try await desk.perform(command, on: orderNumber, by: signed.user.actor, at: clock())
            } catch {
                return try await refusal(error, signed, number)
            }
            return redirect(WebRoutes.order(number) + "?done=" + action.rawValue)
        }
        router.get(RouterPath(WebRoutes.attachment(":number", ":sha256"))) { request, context in
            let number = context.parameters.get("number") ?? ""
            guard let signed = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.order(number)) }
            guard Capability.viewOrders.isAllowed(for: signed.user.role) else { throw APIError.lacks(.viewOrders, role: signed.user.role) }
            return try await AttachmentResponder(desk: desk).response(
                number: number, sha256: context.parameters.get("sha256") ?? "", for: signed.user.actor)
        }
        router.get(RouterPath(WebRoutes.supervision)) { request, context in
            guard let signed = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.supervision) }
            var board = try await supervisionBoard(signed)
            board.livePath = WebRoutes.supervision
            return try pages.response("supervision", board)
        }
        router.get(RouterPath(WebRoutes.intake)) { request, context in
            guard let signed = context.session else { return redirect(WebRoutes.login + "?next=/intake") }
            let query = request.uri.queryParameters
            return try pages.response("intake", try await intakePage(signed, phone: query.get("phone"), call: query.get("call")))
        }
        router.post(RouterPath(WebRoutes.intake)) { request, context in
            guard let signed = context.session else { return redirect(WebRoutes.login) }
            let body = try await request.body.collect(upTo: APIBody.maximumBytes)
            guard SessionCookie.formIsSameSite(request, sessionToken: signed.token, formToken: Self.field("_csrf", in: body)) else { throw APIError.csrfFailed }
            do {
                let order = try await takeRequest(signed, body)
                // The notice names what the agent decided: 已受理, 已直接答复, 已不予受理.
                let decided: Action = switch order.status {
                case .closed where order.directAnswer != nil: .answerDirectly
                case .rejected: .reject
                default: .create
                }
                return redirect(WebRoutes.order(order.number.description) + "?done=" + decided.rawValue)
            } catch {
                let e = APIError.from(error)
                var page = try await intakePage(signed, phone: Self.field("caller[phone]", in: body))
                page.error = FieldLabels.message(e)
                return try pages.response("intake", page, status: e.status)
            }
        }
        router.get(RouterPath(WebRoutes.liveQueues)) { request, context in
            guard let signed = context.session else { return redirect(WebRoutes.login) }
            let limit = request.uri.queryParameters.get("max_events").flatMap(Int.init).map { min(max($0, 1), 1000) }
            return try await liveQueues(signed, tiles: request.uri.queryParameters.get("tiles") != "none", maxEvents: limit)
        }
        router.get(RouterPath(WebRoutes.livePage)) { request, context in
            guard let signed = context.session else { return redirect(WebRoutes.login) }
            let limit = request.uri.queryParameters.get("max_events").flatMap(Int.init).map { min(max($0, 1), 1000) }
            return try await livePage(signed, path: request.uri.queryParameters.get("path") ?? "", maxEvents: limit)
        }
        registerAdmin(router)
        registerCallCentrePages(router)
        registerKnowledge(router)
        registerScripts(router)
        registerCases(router)
        registerExperts(router)
        registerPerformance(router)
        registerQuality(router)
        registerNotices(router)
        registerInsight(router)
        registerTopics(router)
        registerReports(router)
        registerSpecialists(router)
        registerSchedules(router)
        router.get(RouterPath(WebRoutes.home)) { request, context in
            // A visitor without a staff session is a citizen: the portal is the site's front page.
            guard let signed = context.session else { return redirect(PortalRoutes.home) }
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
        return Signed(user: holder.user, token: token, tokenID: holder.tokenID, unreadNotices: try await app.notices.unreadCount(for: holder.user.actor)
                      + (try await app.topics.unreadAlerts(for: holder.user)))
    }

    func pageUser(_ s: Signed) -> PageUser {
        let unitName = s.user.unitID.flatMap(services.reference.unitName)
        var user = PageUser(displayName: s.user.displayName, roleName: s.user.role.chineseName, unitName: unitName,
                            csrf: SessionCookie.csrfToken(forSession: s.token), links: PageUser.links(for: s.user.role))
        user.bell(unread: s.unreadNotices)
        user.screenPop = s.user.role == .agent
        return user
    }

    func home(_ s: Signed) async throws -> HomePage {
        let tiles = try await HomeQueues(services: services, desk: desk).tiles(for: s.user, now: clock())
        let summary = tiles.isEmpty ? "\(s.user.role.chineseName)没有工单队列。" : "\(s.user.role.chineseName)的待办（按数据权限统计）："
        var page = HomePage(user: pageUser(s), greeting: "\(s.user.displayName)，您好", summary: summary, queues: tiles)
        if Capability.manageTimeLimits.isAllowed(for: s.user.role) {
            page.calendarWarnings = CalendarWarning.texts(services.reference.context.calendar, at: clock())
        }
        page.insight = try await managerHome(s)
        return page
    }

    /// The insight part of the home: the city's figures for managers and supervisors, the own place for a unit admin.
    func managerHome(_ s: Signed) async throws -> ManagerHome? {
        let role = s.user.role
        let cityWide = ManagerHome.cityRoles.contains(role)
        guard cityWide || role == .unitAdmin else { return nil }
        let now = clock()
        let today = CivilDay(containing: now)
        let ranking = try await app.insight.ranking(month: nil, for: s.user.actor, at: now)
        if !cityWide {
            guard let unit = s.user.unitID else { return nil }
            return ManagerHome(trend: nil, ranking: ranking, topics: nil, unread: s.unreadNotices, ownUnit: unit)
        }
        let trend = try await app.insight.measures(
            MeasureQuery(from: ManagerHome.trendStart(today), to: today, by: .month), for: s.user.actor, at: now)
        return ManagerHome(trend: trend, ranking: ranking, topics: try await topicsPanel(s), unread: s.unreadNotices, ownUnit: nil)
    }

    /// The order page again, saying why an action was refused, with the refusal's status. A missing or out-of-scope
    /// order answers as any order the viewer may not see.
    func refusal(_ error: any Error, _ s: Signed, _ number: String) async throws -> Response {
        let e = APIError.from(error)
        guard e.status != .notFound else { throw e }
        return try pages.response("order", try await orderDetail(s, number, error: FieldLabels.message(e)), status: e.status)
    }

    /// One field of a urlencoded body, e.g. the CSRF token.
    static func field(_ name: String, in body: ByteBuffer) -> String? { FormFields.value(name, in: String(buffer: body)) }

    /// A urlencoded form as fields.
    func decodeFields(_ request: Request, upTo limit: Int = 64 * 1024) async throws -> [String: String] {
        FormFields.dictionary(String(buffer: try await request.body.collect(upTo: limit)))
    }

    /// A posted console form: the signed-in user and the fields (nil when nobody is signed in), once the form's CSRF
    /// token is checked and, if given, the role holds `capability`.
    func postedForm(
        _ request: Request, _ context: AppRequestContext, requiring capability: Capability?, upTo limit: Int = 64 * 1024
    ) async throws -> (Signed, [String: String])? {
        guard let s = context.session else { return nil }
        let form = try await decodeFields(request, upTo: limit)
        guard SessionCookie.formIsSameSite(request, sessionToken: s.token, formToken: form["_csrf"]) else { throw APIError.csrfFailed }
        if let capability { try require(capability, s) }
        return (s, form)
    }

    func logIn(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let client = auth.clients.of(request, context)
        try await auth.limiter.check("login|" + client, .login)
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
    let routes: RouterGroup<AppRequestContext>
    let controller: PageController

    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response

    func wrap(_ handler: @escaping Handler) -> Handler {
        let controller = controller
        return { request, context in
            do { return try await handler(request, context) } catch { return await controller.errorPage(error, request) }
        }
    }

    func get(_ path: RouterPath, _ handler: @escaping Handler) { routes.get(path, use: wrap(handler)) }
    func post(_ path: RouterPath, _ handler: @escaping Handler) { routes.post(path, use: wrap(handler)) }
}

/// Authentication of the console as middleware: reads the session cookie into the request context (nil when there is
/// none or it is no longer valid), so that each page handler finds the signed-in user there and sends the signed-out
/// to the login page.
struct ResolveSession: RouterMiddleware {
    typealias Context = AppRequestContext
    let controller: PageController

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.session = try await controller.signed(request)
        return try await next(request, context)
    }
}

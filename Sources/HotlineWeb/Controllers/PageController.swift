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
        router.get(RouterPath(WebRoutes.home)) { request, _ in
            guard let signed = try await signed(request) else { return redirect(WebRoutes.login + "?next=/") }
            return try pages.response("home", try await home(signed))
        }
    }

    func signed(_ request: Request) async throws -> Signed? {
        guard let token = request.cookies[SessionCookie.name]?.value, !token.isEmpty,
              let holder = try await services.accounts.holder(ofToken: token, now: clock()), holder.kind == AccountStore.webKind else { return nil }
        return Signed(user: holder.user, token: token, tokenID: holder.tokenID)
    }

    func pageUser(_ s: Signed) -> PageUser {
        let unitName = s.user.unitID.flatMap(services.reference.unitName)
        return PageUser(displayName: s.user.displayName, roleName: s.user.role.chineseName, unitName: unitName,
                        csrf: SessionCookie.csrfToken(forSession: s.token))
    }

    func home(_ s: Signed) async throws -> HomePage {
        let tiles = try await HomeQueues(services: services).tiles(for: s.user, now: clock())
        let summary = tiles.isEmpty ? "\(s.user.role.chineseName)没有工单队列。" : "\(s.user.role.chineseName)的待办（按数据权限统计）："
        return HomePage(user: pageUser(s), greeting: "\(s.user.displayName)，您好", summary: summary, queues: tiles)
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

import Foundation
import HotlineDomain
import HotlineStorage
import Hummingbird

/// Login, logout and password change: bearer tokens for API clients, cookie sessions for the web console.
struct AuthController: Sendable {
    let accounts: AccountStore
    let audit: AuditLog
    let actors: ActorResolver
    let limiter: RateLimiter
    let clients: ClientAddress
    let secureCookies: Bool
    let clock: @Sendable () -> Date

    /// Lifetime of a token issued at login.
    static let sessionLifetime: TimeInterval = 12 * 3600

    struct LoginBody: Decodable {
        var username: String
        var password: String
    }

    struct LoginResponse: Encodable {
        var token: String
        var tokenType = "Bearer"
        var expiresAt: Date
        var user: UserAccount
    }

    struct SessionResponse: Encodable {
        var user: UserAccount
        var roleName: String
        var csrfToken: String
    }

    struct PasswordBody: Decodable {
        var currentPassword: String
        var newPassword: String
    }

    func register(on router: Router<AppRequestContext>) {
        let fullScopeRoutes = router.scoped(.all, by: actors)
        router.post(RouterPath(APIRoutes.login)) { request, context in
            let user = try await logIn(request, context)
            let issued = try await accounts.issueToken(
                for: user.id, kind: AccountStore.sessionKind, scopes: [TokenScope.all.rawValue], now: clock(), lifetime: Self.sessionLifetime)
            return try APIJSON.response(LoginResponse(token: issued.token, expiresAt: issued.expiresAt, user: user))
        }
        router.post(RouterPath(APIRoutes.session)) { request, context in
            let user = try await logIn(request, context)
            let session = try await startSession(for: user, replacing: request)
            var response = try APIJSON.response(
                SessionResponse(user: user, roleName: user.role.chineseName, csrfToken: SessionCookie.csrfToken(forSession: session.token)))
            response.setCookie(session.cookie)
            return response
        }
        fullScopeRoutes.get(RouterPath(APIRoutes.session)) { request, context in
            let caller = try context.caller()
            guard let token = caller.sessionToken else { throw APIError.unauthenticated }
            return try APIJSON.response(SessionResponse(user: caller.user, roleName: caller.user.role.chineseName,
                                                        csrfToken: SessionCookie.csrfToken(forSession: token)))
        }
        fullScopeRoutes.delete(RouterPath(APIRoutes.session)) { request, context in
            try await logOut(request, context)
            var response = Response(status: .noContent)
            response.setCookie(SessionCookie.cleared(secure: secure(request)))
            return response
        }
        fullScopeRoutes.post(RouterPath(APIRoutes.logout)) { request, context in
            try await logOut(request, context)
            return Response(status: .noContent)
        }
        fullScopeRoutes.post(RouterPath(APIRoutes.password)) { request, context in
            let caller = try context.caller()
            let client = clients.of(request, context)
            try await limiter.check("password|" + client, .login)
            let body = try await request.decode(as: PasswordBody.self, context: context)
            if let problem = PasswordPolicy.problem(with: body.newPassword) { throw APIError.invalid("new_password", problem) }
            let now = clock()
            // Wrong current passwords count like failed logins, under the user's login name and this client.
            do {
                _ = try await accounts.authenticate(caller.user.id, password: body.currentPassword, client: client, now: now)
            } catch AccountStore.LoginFailure.locked(let until) {
                throw Self.locked(until)
            } catch AccountStore.LoginFailure.invalidCredentials {
                throw APIError(.forbidden, code: "invalid_credentials", message: "当前密码不正确")
            }
            try await accounts.setPassword(body.newPassword, for: caller.user.id)
            try await accounts.revokeTokens(of: caller.user.id, keeping: caller.tokenID, now: now)
            try await audit.record(AuditEntry(at: now, actor: caller.actor, action: .passwordChanged, target: "user:\(caller.user.id)",
                                              client: client))
            return Response(status: .noContent)
        }
    }

    /// Checks the credentials in the body, within the per-client rate limit; every attempt is audited.
    func logIn(_ request: Request, _ context: AppRequestContext) async throws -> UserAccount {
        let client = clients.of(request, context)
        try await limiter.check("login|" + client, .login)
        let body = try await request.decode(as: LoginBody.self, context: context)
        return try await check(username: body.username, password: body.password, client: client)
    }

    /// Checks a username and password (the caller has applied the rate limit); audits the attempt.
    func check(username: String, password: String, client: String) async throws -> UserAccount {
        guard username.count <= 64, password.count <= PasswordPolicy.maximumLength else { throw Self.invalidCredentials }
        let now = clock()
        let attempted = "user:" + username
        do {
            let user = try await accounts.authenticate(username, password: password, client: client, now: now)
            try await audit.record(AuditEntry(at: now, actor: user.actor, action: .login, target: attempted, client: client))
            return user
        } catch AccountStore.LoginFailure.invalidCredentials {
            try await audit.record(AuditEntry(at: now, actor: nil, action: .loginFailed, target: attempted, outcome: "failure", client: client))
            throw Self.invalidCredentials
        } catch AccountStore.LoginFailure.locked(let until) {
            try await audit.record(AuditEntry(at: now, actor: nil, action: .accountLocked, target: attempted, outcome: "failure",
                                              detail: "locked until \(until.chinaISO8601)", client: client))
            throw Self.locked(until)
        }
    }

    /// Too many failures in a row for this login name from this client.
    static func locked(_ until: Date) -> APIError {
        APIError(.forbidden, code: "account_locked", message: "连续登录失败次数过多，该账号在本终端已锁定至 \(until.chinaISO8601)")
    }

    /// Revokes the token or session the request came with.
    func logOut(_ request: Request, _ context: AppRequestContext) async throws {
        let caller = try context.caller()
        try await endSession(caller.tokenID, of: caller.user, client: clients.of(request, context))
    }

    /// Revokes one token or session and audits the logout.
    func endSession(_ tokenID: String, of user: UserAccount, client: String) async throws {
        let now = clock()
        try await accounts.revokeToken(tokenID, now: now)
        try await audit.record(AuditEntry(at: now, actor: user.actor, action: .logout, client: client))
    }

    /// Starts a browser session for `user`, ending whatever session the request carried (no fixation).
    func startSession(for user: UserAccount, replacing request: Request) async throws -> (token: String, cookie: Cookie) {
        let now = clock()
        if let old = request.cookies[SessionCookie.name]?.value, let holder = try await accounts.holder(ofToken: old, now: now) {
            try await accounts.revokeToken(holder.tokenID, now: now)
        }
        let issued = try await accounts.issueToken(
            for: user.id, kind: AccountStore.webKind, scopes: [TokenScope.all.rawValue], now: now, lifetime: SessionCookie.lifetime)
        return (issued.token, SessionCookie.make(issued.token, secure: secure(request)))
    }

    func secure(_ request: Request) -> Bool { secureCookies || clients.isSecure(request) }

    static let invalidCredentials = APIError(.unauthorized, code: "invalid_credentials", message: "用户名或密码不正确")
}

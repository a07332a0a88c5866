import Foundation
import HotlineDomain
import HotlineStorage
import Hummingbird

/// Login, logout and password change for API clients (bearer tokens).
struct AuthController: Sendable {
    let accounts: AccountStore
    let actors: ActorResolver
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

    struct PasswordBody: Decodable {
        var currentPassword: String
        var newPassword: String
    }

    func register(on router: Router<AppRequestContext>) {
        router.post(RouterPath(APIRoutes.login)) { request, _ in
            let body = try await APIBody.decode(LoginBody.self, from: request)
            guard body.username.count <= 64, body.password.count <= PasswordPolicy.maximumLength else { throw Self.invalidCredentials }
            let now = clock()
            let user: UserAccount
            do {
                user = try await accounts.authenticate(body.username, password: body.password, now: now)
            } catch AccountStore.LoginFailure.invalidCredentials {
                throw Self.invalidCredentials
            } catch AccountStore.LoginFailure.locked(let until) {
                throw APIError(.forbidden, code: "account_locked", message: "连续登录失败次数过多，账号已锁定至 \(until.chinaISO8601)")
            }
            let issued = try await accounts.issueToken(for: user.id, kind: "session", scopes: ["*"], now: now, lifetime: Self.sessionLifetime)
            return try APIJSON.response(LoginResponse(token: issued.token, expiresAt: issued.expiresAt, user: user))
        }
        router.post(RouterPath(APIRoutes.logout)) { request, _ in
            let caller = try await actors.caller(for: request)
            try await accounts.revokeToken(caller.tokenID, now: clock())
            return Response(status: .noContent)
        }
        router.post(RouterPath(APIRoutes.password)) { request, _ in
            let caller = try await actors.caller(for: request)
            let body = try await APIBody.decode(PasswordBody.self, from: request)
            if let problem = PasswordPolicy.problem(with: body.newPassword) { throw APIError.invalid("new_password", problem) }
            let now = clock()
            do {
                _ = try await accounts.authenticate(caller.user.id, password: body.currentPassword, now: now)
            } catch {
                throw APIError(.forbidden, code: "invalid_credentials", message: "当前密码不正确")
            }
            try await accounts.setPassword(body.newPassword, for: caller.user.id)
            try await accounts.revokeTokens(of: caller.user.id, keeping: caller.tokenID, now: now)
            return Response(status: .noContent)
        }
    }

    static let invalidCredentials = APIError(.unauthorized, code: "invalid_credentials", message: "用户名或密码不正确")
}

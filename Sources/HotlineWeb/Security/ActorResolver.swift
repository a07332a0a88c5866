import Foundation
import HTTPTypes
import HotlineDomain
import HotlineStorage
import Hummingbird

/// Finds who is acting, and refuses the request when they may not: every route that is not in
/// ``APIRoutes/open`` goes through here, naming the token scope it needs.
///
/// A request is authenticated by `Authorization: Bearer …` (API clients and integrations) or by the session
/// cookie (the web console). Role and unit always come from the user table, never from the client. A
/// state-changing request that relies on the cookie must carry the session's CSRF token.
struct ActorResolver: Sendable {
    let accounts: AccountStore
    let clock: @Sendable () -> Date

    struct Caller: Sendable {
        var user: UserAccount
        var tokenID: String
        var kind: String
        /// The raw session token when the cookie authenticated the request.
        var sessionToken: String?
        var actor: Actor { user.actor }
    }

    /// `scope` nil: any valid token will do (who-am-I).
    func caller(for request: Request, scope: TokenScope?) async throws -> Caller {
        let now = clock()
        if let header = request.headers[.authorization] {
            guard header.hasPrefix("Bearer ") else { throw APIError.unauthenticated }
            let token = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
            // Browser session tokens live only in the HttpOnly cookie.
            guard !token.isEmpty, let holder = try await accounts.holder(ofToken: token, now: now), holder.kind != AccountStore.webKind else {
                throw APIError.unauthenticated
            }
            if let scope, !holder.scopes.permits(scope) { throw APIError.insufficientScope(scope) }
            return Caller(user: holder.user, tokenID: holder.tokenID, kind: holder.kind, sessionToken: nil)
        }
        if let token = request.cookies[SessionCookie.name]?.value, !token.isEmpty {
            guard let holder = try await accounts.holder(ofToken: token, now: now), holder.kind == AccountStore.webKind else {
                throw APIError.unauthenticated
            }
            if !request.method.isSafe, !SessionCookie.requestIsSameSite(request, sessionToken: token) { throw APIError.csrfFailed }
            return Caller(user: holder.user, tokenID: holder.tokenID, kind: holder.kind, sessionToken: token)
        }
        throw APIError.unauthenticated
    }

    func actor(for request: Request, scope: TokenScope?) async throws -> UserAccount {
        try await caller(for: request, scope: scope).user
    }

    /// The acting user, if their role holds `capability`; otherwise 403.
    func require(_ capability: Capability, for request: Request, scope: TokenScope) async throws -> UserAccount {
        let user = try await actor(for: request, scope: scope)
        guard capability.isAllowed(for: user.role) else { throw APIError.lacks(capability, role: user.role) }
        return user
    }
}

extension HTTPRequest.Method {
    /// Methods that change nothing (RFC 9110 safe methods).
    var isSafe: Bool { self == .get || self == .head || self == .options }
}

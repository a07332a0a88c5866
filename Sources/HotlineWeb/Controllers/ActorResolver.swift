import Foundation
import HTTPTypes
import HotlineDomain
import HotlineStorage
import Hummingbird

/// Finds who is acting from the request's bearer token (`Authorization: Bearer …`): the token's user, with
/// the role and unit the directory holds for them (never what the client claims).
struct ActorResolver: Sendable {
    let accounts: AccountStore
    let clock: @Sendable () -> Date

    struct Caller: Sendable {
        var user: UserAccount
        var tokenID: String
    }

    func caller(for request: Request) async throws -> Caller {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { throw APIError.unauthenticated }
        let token = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty, let (user, id) = try await accounts.user(forToken: token, now: clock()) else { throw APIError.unauthenticated }
        return Caller(user: user, tokenID: id)
    }

    func actor(for request: Request) async throws -> UserAccount {
        try await caller(for: request).user
    }
}

import HotlineDomain
import HotlineStorage
import HTTPTypes
import Hummingbird

/// Finds who is acting from the request: the user named in the `X-Hotline-User` header, with the role
/// and unit the directory holds for them (never what the client claims).
struct ActorResolver: Sendable {
    let directory: DirectoryStore

    func actor(for request: Request) async throws -> UserAccount {
        guard let name = HTTPField.Name(APIRoutes.userHeader), let id = request.headers[name], !id.isEmpty,
            let user = try await directory.user(id)
        else { throw APIError.unauthenticated }
        return user
    }
}

import HotlineDomain
import HotlineStorage
import Hummingbird

/// The request context of every route: who the peer is and, once ``Authenticate`` has run, who is acting.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address as the socket reports it (nil in router tests).
    public let peerAddress: String?
    /// The authenticated caller, set by ``Authenticate`` for every route of a scoped group.
    var identity: ActorResolver.Caller?
    /// The console's signed-in user, set by ``ResolveSession`` for every page route (nil when signed out).
    var session: PageController.Signed?

    public init(source: Source) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }

    /// JSON bodies larger than this are refused with 413.
    public var maxUploadSize: Int { APIBody.maximumBytes }

    /// `request.decode(as:context:)` reads an API body through ``InputDecoder``: JSON declared as JSON, size-limited,
    /// 400 for a body that is not a JSON object and 422 naming a missing or mistyped field.
    public var requestDecoder: APIRequestDecoder { APIRequestDecoder() }

    /// The authenticated caller; a route outside a scoped group has none, which is a programming error answered 401.
    func caller() throws -> ActorResolver.Caller {
        guard let identity else { throw APIError.unauthenticated }
        return identity
    }

    /// The acting user.
    func user() throws -> UserAccount { try caller().user }

    /// The acting user, if their role holds `capability`; otherwise 403.
    func require(_ capability: Capability) throws -> UserAccount {
        let user = try user()
        guard capability.isAllowed(for: user.role) else { throw APIError.lacks(capability, role: user.role) }
        return user
    }
}

/// Authentication as middleware: resolves the bearer token or session cookie (with its CSRF check) into the request
/// context, demanding `scope` of the token, before any handler of its group runs. Every API route that is not open
/// is registered in a group made by ``Router/scoped(_:by:)``, so it names the scope it needs.
struct Authenticate: RouterMiddleware {
    typealias Context = AppRequestContext
    let actors: ActorResolver
    /// nil: any valid token will do (who-am-I).
    let scope: TokenScope?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.identity = try await actors.caller(for: request, scope: scope)
        return try await next(request, context)
    }
}

extension Router where Context == AppRequestContext {
    /// The routes that need a token with `scope` (nil: any token): each one is authenticated before its handler runs.
    func scoped(_ scope: TokenScope?, by actors: ActorResolver) -> RouterGroup<AppRequestContext> {
        group().add(middleware: Authenticate(actors: actors, scope: scope))
    }
}

/// The API's request decoder (Hummingbird's `RequestDecoder`): every JSON body of every route goes through it.
public struct APIRequestDecoder: RequestDecoder {
    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        try InputDecoder.decode(type, body: try await InputDecoder.readJSON(request), format: .json)
    }
}

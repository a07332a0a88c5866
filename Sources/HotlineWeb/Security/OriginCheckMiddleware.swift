import Foundation
import HTTPTypes
import Hummingbird

/// Refuses a state-changing request whose browser names another origin (跨站请求): scheme, host and port must
/// all be this server's as the request reached it — its `Host`, and `https` when it came over TLS (through a
/// trusted proxy's `X-Forwarded-Proto`, or always with `--secure-cookies`). This guards every route that sets
/// or clears the session cookie (login CSRF) as well as every other post. A request without `Origin` passes
/// (non-browser clients); cookie-authenticated ones still need the CSRF token.
struct OriginCheckMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Whether the request reached the site over TLS.
    let isSecure: @Sendable (Request) -> Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if !request.method.isSafe, let origin = request.headers[.origin],
            !Self.isSameOrigin(origin, authority: request.head.authority, scheme: isSecure(request) ? "https" : "http")
        {
            throw APIError.csrfFailed
        }
        return try await next(request, context)
    }

    /// Whether `origin` (`scheme://host[:port]`) is `scheme://authority`, default ports made explicit.
    static func isSameOrigin(_ origin: String, authority: String?, scheme: String) -> Bool {
        guard let authority, let own = URL(string: scheme + "://" + authority), let named = URL(string: origin),
            let ownHost = own.host?.lowercased(), let namedHost = named.host?.lowercased(), let namedScheme = named.scheme?.lowercased()
        else { return false }
        func port(_ url: URL, _ scheme: String) -> Int? { url.port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : nil) }
        return namedScheme == scheme && namedHost == ownHost && port(named, namedScheme) == port(own, scheme)
            && (named.path.isEmpty || named.path == "/") && named.user == nil
    }
}

import Crypto
import Foundation
import HotlineStorage
import HTTPTypes
import Hummingbird

/// The browser session cookie (会话) and its CSRF token. The cookie holds a random token stored only as a
/// hash; it is HttpOnly, SameSite=Strict, Secure when served over TLS, replaced on every login, and ends
/// when idle (``AccountStore/webIdleTimeout``). The CSRF token is derived from the session token, so it
/// needs no storage and changes with every session.
enum SessionCookie {
    static let name = "hotline_session"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
    /// Absolute lifetime of a browser session.
    static let lifetime: TimeInterval = 12 * 3600

    static func make(_ token: String, secure: Bool) -> Cookie {
        Cookie(name: name, value: token, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    static func cleared(secure: Bool) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    static func csrfToken(forSession token: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("hotline-csrf".utf8), using: SymmetricKey(data: Data(token.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Whether a state-changing request made with the session cookie proves it comes from our own pages:
    /// the CSRF token matches and, when the browser names an origin, it is this server.
    static func requestIsSameSite(_ request: Request, sessionToken: String) -> Bool {
        guard originMatches(request), let sent = request.headers[csrfHeader] else { return false }
        return constantTimeEqual(sent, csrfToken(forSession: sessionToken))
    }

    /// The same proof for an HTML form, whose token travels in the `_csrf` field.
    static func formIsSameSite(_ request: Request, sessionToken: String, formToken: String?) -> Bool {
        guard originMatches(request), let formToken else { return false }
        return constantTimeEqual(formToken, csrfToken(forSession: sessionToken))
    }

    /// True when the browser names no origin, or names this host and port. ``OriginCheckMiddleware`` has
    /// already checked the scheme too, for every state-changing request; this is the same check kept close to
    /// the token.
    static func originMatches(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        guard let scheme = URL(string: origin)?.scheme?.lowercased(), scheme == "http" || scheme == "https" else { return false }
        return OriginCheckMiddleware<AppRequestContext>.isSameOrigin(origin, authority: request.head.authority, scheme: scheme)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}

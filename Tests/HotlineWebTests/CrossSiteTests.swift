import Foundation
import HTTPTypes
import HotlineStorage
import HotlineTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HotlineWeb

/// Login CSRF and open redirects: another site can neither log a browser in nor send it off-site after login.
/// (Router tests reach the server as `http://localhost`.)
@Suite struct CrossSiteTests {
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let credentials = "{\"username\": \"disp1\", \"password\": \"\(TestCity.password)\"}"

    func sessionLogin(_ client: any TestClientProtocol, _ headers: HTTPFields) async throws -> APIReply {
        try await client.send(.post, APIRoutes.session, headers: headers, body: Self.credentials)
    }

    @Test(arguments: TestDatabase.available)
    func browserLoginsFromOtherSitesAreRefused(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let json: HTTPFields = [.contentType: "application/json"]
            for type in ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded"] {
                let simple = try await sessionLogin(client, [.contentType: type])
                #expect(simple.status == .unsupportedMediaType && simple.errorCode == "unsupported_media_type", "\(type)")
                #expect(simple.headers[.setCookie] == nil)
            }
            #expect(try await sessionLogin(client, [:]).status == .unsupportedMediaType, "a body must say it is JSON")
            for origin in ["https://evil.example", "http://localhost:8080", "https://localhost", "http://localhost.evil.example", "null"] {
                var headers = json
                headers[.origin] = origin
                let crossSite = try await sessionLogin(client, headers)
                #expect(crossSite.status == .forbidden && crossSite.errorCode == "csrf_failed", "\(origin)")
                #expect(crossSite.headers[.setCookie] == nil, "\(origin)")
            }
            var sameSite = json
            sameSite[.origin] = "http://localhost"
            let accepted = try await sessionLogin(client, sameSite)
            #expect(accepted.status == .ok && accepted.headers[.setCookie] != nil)
            #expect(try await sessionLogin(client, json).status == .ok, "no Origin: not a browser's cross-site post")
        }
    }

    @Test(arguments: TestDatabase.available)
    func theOriginMustMatchTheSchemeTheProxyReports(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            var headers: HTTPFields = [.contentType: "application/json", Self.forwardedProto: "https", .origin: "https://localhost"]
            let tls = try await sessionLogin(client, headers)
            #expect(tls.status == .ok)
            headers[.origin] = "http://localhost"
            let plain = try await sessionLogin(client, headers)
            #expect(plain.errorCode == "csrf_failed", "a plain-http page cannot post to the TLS site")
        }
    }

    @Test(arguments: TestDatabase.available)
    func theConsoleLoginFormChecksSchemeAndPort(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let body = "username=disp1&password=\(TestCity.password)&next=%2F"
            for origin in ["http://localhost:8080", "https://localhost"] {
                let reply = try await client.send(
                    .post, WebRoutes.login, headers: [.contentType: "application/x-www-form-urlencoded", .origin: origin], body: body)
                #expect(reply.status == .forbidden && reply.headers[.setCookie] == nil, "\(origin)")
            }
            let same = try await client.send(
                .post, WebRoutes.login, headers: [.contentType: "application/x-www-form-urlencoded", .origin: "http://localhost"], body: body)
            #expect(same.status == .seeOther && same.headers[.setCookie] != nil)
        }
    }

    static let attacks = [
        "/\t/evil.example/phish", "/\n/evil.example", "/\r/evil.example", "/ /evil.example", "//evil.example", "///evil.example",
        "/\\evil.example", "\\\\evil.example", "/%2F/evil.example", "/%2f%2fevil.example", "/%5Cevil.example", "/%09/evil.example",
        "/%0A/evil.example", "https://evil.example", "http:/evil.example", "javascript:alert(1)", "evil.example", "",
        "/\u{2028}/evil.example", "/\u{200B}/evil.example", "/\u{00A0}/evil.example", "/%E2%80%A8/evil.example", "/100%",
        "/" + String(repeating: "a", count: 300),
    ]

    @Test(arguments: attacks)
    func nextNeverLeavesTheSite(attack: String) {
        #expect(WebRoutes.safeNext(attack) == WebRoutes.home)
    }

    @Test func nextKeepsThisSitesPaths() {
        for path in ["/", "/orders?status=pending_dispatch&sort=due", "/orders/20250303000001", "/orders?q=%E8%B7%AF%E7%81%AF", "/admin/users"] {
            #expect(WebRoutes.safeNext(path) == path)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aSignedInBrowserIsNotSentOffSite(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let cookie = try await ConsoleTests().logIn(client, "disp1")
            let reply = try await client.send(
                .get, WebRoutes.login + "?next=/%09/evil.example/phish", headers: [.cookie: "hotline_session=" + cookie])
            #expect(reply.status == .seeOther)
            #expect(reply.headers[.location] == WebRoutes.home)
        }
    }
}

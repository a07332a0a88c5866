import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import HotlineWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Browser sessions: the cookie's attributes, CSRF, rotation on login (no fixation), idle expiry and logout.
@Suite struct SessionTests {
    @Test(arguments: TestDatabase.available)
    func sessionCookieIsHttpOnlyStrictAndNotReadableAsABearerToken(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let session = try await SessionClient.logIn(client, "disp1")
            let attributes = session.setCookie.lowercased()
            #expect(attributes.contains("httponly"))
            #expect(attributes.contains("samesite=strict"))
            #expect(attributes.contains("path=/"))
            #expect(!attributes.contains("secure"), "plain HTTP in tests: no Secure flag")
            let me = try await client.send(.get, APIRoutes.session, headers: session.cookieOnly)
            #expect(me.status == .ok)
            #expect(me["csrf_token"] as? String == session.csrf)
            let asBearer = try await client.send(.get, APIRoutes.me, headers: [.authorization: "Bearer " + session.token])
            #expect(asBearer.status == .unauthorized)
            let bearerAsCookie = try await client.send(.get, APIRoutes.me, headers: [.cookie: "hotline_session=" + TestCity.token("disp1")])
            #expect(bearerAsCookie.status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.available)
    func cookieIsSecureBehindATLSProxy(db: TestDatabase) async throws {
        try await withAPI(db, clock: TestClock()) { client, _, _ in
            let reply = try await client.send(
                .post, APIRoutes.session, headers: [.contentType: "application/json", HTTPField.Name("X-Forwarded-Proto")!: "https"],
                body: "{\"username\": \"disp1\", \"password\": \"\(TestCity.password)\"}")
            #expect(reply.headers[.setCookie]?.lowercased().contains("secure") == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func stateChangeWithTheCSRFTokenWorksAndWithoutItChangesNothing(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let session = try await SessionClient.logIn(client, "agent1")
            let body = String(decoding: try JSONSerialization.data(withJSONObject: Bodies.intake), as: UTF8.self)
            let refused = try await client.send(.post, APIRoutes.orders, headers: session.cookieOnly, body: body)
            #expect(refused.status == .forbidden)
            #expect(refused.errorCode == "csrf_failed")
            #expect(try await client.call(.get, APIRoutes.orders, as: "sup1")["total"] as? Int == 0)
            let accepted = try await client.send(.post, APIRoutes.orders, headers: session.headers, body: body)
            #expect(accepted.status == .created)
            #expect(try await client.call(.get, APIRoutes.orders, as: "sup1")["total"] as? Int == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func loginReplacesWhateverSessionTheBrowserHeld(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            // An attacker plants a cookie value of their choosing, then the victim logs in.
            let planted = "attacker-chosen-session-id"
            let victim = try await SessionClient.logIn(client, "disp1", cookie: planted)
            #expect(victim.token != planted)
            #expect(try await client.send(.get, APIRoutes.me, headers: [.cookie: "hotline_session=" + planted]).status == .unauthorized)
            // A real session the attacker obtained earlier is rotated away when someone logs in over it.
            let earlier = try await SessionClient.logIn(client, "agent1")
            let later = try await SessionClient.logIn(client, "disp1", cookie: earlier.token)
            #expect(later.token != earlier.token)
            #expect(later.csrf != earlier.csrf)
            #expect(try await client.send(.get, APIRoutes.me, headers: earlier.cookieOnly).status == .unauthorized)
            let me = try await client.send(.get, APIRoutes.me, headers: later.cookieOnly)
            #expect(me["id"] as? String == "disp1")
        }
    }

    @Test(arguments: TestDatabase.available)
    func idleSessionExpiresButAnActiveOneLives(db: TestDatabase) async throws {
        try await withAPI(db, clock: TestClock()) { client, _, clock in
            let active = try await SessionClient.logIn(client, "disp1")
            let idle = try await SessionClient.logIn(client, "agent1")
            for _ in 0..<4 {
                clock.advance(20 * 60)
                #expect(try await client.send(.get, APIRoutes.me, headers: active.cookieOnly).status == .ok)
            }
            #expect(try await client.send(.get, APIRoutes.me, headers: idle.cookieOnly).status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.available)
    func logoutEndsTheSessionAndClearsTheCookie(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let session = try await SessionClient.logIn(client, "disp1")
            let out = try await client.send(.delete, APIRoutes.session, headers: session.headers)
            #expect(out.status == .noContent)
            #expect(out.headers[.setCookie]?.contains("Max-Age=0") == true)
            #expect(try await client.send(.get, APIRoutes.me, headers: session.cookieOnly).status == .unauthorized)
        }
    }
}

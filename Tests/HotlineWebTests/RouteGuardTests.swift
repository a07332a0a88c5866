import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import HotlineWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Enumerates every route the composition root registers, so that a route added tomorrow is covered by
/// these checks without anyone remembering to add it: no route outside `APIRoutes.open` answers without
/// credentials, no state-changing route accepts a session cookie without its CSRF token, an API key reaches
/// only its scope, and every route that reads a body refuses malformed and oversized ones.
@Suite struct RouteGuardTests {
    struct Route: CustomStringConvertible {
        var method: HTTPRequest.Method
        var template: String
        var key: String { "\(method) \(template)" }
        /// The JSON API, and `/metrics`, which answers machines (a Prometheus scraper) with the API's refusals.
        var isAPI: Bool { template.hasPrefix(APIRoutes.base) || template == WebRoutes.metrics }
        var description: String { key }
    }

    static func routes(_ services: HotlineServices) throws -> [Route] {
        try buildRouter(services: services).routes.map { Route(method: $0.method, template: $0.path.description) }
    }

    /// A concrete path for a route template: captures filled with ids that exist in the test city.
    static func concrete(_ template: String, order: String) -> String {
        var path = template.replacingOccurrences(of: "{number}", with: order).replacingOccurrences(of: "{action}", with: "reply")
        if template.hasPrefix(APIRoutes.units) { path = path.replacingOccurrences(of: "{id}", with: "dist-west") }
        if template.hasPrefix(APIRoutes.users) { path = path.replacingOccurrences(of: "{id}", with: "west1") }
        if template.hasPrefix(APIRoutes.restrictions) { path = path.replacingOccurrences(of: "{id}", with: "1") }
        if template.hasPrefix(APIRoutes.channels) { path = path.replacingOccurrences(of: "{channel}", with: "sms") }
        if template.hasPrefix(APIRoutes.scripts) || template.hasPrefix(APIRoutes.cases) {
            path = path.replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "/reply", with: "/retire")
        }
        if template.hasPrefix(APIRoutes.quality) { path = path.replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "/reply", with: "/appeal") }
        if template.hasPrefix(APIRoutes.knowledge) { path = path.replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "/reply", with: "/edit") }
        return path.replacingOccurrences(of: "{id}", with: "no-such-id")
    }

    /// Routes that read no JSON body: none at all, or CSV (import, checked in its own tests).
    static let bodyless: Set<String> = [
        "POST " + APIRoutes.logout, "DELETE " + APIRoutes.session, "POST " + APIRoutes.apiKeys + "/{id}/revoke", "POST " + APIRoutes.modelsTrain,
        "POST " + APIRoutes.knowledgeImport, "POST " + WebRoutes.logout, "DELETE " + APIRoutes.calendarOverrides + "/{id}",
        "POST " + APIRoutes.webhookDeliveries + "/{id}/requeue", "POST " + APIRoutes.topicsRefresh,
        "POST " + APIRoutes.channelOutbox + "/{id}/requeue", "POST " + APIRoutes.expertConsultations + "/{id}/knowledge-draft",
    ]

    /// Routes a `reference:read` key may use (and `/me`, which any valid token may call).
    static let referenceRoutes: Set<String> = Set([
        APIRoutes.units, APIRoutes.categories, APIRoutes.timeLimits, APIRoutes.callbackRule, APIRoutes.escalationRule, APIRoutes.returnReasons, APIRoutes.replyRules, APIRoutes.calendarWorkdays, APIRoutes.calendarDeadline, APIRoutes.calendarOverrides, APIRoutes.calendarSchedules,
        APIRoutes.catalogue, APIRoutes.catalogueHistory, APIRoutes.catalogueRecommend, APIRoutes.me, APIRoutes.knowledge,
        APIRoutes.knowledgeSearch, APIRoutes.knowledge + "/{id}", APIRoutes.scripts, APIRoutes.scripts + "/{id}",
    ].map { "GET " + $0 })

    func order(_ client: any TestClientProtocol) async throws -> String {
        let number = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
        _ = try await client.post(APIRoutes.action(number, "dispatch"), as: "disp1", ["lead_unit": "dist-east"])
        return number
    }

    @Test(arguments: TestDatabase.available)
    func everyRouteOutsideTheOpenListNeedsCredentials(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let number = try await order(client)
            let routes = try Self.routes(services)
            #expect(routes.count >= 35)
            #expect(Set(routes.map(\.key)).isSuperset(of: APIRoutes.open), "every open route exists")
            #expect(Set(routes.map(\.key)).isSuperset(of: PortalRoutes.all), "every portal route exists (PortalTests prove each)")
            // Open311 answers in its own terms (Open311Tests): reads are open, the POST takes its `api_key`.
            for route in routes where !route.isAPI && !WebRoutes.open.contains(route.key) && !Open311Routes.all.contains(route.key)
                && !PortalRoutes.all.contains(route.key) && route.key != "GET " + WebRoutes.home {
                let bare = try await client.send(route.method, Self.concrete(route.template, order: number), headers: [:], body: "{}")
                #expect(bare.status == .seeOther && bare.headers[.location]?.hasPrefix(WebRoutes.login) == true, "\(route): \(bare.status)")
            }
            for route in routes where route.isAPI && !APIRoutes.open.contains(route.key) {
                let path = Self.concrete(route.template, order: number)
                let bare = try await client.send(route.method, path, headers: [:], body: "{}")
                #expect(bare.status == .unauthorized && bare.errorCode == "unauthenticated", "\(route): \(bare.status)")
                #expect(bare.headers[.xContentTypeOptions] == "nosniff" && bare.headers[.cacheControl] == "no-store", "\(route) security headers")
                let forged = try await client.send(route.method, path, headers: [.authorization: "Bearer forged-token"], body: "{}")
                #expect(forged.status == .unauthorized, "\(route) with a forged token: \(forged.status)")
                let cookie = try await client.send(route.method, path, headers: [.cookie: "hotline_session=forged"], body: "{}")
                #expect(cookie.status == .unauthorized, "\(route) with a forged cookie: \(cookie.status)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func everyStateChangingRouteRefusesASessionWithoutItsCSRFToken(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let number = try await order(client)
            let session = try await SessionClient.logIn(client, "admin1")
            // Open311's POST reads no session at all: its `api_key` is the credential (Open311Tests).
            for route in try Self.routes(services) where !route.method.isSafeForTest && !APIRoutes.open.contains(route.key) && !WebRoutes.open.contains(route.key)
                && !Open311Routes.all.contains(route.key) && !PortalRoutes.all.contains(route.key) {
                let path = Self.concrete(route.template, order: number)
                // API routes answer with the JSON code; pages with an error page that says why.
                func refusedForCSRF(_ r: APIReply) -> Bool {
                    r.status == .forbidden && (route.isAPI ? r.errorCode == "csrf_failed" : r.raw.contains("CSRF令牌"))
                }
                let none = try await client.send(route.method, path, headers: session.cookieOnly, body: "{}")
                #expect(refusedForCSRF(none), "\(route) without token: \(none.raw.prefix(200))")
                var wrong = session.cookieOnly
                wrong[SessionClient.csrfHeader] = String(repeating: "0", count: 64)
                let forged = try await client.send(route.method, path, headers: wrong, body: "{}")
                #expect(refusedForCSRF(forged), "\(route) with a forged token: \(forged.raw.prefix(200))")
                var foreign = session.headers
                foreign[.origin] = "https://evil.example"
                let crossSite = try await client.send(route.method, path, headers: foreign, body: "{}")
                #expect(refusedForCSRF(crossSite), "\(route) from another origin: \(crossSite.raw.prefix(200))")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func anAPIKeyReachesOnlyItsScope(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let number = try await order(client)
            let key = try await services.accounts.issueToken(
                for: "admin1", kind: AccountStore.apiKeyKind, scopes: ["reference:read"], now: TestCity.monday, lifetime: 86_400)
            for route in try Self.routes(services) where route.isAPI && !APIRoutes.open.contains(route.key) {
                let path = Self.concrete(route.template, order: number)
                let reply = try await client.send(route.method, path, headers: [.authorization: "Bearer " + key.token], body: "{}")
                if Self.referenceRoutes.contains(route.key) {
                    #expect(reply.errorCode != "insufficient_scope" && reply.status != .unauthorized, "\(route): \(reply.raw)")
                } else {
                    #expect(reply.status == .forbidden && reply.errorCode == "insufficient_scope", "\(route): \(reply.raw)")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func restrictingCallersAndRevealingContactsNeedTheirOwnScopes(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let number = try await order(client)
            func key(_ user: String, _ scopes: [String]) async throws -> String {
                try await services.accounts.issueToken(for: user, kind: AccountStore.apiKeyKind, scopes: scopes, now: TestCity.monday, lifetime: 86_400).token
            }
            let restriction: [String: Any] = ["phone": "13812345678", "reason": "一天内无理占线40次", "days": 3]
            let ordersOnly = try await key("sup1", ["orders:read", "orders:create", "orders:act"])
            #expect(try await client.call(.post, APIRoutes.restrictions, token: ordersOnly, restriction).errorCode == "insufficient_scope")
            #expect(try await client.call(.post, APIRoutes.liftRestriction("1"), token: ordersOnly, [:]).errorCode == "insufficient_scope")
            #expect(try await client.call(.post, APIRoutes.reveal(number), token: ordersOnly, ["field": "phone"]).errorCode == "insufficient_scope")

            let restrict = try await key("sup1", ["callers:restrict"])
            #expect(try await client.call(.post, APIRoutes.restrictions, token: restrict, restriction).status == .created)
            let reveal = try await key("disp1", ["contacts:reveal"])
            #expect(try await client.call(.post, APIRoutes.reveal(number), token: reveal, ["field": "phone"]).status == .ok)

            let agentRestricts = try await client.post(APIRoutes.apiKeys, as: "admin1", ["user_id": "agent1", "label": "坐席", "scopes": ["callers:restrict"], "days": 30])
            #expect(agentRestricts.status == .unprocessableContent, "a key cannot carry a scope its holder's role may not use")
            let supervisorRestricts = try await client.post(APIRoutes.apiKeys, as: "admin1", ["user_id": "sup1", "label": "督办", "scopes": ["callers:restrict"], "days": 30])
            #expect(supervisorRestricts.status == .created)
        }
    }

    @Test(arguments: TestDatabase.available)
    func everyBodyTakingRouteRefusesMalformedAndOversizedBodies(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let number = try await order(client)
            let users = ["admin1", "sup1", "disp1", "agent1", "east1", "ed1", "qi1"]
            let oversized = "{\"text\": \"" + String(repeating: "路", count: 100_000) + "\"}"
            for (n, route) in try Self.routes(services).enumerated() where !route.method.isSafeForTest && !Self.bodyless.contains(route.key)
                && (route.isAPI || WebRoutes.open.contains(route.key)) {
                let path = Self.concrete(route.template, order: number)
                // Each route from its own address, so that the login rate limit of one does not answer for another.
                let address = "10.0.\(n).1"
                var malformedStatuses: [HTTPResponse.Status] = []
                var oversizedStatuses: [HTTPResponse.Status] = []
                for user in users {
                    let headers: HTTPFields = [.authorization: "Bearer " + TestCity.token(user), .contentType: "application/json",
                                               HTTPField.Name("X-Forwarded-For")!: address]
                    malformedStatuses.append(try await client.send(route.method, path, headers: headers, body: "{\"unterminated").status)
                    oversizedStatuses.append(try await client.send(route.method, path, headers: headers, body: oversized).status)
                }
                // A channel gateway's webhook reads no body before its signature is checked: unconfigured here, it refuses
                // every request alike (ChannelGatewayTests sends signed malformed and oversized bodies).
                if route.key.hasPrefix("POST " + APIRoutes.channels + "/") {
                    #expect(Set(malformedStatuses + oversizedStatuses) == [.forbidden], "\(route): \(malformedStatuses) \(oversizedStatuses)")
                    continue
                }
                let refusals: Set<HTTPResponse.Status> = [.badRequest, .contentTooLarge, .forbidden, .notFound, .tooManyRequests]
                #expect(malformedStatuses.allSatisfy(refusals.contains), "\(route) malformed: \(malformedStatuses)")
                #expect(malformedStatuses.contains(.badRequest), "\(route): nobody got 400 for a malformed body")
                #expect(oversizedStatuses.allSatisfy(refusals.contains), "\(route) oversized: \(oversizedStatuses)")
                #expect(oversizedStatuses.contains(.contentTooLarge), "\(route): nobody got 413 for an oversized body")
            }
        }
    }
}

extension HTTPRequest.Method {
    var isSafeForTest: Bool { self == .get || self == .head || self == .options }
}

/// A browser session in tests: the cookie and the CSRF token from `POST /auth/session`.
struct SessionClient {
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
    var token: String
    var csrf: String
    var setCookie: String

    var cookieOnly: HTTPFields { [.cookie: "hotline_session=" + token, .contentType: "application/json"] }
    var headers: HTTPFields {
        var h = cookieOnly
        h[Self.csrfHeader] = csrf
        return h
    }

    static func logIn(_ client: any TestClientProtocol, _ user: String, password: String = TestCity.password, cookie: String? = nil) async throws -> SessionClient {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let cookie { headers[.cookie] = "hotline_session=" + cookie }
        let reply = try await client.send(.post, APIRoutes.session, headers: headers, body: "{\"username\": \"\(user)\", \"password\": \"\(password)\"}")
        try #require(reply.status == .ok, "session login: \(reply.raw)")
        let setCookie = try #require(reply.headers[.setCookie])
        let token = try #require(setCookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last.map(String.init))
        return SessionClient(token: token, csrf: try #require(reply["csrf_token"] as? String), setCookie: setCookie)
    }
}

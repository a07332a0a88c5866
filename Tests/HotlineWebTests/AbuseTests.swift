import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import HotlineWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Rate limits on login and public endpoints, the citizen's own-order lookup, caller restrictions, and SQL
/// injection strings in every filter.
@Suite struct AbuseTests {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// A wrong login from `address`, each under a new name so that the lockout (five per name and client) stays out of it.
    func login(_ client: any TestClientProtocol, from address: String, password: String = "wrong-password-1") async throws -> APIReply {
        try await client.send(.post, APIRoutes.login, headers: [.contentType: "application/json", Self.forwardedFor: address],
                              body: "{\"username\": \"nobody-\(UUID().uuidString.prefix(8))\", \"password\": \"\(password)\"}")
    }

    @Test(arguments: TestDatabase.available)
    func loginIsRateLimitedPerClient(db: TestDatabase) async throws {
        try await withAPI(db, clock: TestClock()) { client, _, clock in
            for _ in 0..<20 { #expect(try await login(client, from: "203.0.113.7").status == .unauthorized) }
            let limited = try await login(client, from: "203.0.113.7")
            #expect(limited.status == .tooManyRequests)
            #expect(limited.errorCode == "rate_limited")
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(try await login(client, from: "198.51.100.1").status == .unauthorized, "another client is not affected")
            clock.advance(60)
            #expect(try await login(client, from: "203.0.113.7").status == .unauthorized, "the bucket refills")
        }
    }

    func track(_ client: any TestClientProtocol, _ number: String, _ phone: String, from address: String = "192.0.2.1") async throws -> APIReply {
        try await client.send(.post, APIRoutes.publicTrack, headers: [.contentType: "application/json", Self.forwardedFor: address],
                              body: "{\"number\": \"\(number)\", \"phone\": \"\(phone)\"}")
    }

    @Test(arguments: TestDatabase.available)
    func citizenSeesOnlyTheirOwnOrderAndCannotGuessPhones(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let number = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            _ = try await client.post(APIRoutes.action(number, "dispatch"), as: "disp1", ["lead_unit": "dist-east"])
            let mine = try await track(client, number, "138-1234-5678")
            #expect(mine.status == .ok)
            #expect(mine["status_name"] as? String == "已派单")
            #expect((mine["steps"] as? [[String: Any]])?.map { $0["name"] as? String } == ["受理", "派单"])
            #expect(!mine.raw.contains("dist-east") && !mine.raw.contains("disp1"), "no staff or unit internals")

            let wrongPhone = try await track(client, number, "13800000000")
            let unknownNumber = try await track(client, "20250303009999", "13812345678")
            #expect(wrongPhone.status == .notFound)
            #expect(wrongPhone.raw == unknownNumber.raw)
            for i in 0..<4 { _ = try await track(client, number, "1380000000\(i)", from: "192.0.2.\(10 + i)") }
            let exhausted = try await track(client, number, "13812345678", from: "192.0.2.99")
            #expect(exhausted.status == .tooManyRequests, "five wrong phones for one order lock its lookups, whoever asks")
        }
    }

    @Test(arguments: TestDatabase.available)
    func supervisorRestrictsACallerIntakeShowsItAndItEndsByItself(db: TestDatabase) async throws {
        try await withAPI(db, clock: TestClock()) { client, _, clock in
            let bad = try await client.post(APIRoutes.restrictions, as: "sup1", ["phone": "138", "reason": "", "days": 0])
            #expect(bad.status == .unprocessableContent)
            #expect(try await client.post(APIRoutes.restrictions, as: "agent1", ["phone": "13812345678", "reason": "骚扰", "days": 3]).status == .forbidden)
            let restricted = try await client.post(APIRoutes.restrictions, as: "sup1", ["phone": "13812345678", "reason": "一天内无理占线40次并辱骂话务员", "days": 3])
            #expect(restricted.status == .created)

            let intake = try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake)
            #expect(intake.status == .created, "a restriction warns; it does not refuse the request")
            let warnings = intake["warnings"] as? [[String: Any]] ?? []
            #expect(warnings.first?["code"] as? String == "caller_restricted")
            let lookup = try await client.call(.get, APIRoutes.restrictions + "?phone=13812345678", as: "agent1")
            #expect(lookup.items.first?["active"] as? Bool == true)
            #expect(try await client.call(.get, APIRoutes.restrictions, as: "agent1").status == .forbidden, "agents look up one caller, not the list")
            let list = try await client.call(.get, APIRoutes.restrictions + "?active=true", as: "admin1")
            #expect((list.items.first?["restriction"] as? [String: Any])?["phone"] as? String == "138****5678")

            clock.advance(3 * 86_400 + 1)
            let later = try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake)
            #expect((later["warnings"] as? [Any])?.isEmpty == true)
            #expect(try await client.call(.get, APIRoutes.restrictions + "?phone=13812345678", as: "agent1").items.isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRestrictionCanBeLiftedEarlyOnce(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let restricted = try await client.post(APIRoutes.restrictions, as: "sup1", ["phone": "13812345678", "reason": "反复骚扰", "days": 30])
            let id = try #require((restricted["restriction"] as? [String: Any])?["id"] as? Int)
            let lifted = try await client.post(APIRoutes.liftRestriction(String(id)), as: "sup1", ["note": "来电人已致歉"])
            #expect(lifted.status == .ok)
            #expect(try await client.post(APIRoutes.liftRestriction(String(id)), as: "sup1", ["note": "再次解除"]).status == .notFound)
            #expect(try await client.post(APIRoutes.liftRestriction(String(id)), as: "sup1").status == .unprocessableContent, "a lift says why")
            #expect((try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake)["warnings"] as? [Any])?.isEmpty == true)
            let audit = try await client.call(.get, APIRoutes.audit + "?actor=sup1", as: "admin1")
            #expect(audit.items.map { $0["action"] as? String } == ["restriction_lifted", "caller_restricted"])
        }
    }

    static let injections = [
        "' OR '1'='1", "1; DROP TABLE work_orders; --", "\" OR 1=1 --", "%' UNION SELECT id, password_hash FROM users --",
        "') OR ('a'='a", "\\'; DELETE FROM audit_log; --", "20250303000001 OR 1=1", "0x27", "路灯' --",
    ]

    @Test(arguments: TestDatabase.available)
    func injectionStringsInEveryFilterAreDataNotSQL(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let number = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            _ = try await SessionClient.logIn(client, "admin1")
            let filters: [(path: String, params: [String], user: String)] = [
                (APIRoutes.orders, ["status", "unit", "category", "kind", "channel", "overdue", "from", "to", "q", "phone", "page", "page_size", "sort"], "sup1"),
                (APIRoutes.ordersExport, ["q", "unit", "category"], "sup1"),
                (APIRoutes.audit, ["actor", "action", "target", "from", "to", "page"], "admin1"),
                (APIRoutes.restrictions, ["phone", "active"], "sup1"),
                (APIRoutes.catalogueHistory, ["category", "page_size"], "admin1"),
                (APIRoutes.catalogueRecommend, ["category", "district"], "disp1"),
                (APIRoutes.calendarWorkdays, ["from", "to"], "agent1"),
            ]
            var tried = 0
            for filter in filters {
                for param in filter.params {
                    for attack in Self.injections {
                        let encoded = attack.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                        let reply = try await client.call(.get, filter.path + "?\(param)=\(encoded)", as: filter.user)
                        tried += 1
                        #expect([.ok, .unprocessableContent, .forbidden].contains(reply.status), "\(filter.path) \(param)=\(attack): \(reply.status)")
                        if reply.status == .ok && filter.path == APIRoutes.orders {
                            #expect(reply["total"] as? Int == 0, "\(param)=\(attack) matched rows: \(reply.raw)")
                        }
                    }
                }
            }
            #expect(tried > 250)
            let after = try await client.call(.get, APIRoutes.orders, as: "sup1")
            #expect(after.items.map { $0["number"] as? String } == [number], "the table is whole")
            #expect(try await client.call(.get, APIRoutes.audit, as: "admin1").items.count > 0, "the audit log is whole")
        }
    }
}

import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import HotlineWeb
import Hummingbird
import HummingbirdTesting
import Testing

/// The unit tree, users and roles, API keys and the dispatch catalogue, as administrators change them;
/// every change leaves an audit line.
@Suite struct AdministrationTests {
    @Test(arguments: TestDatabase.available)
    func adminAddsAndMovesUnitsButNeverIntoTheirOwnSubtree(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let created = try await client.post(APIRoutes.units, as: "admin1", [
                "id": "comm-east-1-2", "name": "和平社区居委会", "kind": "community", "parent_id": "st-east-1", "district": "东区",
                "contact_name": "社区书记", "contact_phone": "0571-1234567",
            ])
            #expect(created.status == .created)
            let units = try await client.call(.get, APIRoutes.units, as: "agent1")
            #expect(units.items.contains { $0["id"] as? String == "comm-east-1-2" && $0["parent_id"] as? String == "st-east-1" })
            // The new community is inside the east district's subtree at once.
            let number = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            #expect(try await client.post(APIRoutes.action(number, "dispatch"), as: "disp1", ["lead_unit": "comm-east-1-2"]).status == .ok)
            #expect(try await client.call(.get, APIRoutes.order(number), as: "east1").status == .ok)

            let duplicate = try await client.post(APIRoutes.units, as: "admin1", ["id": "comm-east-1-2", "name": "重复", "kind": "community"])
            #expect(duplicate.status == .conflict)
            let cycle = try await client.call(.patch, APIRoutes.unit("dist-east"), as: "admin1", json: "{\"parent_id\": \"comm-east-1-1\"}")
            #expect(cycle.errorCode == "unit_cycle")
            let unknownParent = try await client.call(.patch, APIRoutes.unit("dist-east"), as: "admin1", json: "{\"parent_id\": \"nowhere\"}")
            #expect(unknownParent.errorCode == "unknown_unit")
            let moved = try await client.call(.patch, APIRoutes.unit("st-east-1"), as: "admin1", json: "{\"parent_id\": \"dist-west\", \"contact_name\": \"综治中心\"}")
            #expect(moved.status == .ok)
            #expect(moved["contact_name"] as? String == "综治中心")
            #expect(try await client.call(.get, APIRoutes.order(number), as: "west1").status == .ok, "the moved street's orders follow it")
            #expect(try await client.call(.patch, APIRoutes.unit("nowhere"), as: "admin1", json: "{\"name\": \"x\"}").status == .notFound)

            let audit = try await client.call(.get, APIRoutes.audit + "?actor=admin1", as: "admin1")
            #expect(audit.items.map { $0["action"] as? String } == ["unit_updated", "unit_created"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func adminManagesUsersWithinThePolicy(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let weak = try await client.post(APIRoutes.users, as: "admin1", ["id": "west2", "display_name": "西区二", "role": "unit_staff", "unit_id": "dist-west", "password": "short"])
            #expect(weak.errorCode == "invalid_field")
            let noUnit = try await client.post(APIRoutes.users, as: "admin1", ["id": "west2", "display_name": "西区二", "role": "unit_staff", "password": "long-enough-pass-1"])
            #expect(noUnit.errorCode == "invalid_field")
            let system = try await client.post(APIRoutes.users, as: "admin1", ["id": "robot", "display_name": "机器", "role": "system", "password": "long-enough-pass-1"])
            #expect(system.status == .unprocessableContent)
            let created = try await client.post(APIRoutes.users, as: "admin1", ["id": "west2", "display_name": "西区二", "role": "unit_staff", "unit_id": "dist-west", "password": "long-enough-pass-1"])
            #expect(created.status == .created)
            let login = try await client.call(.post, APIRoutes.login, json: "{\"username\": \"west2\", \"password\": \"long-enough-pass-1\"}")
            let token = try #require(login["token"] as? String)
            #expect(try await client.call(.get, APIRoutes.me, token: token)["unit_id"] as? String == "dist-west")

            // A role change takes effect on the next request; deactivation ends every session.
            let promoted = try await client.call(.patch, APIRoutes.user("west2"), as: "admin1", json: "{\"role\": \"unit_admin\"}")
            #expect(promoted["role"] as? String == "unit_admin")
            #expect(try await client.call(.get, APIRoutes.me, token: token)["role"] as? String == "unit_admin")
            let off = try await client.call(.patch, APIRoutes.user("west2"), as: "admin1", json: "{\"active\": false}")
            #expect(off["active"] as? Bool == false)
            #expect(try await client.call(.get, APIRoutes.me, token: token).status == .unauthorized)
            let relogin = try await client.call(.post, APIRoutes.login, json: "{\"username\": \"west2\", \"password\": \"long-enough-pass-1\"}")
            #expect(relogin.status == .unauthorized)

            let selfLockout = try await client.call(.patch, APIRoutes.user("admin1"), as: "admin1", json: "{\"active\": false}")
            #expect(selfLockout.errorCode == "self_lockout")
            let users = try await client.call(.get, APIRoutes.users, as: "admin1")
            #expect(users.items.contains { $0["id"] as? String == "west2" && $0["active"] as? Bool == false })
            #expect(!users.raw.contains("password_hash") && !users.raw.contains("$2b$"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func adminUnlocksAndResetsALockedAccount(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            for _ in 0..<5 { _ = try await client.call(.post, APIRoutes.login, json: "{\"username\": \"cb1\", \"password\": \"guess-password-9\"}") }
            let locked = try await client.call(.get, APIRoutes.users, as: "admin1").items.first { $0["id"] as? String == "cb1" }
            #expect(locked?["locked_until"] is String)
            let reset = try await client.call(.patch, APIRoutes.user("cb1"), as: "admin1", json: "{\"password\": \"fresh-password-42\", \"unlock\": true}")
            #expect(reset.status == .ok)
            #expect(reset["locked_until"] == nil || reset["locked_until"] is NSNull)
            #expect(try await client.call(.get, APIRoutes.me, as: "cb1").status == .unauthorized, "a reset ends the old tokens")
            let login = try await client.call(.post, APIRoutes.login, json: "{\"username\": \"cb1\", \"password\": \"fresh-password-42\"}")
            #expect(login.status == .ok)
            let audit = try await client.call(.get, APIRoutes.audit + "?target=user:cb1", as: "admin1")
            #expect(audit.items.map { $0["action"] as? String } == ["login", "user_updated", "account_locked", "login_failed", "login_failed", "login_failed", "login_failed"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func apiKeysAreScopedExpiringAndRevocable(db: TestDatabase) async throws {
        try await withAPI(db, clock: TestClock()) { client, _, clock in
            let wildcard = try await client.post(APIRoutes.apiKeys, as: "admin1", ["user_id": "agent1", "label": "微信渠道", "scopes": ["*"], "days": 30])
            #expect(wildcard.status == .unprocessableContent)
            let adminScope = try await client.post(APIRoutes.apiKeys, as: "admin1", ["user_id": "agent1", "label": "微信渠道", "scopes": ["admin"], "days": 30])
            #expect(adminScope.status == .unprocessableContent)
            let issued = try await client.post(APIRoutes.apiKeys, as: "admin1", ["user_id": "agent1", "label": "微信渠道", "scopes": ["orders:create"], "days": 30])
            #expect(issued.status == .created)
            let key = try #require(issued["token"] as? String)
            let id = try #require(issued["id"] as? String)

            #expect(try await client.call(.post, APIRoutes.orders, token: key, Bodies.intake).status == .created)
            #expect(try await client.call(.get, APIRoutes.orders, token: key).errorCode == "insufficient_scope")
            let listed = try await client.call(.get, APIRoutes.apiKeys, as: "admin1")
            #expect(listed.items.first?["label"] as? String == "微信渠道")
            #expect(!listed.raw.contains(key), "the secret is shown once, at issue")

            clock.advance(31 * 86_400)
            #expect(try await client.call(.post, APIRoutes.orders, token: key, Bodies.intake).status == .unauthorized, "expired")

            let second = try await client.post(APIRoutes.apiKeys, as: "admin1", ["user_id": "agent1", "label": "短信渠道", "scopes": ["orders:create"], "days": 30])
            let secondKey = try #require(second["token"] as? String)
            let revoke = try await client.call(.post, APIRoutes.revokeAPIKey(try #require(second["id"] as? String)), as: "admin1")
            #expect(revoke.status == .noContent)
            #expect(try await client.call(.post, APIRoutes.orders, token: secondKey, Bodies.intake).status == .unauthorized, "revoked")
            #expect(try await client.call(.post, APIRoutes.revokeAPIKey(id), as: "admin1").status == .noContent, "an expired key can still be revoked")
            #expect(try await client.call(.post, APIRoutes.revokeAPIKey(id), as: "admin1").status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func catalogueChangesKeepTheirHistoryAndDriveTheRecommendation(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let put = try await client.call(.put, APIRoutes.catalogue, as: "admin1", json: """
                {"items": [{"category_code": "01", "unit_id": "dept-housing"},
                           {"category_code": "01.01", "district": "东区", "unit_id": "dist-east"}], "note": "首次配置"}
                """)
            #expect(put.status == .ok)
            func recommend(_ category: String, _ district: String) async throws -> String? {
                let reply = try await client.call(.get, APIRoutes.catalogueRecommend + "?category=\(category)&district=\(district)", as: "disp1")
                return (reply["entry"] as? [String: Any])?["unit_id"] as? String
            }
            #expect(try await recommend("01.01.01", "东区") == "dist-east")
            #expect(try await recommend("01.01.01", "西区") == "dept-housing")
            #expect(try await recommend("02", "东区") == nil)

            let moved = try await client.call(.put, APIRoutes.catalogue, as: "admin1", json: """
                {"items": [{"category_code": "01.01", "district": "东区", "unit_id": "st-east-1"}, {"category_code": "01", "unit_id": null}]}
                """)
            #expect((moved["changes"] as? [Any])?.count == 2)
            #expect(try await recommend("01.01.01", "西区") == nil)
            #expect(try await recommend("01.01.01", "东区") == "st-east-1")

            let history = try await client.call(.get, APIRoutes.catalogueHistory + "?category=01.01", as: "admin1")
            #expect(history.items.map { "\($0["old_unit"] ?? "-") → \($0["new_unit"] ?? "-")" } == ["dist-east → st-east-1", "- → dist-east"])
            let bad = try await client.call(.put, APIRoutes.catalogue, as: "admin1", json: "{\"items\": [{\"category_code\": \"99\", \"unit_id\": \"dist-east\"}]}")
            #expect(bad.errorCode == "unknown_category")
            #expect(try await client.call(.put, APIRoutes.catalogue, as: "disp1", json: "{\"items\": []}").status == .forbidden)
            let audit = try await client.call(.get, APIRoutes.audit + "?action=catalogue_changed", as: "admin1")
            #expect(audit.items.count == 2)
        }
    }

    @Test(arguments: TestDatabase.available)
    func timeLimitChangesAreAudited(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let put = try await client.call(.put, APIRoutes.timeLimits, as: "admin1", json: "{\"items\": [{\"stage\": \"handling\", \"limit\": \"5d\"}]}")
            #expect(put.status == .ok)
            let audit = try await client.call(.get, APIRoutes.audit + "?action=time_limits_changed", as: "admin1")
            #expect(audit.items.first?["detail"] as? String == "handling=5d")
        }
    }
}

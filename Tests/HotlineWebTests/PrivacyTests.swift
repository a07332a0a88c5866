import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
@testable import HotlineWeb
import Hummingbird
import HummingbirdTesting
import Testing

/// Callers' phone and ID numbers are masked everywhere, revealed only by an explicit logged action, and
/// withheld from handling units when the caller asked for confidentiality (保密).
@Suite struct PrivacyTests {
    static func intake(confidential: Bool) -> [String: Any] {
        var body = Bodies.intake
        body["caller"] = ["name": "李四", "phone": "13912345678", "id_number": "330102199001011234", "confidential": confidential]
        return body
    }

    func dispatchedOrder(_ client: any TestClientProtocol, confidential: Bool) async throws -> String {
        let number = try #require(try await client.post(APIRoutes.orders, as: "agent1", Self.intake(confidential: confidential)).order["number"] as? String)
        _ = try await client.post(APIRoutes.action(number, "dispatch"), as: "disp1", ["lead_unit": "dist-east"])
        return number
    }

    @Test(arguments: TestDatabase.available)
    func listsAndDetailsMaskPhoneAndIDForEveryone(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let number = try await dispatchedOrder(client, confidential: false)
            for user in ["agent1", "disp1", "sup1", "east1", "cb1"] {
                let detail = try await client.call(.get, APIRoutes.order(number), as: user)
                let caller = try #require(detail.order["caller"] as? [String: Any])
                #expect(caller["phone"] as? String == "139****5678", "\(user)")
                #expect(caller["id_number"] as? String == "330102********1234", "\(user)")
                #expect(!detail.raw.contains("13912345678") && !detail.raw.contains("199001011234"), "\(user) sees a full number")
                let list = try await client.call(.get, APIRoutes.orders, as: user)
                #expect(list.items.first?["caller_phone"] as? String == "139****5678", "\(user)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func revealIsExplicitAuditedAndLimitedToRolesWithNeed(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let number = try await dispatchedOrder(client, confidential: false)
            let shown = try await client.post(APIRoutes.reveal(number), as: "cb1", ["field": "phone", "reason": "回访需要拨号"])
            #expect(shown.status == .ok)
            #expect(shown["value"] as? String == "13912345678")
            let id = try await client.post(APIRoutes.reveal(number), as: "east1", ["field": "id_number"])
            #expect(id["value"] as? String == "330102199001011234")
            let manager = try await client.post(APIRoutes.reveal(number), as: "mgr1", ["field": "phone"])
            #expect(manager.status == .forbidden)
            let outsider = try await client.post(APIRoutes.reveal(number), as: "west1", ["field": "phone"])
            #expect(outsider.status == .notFound)

            let audit = try await client.call(.get, APIRoutes.audit + "?action=reveal", as: "admin1")
            let entries = audit.items.map { "\($0["actor_id"] ?? "") \($0["outcome"] ?? "") \($0["target"] ?? "")" }
            #expect(entries.contains("cb1 success order:\(number)"))
            #expect(entries.contains("east1 success order:\(number)"))
            #expect(entries.contains("mgr1 failure order:\(number)") == false, "a role refused before the order is read leaves no reveal line")
            #expect(!audit.raw.contains("13912345678"), "the audit log does not copy the number it protects")
        }
    }

    @Test(arguments: TestDatabase.available)
    func confidentialCallerIsHiddenFromUnitsButNotFromTheCentre(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let number = try await dispatchedOrder(client, confidential: true)
            let unitView = try await client.call(.get, APIRoutes.order(number), as: "east1")
            let caller = try #require(unitView.order["caller"] as? [String: Any])
            #expect(caller["name"] as? String == "（保密）")
            #expect(caller["phone"] as? String == "（保密）")
            #expect(!unitView.raw.contains("李四") && !unitView.raw.contains("5678"))
            let unitList = try await client.call(.get, APIRoutes.orders, as: "east1")
            #expect(unitList.items.first?["caller_phone"] as? String == "（保密）")
            let refused = try await client.post(APIRoutes.reveal(number), as: "east1", ["field": "phone"])
            #expect(refused.status == .forbidden)
            #expect(refused.errorCode == "confidential")
            let failedLine = try await client.call(.get, APIRoutes.audit + "?action=reveal", as: "admin1")
            #expect(failedLine.items.first?["outcome"] as? String == "failure")

            let centre = try await client.call(.get, APIRoutes.order(number), as: "disp1")
            #expect((centre.order["caller"] as? [String: Any])?["name"] as? String == "李四")
            #expect(try await client.post(APIRoutes.reveal(number), as: "disp1", ["field": "phone"])["value"] as? String == "13912345678")
        }
    }

    @Test(arguments: TestDatabase.available)
    func unitsCannotSearchByCallerPhone(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            _ = try await dispatchedOrder(client, confidential: true)
            let unit = try await client.call(.get, APIRoutes.orders + "?phone=13912345678", as: "east1")
            #expect(unit.status == .forbidden)
            let centre = try await client.call(.get, APIRoutes.orders + "?phone=13912345678", as: "agent1")
            #expect(centre["total"] as? Int == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func exportIsMaskedScopedAndAudited(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let open = try await dispatchedOrder(client, confidential: false)
            let secret = try await dispatchedOrder(client, confidential: true)
            let other = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            _ = try await client.post(APIRoutes.action(other, "dispatch"), as: "disp1", ["lead_unit": "dist-west"])

            let centre = try await client.call(.get, APIRoutes.ordersExport, as: "sup1")
            #expect(centre.status == .ok)
            #expect(centre.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(centre.raw.contains(open) && centre.raw.contains(secret) && centre.raw.contains(other))
            #expect(!centre.raw.contains("13912345678") && centre.raw.contains("139****5678"))

            let unit = try await client.call(.get, APIRoutes.ordersExport, as: "eastadmin")
            #expect(unit.raw.contains(open) && unit.raw.contains(secret) && !unit.raw.contains(other))
            #expect(unit.raw.contains("（保密）"))
            #expect(unit.raw.split(separator: "\r\n").count == 3, "header and the unit's two orders")

            #expect(try await client.call(.get, APIRoutes.ordersExport, as: "agent1").status == .forbidden)
            let audit = try await client.call(.get, APIRoutes.audit + "?action=export", as: "admin1")
            #expect(audit.items.count == 2)
            #expect(audit.items.contains { ($0["detail"] as? String)?.hasPrefix("rows=3") == true && $0["actor_id"] as? String == "sup1" })
        }
    }

    @Test(arguments: TestDatabase.available)
    func theExportsAuditLineMasksThePhoneItSearchedFor(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            _ = try await dispatchedOrder(client, confidential: false)
            let export = try await client.call(.get, APIRoutes.ordersExport + "?phone=13912345678&status=dispatched", as: "sup1")
            #expect(export.status == .ok)
            let audit = try await client.call(.get, APIRoutes.audit + "?action=export", as: "admin1")
            let detail = try #require(audit.items.first?["detail"] as? String)
            #expect(!detail.contains("13912345678"), "\(detail)")
            #expect(detail.contains("phone=139****5678") && detail.contains("status=dispatched"), "\(detail)")
        }
    }

    @Test func csvFieldsAreQuotedAndFormulasDefused() {
        #expect(PrivacyController.csvField("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(PrivacyController.csvField("a,b") == "\"a,b\"")
        #expect(PrivacyController.csvField("普通文本") == "普通文本")
    }
}

@Suite struct ExportTests {
    @Test(arguments: TestDatabase.available)
    func exportWalksEveryPage(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            for i in 0..<230 {
                _ = try await services.desk.intake(TestCity.draft(title: "第\(i)件"), by: TestCity.actor("agent1"), at: TestCity.monday)
            }
            let csv = try await client.call(.get, APIRoutes.ordersExport + "?sort=oldest", as: "sup1")
            let lines = csv.raw.split(separator: "\r\n")
            #expect(lines.count == 231)
            #expect(lines.last?.contains("第229件") == true)
            // Values in Chinese, as people read them: channel, kind, status and the category's name.
            let row = String(lines.last ?? "")
            #expect(row.contains(",待派单,电话,投诉,路灯（01.01.01）,"), "\(row)")
        }
    }
}

@Suite struct ConsoleErrorTests {
    @Test(arguments: TestDatabase.available)
    func aRefusedFormNamesTheFieldAsTheFormLabelsIt(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let number = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            let console = ConsoleTests()
            let dispatcher = try await console.logIn(client, "disp1")
            let page = try await console.page(client, WebRoutes.order(number), cookie: dispatcher)
            let csrf = try #require(page.raw.range(of: "name=\"_csrf\" value=\"").map { String(page.raw[$0.upperBound...].prefix(64)) })
            let refused = try await console.form(client, WebRoutes.order(number) + "/reject", "_csrf=\(csrf)&reason=other&note=", cookie: dispatcher)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.raw.contains("说明：不能为空"), "\(refused.raw.prefix(0))")
            #expect(!refused.raw.contains("字段 note"))
        }
    }
}

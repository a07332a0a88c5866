import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
@testable import HotlineWeb
import Hummingbird
import HummingbirdTesting
import Testing

/// 查看完整号码 in the console: the same audited use case as the API, for the roles the API allows, never for a
/// confidential caller before a unit; the number is on the response page only.
@Suite struct RevealPageTests {
    let console = ConsoleTests()
    static let form = "<form method=\"post\" action=\"/orders/"

    func csrf(_ page: APIReply) throws -> String {
        try #require(page.raw.range(of: "name=\"_csrf\" value=\"").map { String(page.raw[$0.upperBound...].prefix(64)) })
    }

    func reason(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789")) ?? ""
    }

    @Test(arguments: TestDatabase.available)
    func aUnitRevealsTheCallersPhoneWithAReasonAndTheRevealIsAudited(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let number = try await PrivacyTests().dispatchedOrder(client, confidential: false)
            let unit = try await console.logIn(client, "east1")
            let before = try await console.page(client, WebRoutes.order(number), cookie: unit)
            #expect(before.raw.contains(Self.form + "\(number)/reveal\">"))
            #expect(before.raw.contains("<button type=\"submit\" name=\"field\" value=\"id_number\""), "the caller gave an ID number")
            #expect(!before.raw.contains("13912345678"))

            let shown = try await console.form(client, WebRoutes.reveal(number),
                                               "_csrf=\(try csrf(before))&field=phone&reason=\(reason("联系市民核实地址"))", cookie: unit)
            #expect(shown.status == .ok)
            #expect(shown.raw.contains("<strong>来电号码：</strong><a href=\"tel:13912345678\">13912345678</a>"))
            #expect(shown.raw.contains("完整号码仅本次显示，已记入审计日志"))
            #expect(shown.headers[.cacheControl] == "no-store")
            let id = try await console.form(client, WebRoutes.reveal(number),
                                            "_csrf=\(try csrf(before))&field=id_number&reason=\(reason("核实身份"))", cookie: unit)
            #expect(id.raw.contains("<strong>证件号码：</strong>330102199001011234"))
            let again = try await console.page(client, WebRoutes.order(number), cookie: unit)
            #expect(!again.raw.contains("13912345678"), "the number is not kept once shown")

            let audit = try await client.call(.get, APIRoutes.audit + "?action=reveal", as: "admin1")
            let lines = audit.items.map { "\($0["actor_id"] ?? "") \($0["outcome"] ?? "") \($0["target"] ?? "") \($0["detail"] ?? "")" }
            #expect(lines.contains("east1 success order:\(number) field=phone reason=联系市民核实地址"))
            #expect(lines.contains("east1 success order:\(number) field=id_number reason=核实身份"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aUnitIsRefusedAConfidentialCaller(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let number = try await PrivacyTests().dispatchedOrder(client, confidential: true)
            let unit = try await console.logIn(client, "east1")
            let page = try await console.page(client, WebRoutes.order(number), cookie: unit)
            #expect(!page.raw.contains(Self.form + "\(number)/reveal\">"), "no form for a caller hidden from units")
            let refused = try await console.form(client, WebRoutes.reveal(number), "_csrf=\(try csrf(page))&field=phone&reason=x", cookie: unit)
            #expect(refused.status == .forbidden)
            #expect(refused.raw.contains("<p class=\"error\" role=\"alert\">来电人要求保密，承办单位不能查看其身份信息</p>"))
            #expect(!refused.raw.contains("13912345678"))
            let centre = try await console.page(client, WebRoutes.order(number), cookie: try await console.logIn(client, "cb1"))
            #expect(centre.raw.contains(Self.form + "\(number)/reveal\">"), "the centre may still reveal")
            let audit = try await client.call(.get, APIRoutes.audit + "?action=reveal", as: "admin1")
            #expect(audit.items.first?["outcome"] as? String == "failure")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRoleWithoutTheCapabilityGetsNoFormAndIsRefusedAForgedPost(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let number = try await PrivacyTests().dispatchedOrder(client, confidential: false)
            let manager = try await console.logIn(client, "mgr1")
            let page = try await console.page(client, WebRoutes.order(number), cookie: manager)
            #expect(page.status == .ok)
            #expect(!page.raw.contains("查看完整号码"))
            let forged = try await console.form(client, WebRoutes.reveal(number), "_csrf=\(try csrf(page))&field=phone&reason=x", cookie: manager)
            #expect(forged.status == .forbidden)
            #expect(!forged.raw.contains("13912345678"))
            let callbackAgent = try await console.logIn(client, "cb1")
            let noToken = try await console.form(client, WebRoutes.reveal(number), "field=phone&reason=x", cookie: callbackAgent)
            #expect(noToken.status == .forbidden && noToken.raw.contains("CSRF令牌"), "the form's CSRF token is checked")
        }
    }
}

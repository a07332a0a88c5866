import Foundation
import HTTPTypes
import HotlineApp
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HotlineWeb

/// 渠道接入 (`/admin/channels`): each gateway's settings, the portal's anonymous setting and the messages sent to
/// citizens, through the same use cases as the API; one-time codes never shown back; admins only.
@Suite struct AdminChannelsPageTests {
    let admin = AdminPageTests()

    @Test(arguments: TestDatabase.available)
    func theAdminSetsAGatewayAndThePortalAndReadsTheOutboxWithCodesHidden(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let s = try await admin.session(client, "admin1")
            let index = try await admin.console.page(client, WebRoutes.admin, cookie: s.cookie)
            #expect(index.raw.contains("<a href=\"/admin/channels\">渠道接入</a>"), "linked from the administration home")
            // A WeChat token of the wrong form is refused, naming the field as the form labels it, and nothing is stored.
            let bad = try await admin.post(client, WebRoutes.adminChannel("wechat"), s, [("inbound_secret", "x!"), ("enabled", "on")])
            #expect(bad.status == .unprocessableContent && bad.raw.contains("接入密钥：微信令牌（Token）应为3到32位英文字母或数字"))
            #expect(try await services.channelGateways.gateway(of: .wechat) == nil)
            let saved = try await admin.post(client, WebRoutes.adminChannel("sms"), s, [
                ("inbound_secret", "sms-inbound-secret-0001"), ("outbound_url", "http://127.0.0.1:9/sms"),
                ("outbound_secret", "sms-outbound-secret-001"), ("enabled", "on"),
            ])
            #expect(saved.status == .seeOther && saved.headers[.location] == WebRoutes.adminChannels + "?done=channel_changed")
            let sms = try #require(try await services.channelGateways.gateway(of: .sms))
            #expect(sms.enabled && sms.outboundURL == "http://127.0.0.1:9/sms" && sms.hasInboundSecret && sms.hasOutboundSecret)
            // The portal's anonymous setting.
            #expect(try await CitizenAccessStore(database: services.database).anonymousAllowed())
            let portal = try await admin.post(client, WebRoutes.adminPortalSettings, s, [])
            #expect(portal.status == .seeOther)
            #expect(try await !CitizenAccessStore(database: services.database).anonymousAllowed())
            #expect(try await services.audit.list(AdminPageTests.audit(.portalSettingsChanged), page: 1, size: 10).count == 1)
            // A code sent to a citizen shows masked; the page shows no secret.
            try await PortalDesk.sendCodeForTest(services, phone: "13912340008")
            let page = try await admin.console.page(client, WebRoutes.adminChannels, cookie: s.cookie)
            #expect(page.status == .ok && page.raw.contains("<h1>渠道接入</h1>"))
            #expect(page.raw.contains("您的验证码是******") && page.raw.contains("【12345热线】") && page.raw.contains("139****0008"))
            #expect(!page.raw.contains("sms-inbound-secret-0001") && !page.raw.contains("sms-outbound-secret-001"))
            let api = try await client.call(.get, APIRoutes.base + "/channel-outbox", as: "admin1")
            #expect(api.status == .ok && api.raw.contains("******") && !api.raw.contains("验证码是1") && !api.raw.contains("验证码是0"))
            // Other roles may neither see nor change it.
            for user in ["sup1", "disp1"] {
                let other = try await admin.session(client, user)
                #expect(try await admin.console.page(client, WebRoutes.adminChannels, cookie: other.cookie).status == .forbidden, "\(user)")
                #expect(try await admin.post(client, WebRoutes.adminPortalSettings, other, [("anonymous", "on")]).status == .forbidden, "\(user)")
            }
            #expect(try await !CitizenAccessStore(database: services.database).anonymousAllowed())
        }
    }
}

extension PortalDesk {
    /// Sends a code the way the portal does, for tests that need one in the outbox.
    static func sendCodeForTest(_ services: HotlineServices, phone: String) async throws {
        try await HotlineApp(services: services).portal.sendCode(to: phone, at: TestCity.monday)
    }
}

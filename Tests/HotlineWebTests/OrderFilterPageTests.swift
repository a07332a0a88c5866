import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
@testable import HotlineWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The order list's search and filter form (筛选) and its export (导出 CSV): each filter narrows the list to exactly the
/// orders it names, the form keeps what was chosen, the heading says it in words, and the export holds exactly the list.
@Suite struct OrderFilterPageTests {
    let console = ConsoleTests()

    struct Orders {
        var lamp: OrderNumber  // complaint by phone, 路灯, 东区, urged
        var card: OrderNumber  // consultation by web, 社保卡, 东区
        var water: OrderNumber  // help by WeChat, 绿色通道, 西区, taken on Wednesday
        var firm: OrderNumber  // suggestion, 营商环境, waiting for dispatch since Monday (overdue by Wednesday)
        var manhole: OrderNumber  // report, waiting for dispatch since Wednesday (due within the day)
    }

    /// Five different orders; the clock ends on Wednesday 5 March 10:00.
    static func seed(_ services: HotlineServices, clock: TestClock) async throws -> Orders {
        let desk = services.desk
        let agent = TestCity.actor("agent1"), disp = TestCity.actor("disp1")
        func take(_ draft: IntakeDraft, lead: UnitID? = nil) async throws -> OrderNumber {
            let taken = try await desk.intake(draft, by: agent, at: clock.now)
            let number = taken.order.number
            if let lead { _ = try await desk.apply(.dispatch(lead: lead, assisting: [], note: nil), to: number, by: disp, at: clock.now) }
            return number
        }
        let lamp = try await take(TestCity.draft(title: "小区路灯不亮", kind: .complaint, channel: .phone, category: "01.01.01"), lead: "dist-east")
        _ = try await desk.apply(.urge(note: "请加快"), to: lamp, by: TestCity.actor("sup1"), at: clock.now)
        let card = try await take(TestCity.draft(title: "社保卡怎么补办", content: "社保卡丢了想补办。", kind: .consultation, channel: .web, category: "02.01.01"),
                                  lead: "dist-east")
        var firmDraft = TestCity.draft(title: "企业开办手续咨询", content: "新开公司想了解开办手续。", kind: .suggestion, category: "01.01.02")
        firmDraft.lanes = [.businessEnvironment]
        let firm = try await take(firmDraft)
        clock.advance(2 * 86_400)
        var waterDraft = TestCity.draft(title: "整栋楼停水", content: "西区一栋楼从早上起停水。", kind: .help, channel: .wechat, category: "01.01.02")
        waterDraft.lanes = [.urgentLivelihood]
        let water = try await take(waterDraft, lead: "dist-west")
        let manhole = try await take(TestCity.draft(title: "井盖丢失", content: "路口井盖不见了。", kind: .report, category: "01.01.02"))
        return Orders(lamp: lamp, card: card, water: water, firm: firm, manhole: manhole)
    }

    @Test(arguments: TestDatabase.available)
    func eachFilterNarrowsTheListToTheOrdersItNames(db: TestDatabase) async throws {
        try await withAPI(db, clock: TestClock()) { client, services, clock in
            let o = try await Self.seed(services, clock: clock)
            let cookie = try await console.logIn(client, "disp1")
            func listed(_ query: String) async throws -> (numbers: Set<OrderNumber>, html: String) {
                let page = try await console.page(client, "/orders?" + query, cookie: cookie)
                #expect(page.status == .ok, "\(query): \(page.status)")
                return (Set(ShownPage.numbers(page.raw).compactMap { OrderNumber($0) }), page.raw)
            }
            let cases: [(String, Set<OrderNumber>, String)] = [
                ("q=%E5%81%9C%E6%B0%B4", [o.water], "含“停水”"),  // 停水
                ("status=dispatched", [o.lamp, o.card, o.water], "已派单"),
                ("unit=dist-west", [o.water], "承办单位：西区人民政府"),
                ("category=01.01", [o.lamp, o.firm, o.water, o.manhole], "分类："),
                ("category=02.01.01", [o.card], "分类：社保卡"),
                ("kind=consultation", [o.card], "咨询"),
                ("channel=wechat", [o.water], "来源：微信"),
                ("lane=urgent_livelihood", [o.water], "绿色通道"),
                ("lane=business_environment", [o.firm], "营商环境"),
                ("from=2025-03-05", [o.water, o.manhole], "受理于 2025-03-05 以后"),
                ("from=2025-03-03&to=2025-03-03", [o.lamp, o.card, o.firm], "受理于 2025-03-03 至 2025-03-03"),
                ("overdue=true", [o.firm], "已超期"),
                // By the end of Thursday: the consultation (3 working days from Monday), 绿色通道 (24 hours from Wednesday
                // 10:00) and the order waiting for dispatch since Wednesday (2 working hours).
                ("due_soon=true", [o.card, o.water, o.manhole], "即将超期"),
                ("urged=true", [o.lamp], "已催办"),
                ("status=dispatched&kind=complaint&q=%E8%B7%AF%E7%81%AF", [o.lamp], "已派单 · 投诉 · 含“路灯”"),
            ]
            for (query, expected, words) in cases {
                let (numbers, html) = try await listed(query)
                #expect(numbers == expected, "\(query)")
                #expect(ShownPage.heading(html)?.contains(words) == true, "\(query): heading \(ShownPage.heading(html) ?? "")")
                #expect(html.contains("<a href=\"/orders\">清除筛选</a>"))
            }
            let everything = try await listed("")
            #expect(everything.numbers.count == 5 && ShownPage.heading(everything.html) == "全部工单")
        }
    }

    @Test(arguments: TestDatabase.available)
    func theFormKeepsWhatWasChosenAndUrgentOrdersSortFirst(db: TestDatabase) async throws {
        try await withAPI(db, clock: TestClock()) { client, services, clock in
            let o = try await Self.seed(services, clock: clock)
            let cookie = try await console.logIn(client, "disp1")
            let query = "q=%E8%B7%AF%E7%81%AF&status=dispatched&unit=dist-east&category=01.01&kind=complaint&channel=phone&lane=urgent_livelihood"
                + "&from=2025-03-01&to=2025-03-31&overdue=false&due_soon=true&urged=true&sort=due"
            let html = try await console.page(client, "/orders?" + query, cookie: cookie).raw
            for shown in ["name=\"q\" type=\"search\" value=\"路灯\"", "<option value=\"dispatched\" selected>已派单</option>",
                          "<option value=\"dist-east\" selected>东区人民政府</option>", "<option value=\"01.01\" selected>",
                          "<option value=\"complaint\" selected>投诉</option>", "<option value=\"phone\" selected>电话</option>",
                          "<option value=\"urgent_livelihood\" selected>绿色通道</option>", "name=\"from\" type=\"date\" value=\"2025-03-01\"",
                          "name=\"to\" type=\"date\" value=\"2025-03-31\"", "<option value=\"false\" selected>未超期</option>",
                          "name=\"due_soon\" value=\"true\" checked", "name=\"urged\" value=\"true\" checked", "name=\"sort\" value=\"due\""] {
                #expect(html.contains(shown), "the form keeps \(shown)")
            }
            #expect(!html.contains("name=\"carded\" value=\"true\" checked"))
            // The sort links keep every filter.
            #expect(html.contains("href=\"/orders?status=dispatched&amp;overdue=false&amp;due_soon=true&amp;unit=dist-east&amp;category=01.01"))
            // 紧急优先: 绿色通道 first, then the overdue order, then the nearest deadline.
            let urgent = ShownPage.numbers(try await console.page(client, "/orders?status=pending_dispatch,dispatched&sort=urgent", cookie: cookie).raw)
            #expect(urgent.prefix(2) == [o.water.description, o.firm.description])
            #expect(Set(urgent) == Set([o.lamp, o.card, o.water, o.firm, o.manhole].map(\.description)))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aUnitFiltersOnlyWithinItsOwnUnits(db: TestDatabase) async throws {
        try await withAPI(db, clock: TestClock()) { client, services, clock in
            let o = try await Self.seed(services, clock: clock)
            let cookie = try await console.logIn(client, "east1")
            let html = try await console.page(client, "/orders", cookie: cookie).raw
            #expect(html.contains("<option value=\"st-east-1\">") && html.contains("<option value=\"comm-east-1-1\">"))
            #expect(!html.contains("<option value=\"dist-west\">") && !html.contains("<option value=\"dept-housing\">"))
            #expect(Set(ShownPage.numbers(html)) == Set([o.lamp, o.card].map(\.description)))
            #expect(ShownPage.numbers(try await console.page(client, "/orders?unit=dist-west", cookie: cookie).raw).isEmpty)
            #expect(!html.contains("导出 CSV"), "unit staff do not export")
        }
    }

    @Test(arguments: TestDatabase.available)
    func badFiltersAreRefusedNamingTheField(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let cookie = try await console.logIn(client, "disp1")
            let status = try await console.page(client, "/orders?status=bogus", cookie: cookie)
            #expect(status.status == .unprocessableContent && status.raw.contains("状态：未知取值 bogus"))
            let period = try await console.page(client, "/orders?from=2025-03-05&to=2025-03-03", cookie: cookie)
            #expect(period.status == .unprocessableContent && period.raw.contains("受理日期（止）：受理日期的结束日不能早于开始日"))
            let lane = try await console.page(client, WebRoutes.ordersExport + "?lane=fast", cookie: cookie)
            #expect(lane.status == .unprocessableContent && lane.raw.contains("办理通道：未知取值 fast"))
            let audit = try await client.call(.get, APIRoutes.audit + "?action=export", as: "admin1")
            #expect(audit.items.isEmpty, "a refused export leaves no export line")
        }
    }

    @Test(arguments: TestDatabase.available)
    func theExportHoldsExactlyTheFilteredListForRolesThatMayExport(db: TestDatabase) async throws {
        try await withAPI(db, clock: TestClock()) { client, services, clock in
            let o = try await Self.seed(services, clock: clock)
            let query = "status=dispatched&kind=complaint&q=%E8%B7%AF%E7%81%AF"
            let cookie = try await console.logIn(client, "sup1")
            let list = try await console.page(client, "/orders?" + query, cookie: cookie).raw
            let href = try #require(ShownPage.first("<a class=\"button export\" href=\"([^\"]+)\" download>导出 CSV</a>", in: list)).replacingOccurrences(of: "&amp;", with: "&")
            #expect(href == WebRoutes.ordersExport + "?" + query)
            let csv = try await console.page(client, href, cookie: cookie)
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
            let lines = csv.raw.split(separator: "\r\n").map(String.init)
            #expect(lines.first?.hasSuffix("工单编号,状态,渠道,诉求类型,事项分类,主办单位,标题,区县,来电号码,受理时间,当前时限,是否超期") == true)
            let exported = lines.dropFirst().map { String($0.prefix { $0 != "," }) }
            #expect(exported == ShownPage.numbers(list) && exported == [o.lamp.description])
            #expect(lines.dropFirst().first?.contains("已派单,电话,投诉,路灯（01.01.01）,东区人民政府,小区路灯不亮") == true)
            // A broader filter exports more, still exactly the list.
            let broad = try await console.page(client, WebRoutes.ordersExport + "?lane=urgent_livelihood", cookie: cookie)
            #expect(broad.raw.split(separator: "\r\n").dropFirst().map { String($0.prefix { $0 != "," }) } == [o.water.description])
            let audit = try await client.call(.get, APIRoutes.audit + "?action=export", as: "admin1")
            #expect(audit.items.contains { ($0["detail"] as? String) == "rows=1 status=dispatched kind=complaint q=路灯" && $0["actor_id"] as? String == "sup1" })
            #expect(audit.items.contains { ($0["detail"] as? String) == "rows=1 lane=urgent_livelihood" })

            for refused in ["agent1", "rev1", "cb1", "east1"] {
                let them = try await console.logIn(client, refused)
                #expect(!(try await console.page(client, "/orders?" + query, cookie: them)).raw.contains("导出 CSV"), "\(refused) sees no export button")
                let answer = try await console.page(client, WebRoutes.ordersExport + "?" + query, cookie: them)
                #expect(answer.status == .forbidden, "\(refused) may not export")
                #expect(answer.raw.contains("无权导出工单") && !answer.raw.contains(o.lamp.description))
            }
            let after = try await client.call(.get, APIRoutes.audit + "?action=export", as: "admin1")
            #expect(after.items.count == 2, "refused exports are not counted as exports")
        }
    }
}

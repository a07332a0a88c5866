import Foundation
import HTTPTypes
@testable import HotlineApp
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import Hummingbird
import HummingbirdTesting
import Testing
import ZIPFoundation

@testable import HotlineWeb

/// Reports (月度报告, 专题报告): generated from hand-built orders with figures checked by hand, stored once per month,
/// read back as XLSX (cells), CSV per table and PDF (pdftotext); roles and bad input refused with nothing stored; no
/// caller or staff names in any form.
@Suite struct ReportTests {
    let console = ConsoleTests()
    let admin = AdminPageTests()

    /// Three orders on 2025-03-03 (as `MeasureAPITests.seed`): one answered on the call, one 东区 signed on time, one
    /// dispatched to 西区 that 西区 returns (退单), which makes it the month's one notable case.
    static func seed(_ s: HotlineServices) async throws -> Int64 {
        let desk = s.desk
        let agent = TestCity.actor("agent1")
        let direct = try await desk.intake(TestCity.draft(), by: agent, at: TestCity.monday).order.number
        _ = try await desk.apply(.answerDirectly(answer: "按政策可直接办理，已告知。"), to: direct, by: TestCity.actor("disp1"), at: TestCity.monday)
        let east = try await desk.intake(TestCity.draft(), by: agent, at: TestCity.monday).order.number
        _ = try await desk.apply(.dispatch(lead: "dist-east", assisting: [], note: nil), to: east, by: TestCity.actor("disp1"), at: TestCity.monday)
        _ = try await desk.apply(.sign, to: east, by: TestCity.actor("east1"), at: TestCity.monday.addingTimeInterval(600))
        let west = try await desk.intake(TestCity.draft(), by: agent, at: TestCity.monday).order.number
        _ = try await desk.apply(.dispatch(lead: "dist-west", assisting: [], note: nil), to: west, by: TestCity.actor("disp1"), at: TestCity.monday)
        _ = try await desk.apply(.returnOrder(reason: nil, evidence: "不属于本单位职责范围，应由住建部门办理。"), to: west, by: TestCity.actor("west1"),
                                 at: TestCity.monday.addingTimeInterval(1800))
        return west.rawValue
    }

    static let private_ = ["张先生", "13812345678", "西区承办员", "东区承办员", "管理者一", "幸福路"]

    @Test(arguments: TestDatabase.available)
    func theMonthlyReportIsBuiltFromTheOrdersAndStoredOnce(db: TestDatabase) async throws {
        try await db.withServices { s in
            let west = try await Self.seed(s)
            let desk = HotlineApp(services: s).reports
            let now = TestCity.monday.addingTimeInterval(40 * 86_400)
            let id = try #require(try await desk.generateDueMonthly(at: now), "April: March's report is due")
            #expect(try await desk.generateDueMonthly(at: now.addingTimeInterval(60)) == nil, "once")
            #expect(try await desk.generateMonthly("2025-03", at: now.addingTimeInterval(120)) == nil, "once, whoever asks")
            let (stored, report) = try await desk.report(id, for: TestCity.actor("sup1"))
            #expect(stored.key == "monthly:2025-03" && stored.kind == "monthly")
            #expect(report.title == "2025年3月12345热线月度报告" && report.from.description == "2025-03-01" && report.to.description == "2025-03-31")
            // By hand: accepted 3, direct answers 1 (1/3), dispatched 2, signed on time 1 (1/2).
            #expect(report.accepted == 3)
            #expect(report.figures.first { $0.key == "response_rate" }?.value == 0.5)
            #expect(report.figures.first { $0.key == "direct_answer_rate" }.flatMap(\.value).map { abs($0 - 1.0 / 3) < 1e-9 } == true)
            #expect(report.figures.first { $0.key == "response_rate" }?.formula.contains("派单") == true)
            #expect(report.trend.count == 31)
            #expect(report.trend[2].accepted == 3 && report.trend[2].response == 0.5)
            #expect(report.ranking.map(\.unit) == ["东区人民政府", "西区人民政府"])
            #expect(report.ranking.map(\.place) == [1, 2])
            #expect(report.cases.map(\.number) == [String(west)])
            #expect(report.cases.first?.reasons.contains("退单") == true)
            #expect(report.cases.first?.unit == "西区人民政府")
            let body = try #require(try await s.reports.report(id)).body
            for text in Self.private_ { #expect(!body.contains(text), "\(text) stays out of the report") }
            #expect(try await s.reports.list(limit: 10).count == 1)
            // Unit admins read no report; nor does a unit's staff.
            await #expect(throws: AppError.self) { _ = try await desk.report(id, for: TestCity.actor("eastadmin")) }
            await #expect(throws: AppError.self) { _ = try await desk.list(for: TestCity.actor("east1")) }
        }
    }

    @Test(arguments: TestDatabase.available)
    func instancesGeneratingTheSameMonthAtOnceStoreItOnce(db: TestDatabase) async throws {
        try await db.withServices { s in
            _ = try await Self.seed(s)
            let now = TestCity.monday.addingTimeInterval(40 * 86_400)
            // Four schedulers (as four instances would) at the same moment, with the same content.
            let ids = try await withThrowingTaskGroup(of: Int64?.self) { group in
                for _ in 0..<4 { group.addTask { try await HotlineApp(services: s).reports.generateDueMonthly(at: now) } }
                var ids: [Int64?] = []
                for try await id in group { ids.append(id) }
                return ids
            }
            #expect(ids.compactMap { $0 }.count == 1, "\(ids)")
            #expect(try await s.reports.list(limit: 10).count == 1)
        }
    }

    @Test func theWorkbookHasASheetPerTableWhoseCellsReadBack() throws {
        let report = Report(
            kind: "special", title: "路灯专题", from: CivilDay(iso: "2025-03-01")!, to: CivilDay(iso: "2025-03-31")!, scope: "全市",
            generatedAt: TestCity.monday, accepted: 3,
            figures: [.init(key: "response_rate", name: "响应率", value: 0.5, isRate: true, formula: "按时签收 ÷ 派单", definition: "受理日")],
            trend: [], ranking: [.init(place: 1, unit: "东区人民政府", kind: .district, score: 87.5, dispatched: 1, response: 1, resolution: nil, satisfaction: nil,
                                       onTimeWithOpen: nil, openOverdue: 0, unsatisfiedClosed: 0, yellowCards: 0, redCards: 1)],
            topics: [], cases: [.init(number: "20250303000002", day: "2025年3月3日", category: "路灯", district: "西区", unit: "西区人民政府", reasons: "退单")])
        let archive = try Archive(data: try report.xlsx(), accessMode: .read)
        func sheet(_ n: Int) throws -> String {
            var xml = Data()
            _ = try archive.extract(try #require(archive["xl/worksheets/sheet\(n).xml"])) { xml.append($0) }
            return String(decoding: xml, as: UTF8.self)
        }
        var workbook = Data()
        _ = try archive.extract(try #require(archive["xl/workbook.xml"])) { workbook.append($0) }
        let names = String(decoding: workbook, as: UTF8.self)
        for name in ["指标", "趋势", "考评排名", "热点", "典型案例"] { #expect(names.contains("name=\"\(name)\"")) }
        #expect(try sheet(1).contains(#"<c r="A3" t="inlineStr"><is><t xml:space="preserve">响应率</t></is></c><c r="B3"><v>50</v></c>"#))
        #expect(try sheet(3).contains(#"<c r="A2" t="inlineStr"><is><t xml:space="preserve">区县</t></is></c><c r="B2"><v>1</v></c>"#
            + #"<c r="C2" t="inlineStr"><is><t xml:space="preserve">东区人民政府</t></is></c><c r="D2"><v>87.5</v></c>"#))
        #expect(try sheet(5).contains("20250303000002"))
        let csv = try #require(report.table("cases")).csv()
        #expect(csv.hasPrefix("\u{FEFF}工单编号,受理日期,事项分类,区县,主办单位,入选原因\r\n"))
        #expect(report.table("callers") == nil)
    }

    @Test(arguments: TestDatabase.available)
    func theAPIListsGeneratesAndExportsWithinRoles(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            _ = try await Self.seed(s)
            let good = #"{"title":"东区路灯专题","from":"2025-03-01","to":"2025-03-31","category":"01","district":"东区"}"#
            #expect(try await client.call(.post, APIRoutes.reports, as: "sup1", json: good).status == .forbidden)
            #expect(try await client.call(.get, APIRoutes.reports, as: "eastadmin").status == .forbidden)
            #expect(try await client.call(.get, APIRoutes.reports, as: "agent1").status == .forbidden)
            for (body, field) in [
                (good.replacingOccurrences(of: "东区路灯专题", with: " "), "title"),
                (good.replacingOccurrences(of: "东区路灯专题", with: String(repeating: "长", count: 61)), "title"),
                (good.replacingOccurrences(of: "2025-03-01", with: "2025-3-1x"), "from"),
                (good.replacingOccurrences(of: "2025-03-31", with: "2025-02-01"), "to"),
                (good.replacingOccurrences(of: "2025-03-01", with: "2023-01-01"), "to"),
                (good.replacingOccurrences(of: "\"01\"", with: "\"99.99\""), "category"),
            ] {
                let refused = try await client.call(.post, APIRoutes.reports, as: "mgr1", json: body)
                #expect(refused.status == .badRequest, "\(body)")
                #expect((refused["error"] as? [String: Any])?["field"] as? String == field, "\(refused.raw)")
            }
            #expect(try await s.reports.list(limit: 10).isEmpty, "nothing stored")
            let made = try await client.call(.post, APIRoutes.reports, as: "mgr1", json: good)
            #expect(made.status == .created, "\(made.raw)")
            let id = try #require(made["id"] as? Int)
            let report = try #require(made["report"] as? [String: Any])
            #expect(report["accepted"] as? Int == 3, "every seeded order is 东区's district and category 01.01.01")
            #expect(report["scope"] as? String == "事项分类：" + (s.reference.categoryName("01") ?? "") + "（含下级）；区县：东区")
            let list = try await client.call(.get, APIRoutes.reports, as: "sup1")
            #expect((list["reports"] as? [[String: Any]])?.map { $0["title"] as? String } == ["东区路灯专题"])
            let csv = try await client.call(.get, APIRoutes.report(String(id)) + "?format=csv&table=ranking", as: "sup1")
            #expect(csv.status == .ok && csv.raw.hasPrefix("\u{FEFF}考核类别,名次,单位,综合得分"))
            #expect(csv.raw.contains("东区人民政府"))
            let badTable = try await client.call(.get, APIRoutes.report(String(id)) + "?format=csv&table=callers", as: "sup1")
            #expect(badTable.status == .badRequest && (badTable["error"] as? [String: Any])?["field"] as? String == "table")
            #expect(try await client.call(.get, APIRoutes.report(String(id)) + "?format=doc", as: "sup1").status == .badRequest)
            #expect(try await client.call(.get, APIRoutes.report("999"), as: "sup1").status == .notFound)
            let xlsx = try await client.execute(
                uri: APIRoutes.report(String(id)) + "?format=xlsx", method: .get, headers: [.authorization: "Bearer " + TestCity.token("sup1")], body: nil
            ) { Data(buffer: $0.body) }
            let archive = try Archive(data: xlsx, accessMode: .read)
            #expect(archive["xl/worksheets/sheet5.xml"] != nil)
            for text in Self.private_ { #expect(!made.raw.contains(text)) }
        }
    }

    @Test(arguments: TestDatabase.available)
    func theConsoleListsAReportGeneratesOneAndRefusesBadInput(db: TestDatabase) async throws {
        try await withAPI(db) { client, s in
            _ = try await Self.seed(s)
            let m = try await admin.session(client, "mgr1")
            let list = try await console.page(client, WebRoutes.insightReports, cookie: m.cookie)
            #expect(list.status == .ok && list.raw.contains("生成专题报告") && list.raw.contains("还没有报告"))
            let fields = [("title", "三月专题"), ("from", "2025-03-01"), ("to", "2025-03-31"), ("category", ""), ("district", "")]
            let bad = try await admin.post(client, WebRoutes.insightReports, m, fields.map { $0.0 == "to" ? ("to", "2025-02-01") : $0 })
            #expect(bad.status == .badRequest || bad.status == .unprocessableContent, "\(bad.status)")
            #expect(bad.raw.contains("结束日期不能早于开始日期"))
            #expect(try await s.reports.list(limit: 10).isEmpty)
            let made = try await admin.post(client, WebRoutes.insightReports, m, fields)
            #expect(made.status == .seeOther || made.status == .found, "\(made.status)")
            let location = try #require(made.headers[.location])
            let page = try await console.page(client, location, cookie: m.cookie)
            #expect(page.status == .ok)
            for text in ["三月专题", "主要指标", "响应率", "单位排名", "东区人民政府", "典型案例", "退单", "下载 Excel"] { #expect(page.raw.contains(text), "\(text)") }
            #expect(page.raw.contains("<svg class=\"chart\""))
            // The report itself (the header names the signed-in manager, which is theirs to see).
            let start = try #require(page.raw.range(of: "<main"))
            let main = String(page.raw[start.lowerBound...])
            for text in Self.private_ { #expect(!main.contains(text), "\(text)") }
            let sup = try await admin.session(client, "sup1")
            #expect(try await console.page(client, location, cookie: sup.cookie).status == .ok)
            let supList = try await console.page(client, WebRoutes.insightReports, cookie: sup.cookie)
            #expect(supList.status == .ok && !supList.raw.contains("生成专题报告"))
            #expect(try await admin.post(client, WebRoutes.insightReports, sup, fields).status == .forbidden)
            let unitAdmin = try await console.logIn(client, "eastadmin")
            #expect(try await console.page(client, location, cookie: unitAdmin).status == .forbidden)
        }
    }

    static let pdftotext = ["/usr/bin/pdftotext"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let pdfAvailable = PDFRenderer.located() != nil && pdftotext != nil
    static let pdfRequired = ProcessInfo.processInfo.environment["HOTLINE_REQUIRE_BROWSER"] == "1"

    @Test(.enabled(if: pdfAvailable || pdfRequired, "Chromium and pdftotext are not installed"), arguments: [TestDatabase.sqlite])
    func theReportPrintsToAPDFWhoseTextReadsBack(db: TestDatabase) async throws {
        try await db.withServices { s in
            let west = try await Self.seed(s)
            let desk = HotlineApp(services: s).reports
            let id = try #require(try await desk.generateMonthly("2025-03", at: TestCity.monday.addingTimeInterval(40 * 86_400)))
            let report = try await desk.report(id, for: TestCity.actor("mgr1")).report
            let renderer = try #require(PDFRenderer.located())
            let pdf = try await renderer.render(html: try ReportPrint.html(report))
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString).pdf")
            try pdf.write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try #require(Self.pdftotext))
            process.arguments = [file.path, "-"]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            // Table cells wrap: compare without the line breaks and spaces the layout adds.
            let flat = text.filter { !$0.isWhitespace }
            for expected in ["2025年3月12345热线月度报告", "主要指标", "单位排名", "东区人民政府", "典型案例", String(west)] {
                #expect(flat.contains(expected), "\(expected)")
            }
        }
    }
}

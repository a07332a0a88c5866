import Foundation
import HotlineDomain
import HotlineStorage
import Testing

@testable import HotlineApp
@testable import HotlineWeb

/// The manager's home rendered from hand-built figures must match its reviewed snapshot (`Snapshots/home-manager.html`);
/// `HOTLINE_UPDATE_SNAPSHOTS=1` rewrites it.
@Suite struct ManagerHomeSnapshotTests {
    static func counts(dispatched: Int, signed: Int, reached: Int, resolved: Int, satisfied: Int, finished: Int, onTime: Int) -> MeasureCounts {
        var c = MeasureCounts()
        (c.received, c.accepted, c.dispatched, c.signedOnTime) = (dispatched + 2, dispatched + 2, dispatched, signed)
        (c.reached, c.resolved, c.satisfied, c.finished, c.finishedOnTime) = (reached, resolved, satisfied, finished, onTime)
        c.rated = reached
        return c
    }

    /// October: 10 dispatched, 8 signed on time (80%); November: 20 dispatched, 18 signed (90%), 10 reached, 9 resolved,
    /// 8 satisfied, 10 finished of which 9 on time, 2 open overdue.
    static var fixture: ManagerHome {
        let settings = MeasureSettings.default
        let months: [(String, String, MeasureCounts, Int)] = [
            ("2026-10", "2026年10月", counts(dispatched: 10, signed: 8, reached: 0, resolved: 0, satisfied: 0, finished: 0, onTime: 0), 0),
            ("2026-11", "2026年11月", counts(dispatched: 20, signed: 18, reached: 10, resolved: 9, satisfied: 8, finished: 10, onTime: 9), 2),
        ]
        let rows = months.map { MeasureReport.Row(key: $0.0, name: $0.1, figures: MeasureFigures(counts: $0.2, openOverdue: $0.3), subtree: nil) }
        let day = CivilDay(iso: "2026-11-30")!
        let trend = MeasureReport(
            query: MeasureQuery(from: CivilDay(iso: "2026-10-01")!, to: day, by: .month), rows: rows,
            total: MeasureReport.Row(key: "", name: "全市", figures: MeasureFigures(counts: MeasureCounts()), subtree: nil), settings: settings,
            definitions: MeasureDefinition.all(basicWeight: settings.basicSatisfactionWeight), scopeUnit: nil)
        let ranking = UnitRanking(
            month: "2026-11", from: CivilDay(iso: "2026-11-01")!, to: day,
            rows: [
                .init(place: 1, unit: "dist-east", name: "东区人民政府", group: .district, figures: MeasureFigures(counts: MeasureCounts()), yellowCards: 0, redCards: 0, score: 92.25),
                .init(place: 2, unit: "dist-west", name: "西区人民政府", group: .district, figures: MeasureFigures(counts: MeasureCounts()), yellowCards: 0, redCards: 1, score: 81.5),
                .init(place: 1, unit: "housing", name: "市住建局", group: .department, figures: MeasureFigures(counts: MeasureCounts()), yellowCards: 0, redCards: 0, score: 88),
                .init(place: nil, unit: "water", name: "自来水公司", group: .utility, figures: MeasureFigures(counts: MeasureCounts()), yellowCards: 0, redCards: 0, score: nil),
            ],
            ranked: 3, rankedByGroup: [.district: 2, .department: 1], settings: settings)
        return ManagerHome(trend: trend, ranking: ranking, topics: TopicsPanel(topics: [], now: Date(timeIntervalSince1970: 0)), unread: 3, ownUnit: nil)
    }

    @Test func theFiguresCarryTheirChangeAgainstLastMonth() {
        let home = Self.fixture
        let response = home.figures.first { $0.name == "响应率" }!
        #expect(response.value == "90.0%" && response.change == "较上月上升 10.0 个百分点")
        #expect(response.formula.contains("÷"))
        #expect(home.figures.first { $0.name == "解决率" }!.change == "上月无可比数据")
        #expect(home.ranking.map(\.name) == ["东区人民政府", "西区人民政府", "市住建局"], "ranked places only, group by group, best first")
        #expect(home.ranking.map(\.group) == ["区县", "区县", "市直部门"])
        #expect(home.alerts == "未读提醒 3 条")
        #expect(ManagerHome.monthLabel("2027-01") == "2027年1月" && ManagerHome.monthLabel("2026-11") == "11月")
        #expect(ManagerHome.trendStart(CivilDay(iso: "2026-11-30")!) == CivilDay(iso: "2025-12-01")!)
        #expect(ManagerHome.trendStart(CivilDay(iso: "2026-12-05")!) == CivilDay(iso: "2026-01-01")!)
    }

    @Test func theManagersHomeMatchesItsSnapshot() throws {
        var page = HomePage.fixture
        page.greeting = "管理者 吴刚，您好"
        page.insight = Self.fixture
        try PageSnapshotTests().check("home-manager", try PageRenderer().html("home", page))
    }
}

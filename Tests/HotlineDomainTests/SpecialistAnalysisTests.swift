import Foundation
import HotlineDomain
import Testing

/// 驻场分析 on hand-built counts: every expected figure below is worked out by hand from the counts.
@Suite struct SpecialistAnalysisTests {
    typealias Pair = SpecialistAnalysis.Input.Pair

    static func counts(accepted: Int, dispatched: Int = 0, direct: Int = 0, repeated: Int = 0, reached: Int = 0, satisfied: Int = 0, basic: Int = 0)
        -> MeasureCounts
    {
        var c = MeasureCounts()
        c.received = accepted
        c.accepted = accepted
        c.dispatched = dispatched
        c.directAnswered = direct
        c.repeated = repeated
        c.reached = reached
        c.rated = reached
        c.satisfied = satisfied
        c.basicallySatisfied = basic
        return c
    }

    // Categories: 01 社会保障 (01.02 医保 below it), 02 公安 (02.01 户籍), 03 城乡建设 (not in the catalogue).
    static let tree = CategoryHierarchy(codes: ["01", "01.02", "02", "02.01", "03"])
    // The catalogue names 人社局 for 01 (so 01.02 too, by its ancestor) and 公安局 for 02.01; a district entry for 02.01
    // must not be used (the rollups do not keep the district per unit).
    static let catalogue = DispatchCatalogue([
        CatalogueEntry(categoryCode: "01", unitID: "rsj"),
        CatalogueEntry(categoryCode: "02.01", unitID: "gaj"),
        CatalogueEntry(categoryCode: "02.01", district: "东城区", unitID: "east-police"),
    ])

    static let input = SpecialistAnalysis.Input(
        dispatched: [
            // 人社局: 20 dispatched 医保 orders, 4 repeats, 10 reached of which 6 满意 and 1 基本满意.
            Pair(unit: "rsj", category: "01.02"): counts(accepted: 20, dispatched: 20, repeated: 4, reached: 10, satisfied: 6, basic: 1),
            // 公安局: 10 dispatched 户籍 orders, no repeats, 5 reached all 满意.
            Pair(unit: "gaj", category: "02.01"): counts(accepted: 10, dispatched: 10, reached: 5, satisfied: 5),
            // 住建局: 10 dispatched 城乡建设 orders.
            Pair(unit: "zjj", category: "03"): counts(accepted: 10, dispatched: 10, repeated: 1),
        ],
        centre: [
            // Answered on the call: 20 医保 (→ 人社局 by the ancestor 01), 30 户籍 (→ 公安局), 5 城乡建设 (→ 未归属), 2 without category.
            "01.02": counts(accepted: 20, direct: 20),
            "02.01": counts(accepted: 30, direct: 30, repeated: 2),
            "03": counts(accepted: 5, direct: 5),
            "": counts(accepted: 2, direct: 2),
        ])

    @Test func undispatchedOrdersCountForTheCatalogueDepartmentOfTheirCategory() {
        #expect(SpecialistAnalysis.department(of: "01.02", catalogue: Self.catalogue, categories: Self.tree) == "rsj")
        #expect(SpecialistAnalysis.department(of: "02.01", catalogue: Self.catalogue, categories: Self.tree) == "gaj")
        #expect(SpecialistAnalysis.department(of: "02", catalogue: Self.catalogue, categories: Self.tree) == nil)
        #expect(SpecialistAnalysis.department(of: "03", catalogue: Self.catalogue, categories: Self.tree) == nil)
        #expect(SpecialistAnalysis.department(of: "", catalogue: Self.catalogue, categories: Self.tree) == nil)
    }

    @Test func departmentsAreRankedByTheDocumentedScore() throws {
        let rows = SpecialistAnalysis.byDepartment(Self.input, catalogue: Self.catalogue, categories: Self.tree)
        #expect(rows.map(\.key) == ["rsj", "gaj", "zjj", ""])
        let rsj = try #require(rows.first { $0.key == "rsj" })
        // 人社局: 40 accepted (20 + 20), 20 dispatched → 50%; 4 repeats → 10%; 10 reached, 7 satisfied → 30% dissatisfied.
        #expect(rsj.volume == 40)
        #expect(rsj.dispatchedShare == 0.5)
        #expect(rsj.repeatRate == 0.1)
        #expect(abs(rsj.dissatisfaction! - 0.3) < 1e-9)
        #expect(rsj.directAnswerRate == 0.5)
        // Score: 100 × (0.4 × 40/40 + 0.3 × 0.5 + 0.2 × 0.1 + 0.1 × 0.3) = 100 × (0.4 + 0.15 + 0.02 + 0.03) = 60.
        #expect(abs(rsj.score - 60) < 1e-9)
        let gaj = try #require(rows.first { $0.key == "gaj" })
        // 公安局: 40 accepted (10 + 30), 10 dispatched → 25%; 2 repeats → 5%; 5 reached all satisfied → 0%.
        // 100 × (0.4 + 0.075 + 0.01 + 0) = 48.5.
        #expect(gaj.volume == 40)
        #expect(abs(gaj.score - 48.5) < 1e-9)
        let zjj = try #require(rows.first { $0.key == "zjj" })
        // 住建局: 10 accepted all dispatched, 1 repeat, nobody reached (dissatisfaction unknown → 0):
        // 100 × (0.4 × 10/40 + 0.3 × 1 + 0.2 × 0.1) = 100 × (0.1 + 0.3 + 0.02) = 42.
        #expect(zjj.dissatisfaction == nil)
        #expect(abs(zjj.score - 42) < 1e-9)
        let none = try #require(rows.first { $0.key == "" })
        // 未归属: the 5 城乡建设 and the 2 uncategorised direct answers: 100 × 0.4 × 7/40 = 7.
        #expect(none.volume == 7)
        #expect(abs(none.score - 7) < 1e-9)
    }

    @Test func categoriesAreGroupedByTheirFirstLevel() {
        let rows = SpecialistAnalysis.byCategory(Self.input, categories: Self.tree)
        let volumes = Dictionary(uniqueKeysWithValues: rows.map { ($0.key, $0.volume) })
        #expect(volumes == ["01": 40, "02": 40, "03": 15, "": 2])
        // 城乡建设: 15 accepted, 10 dispatched → 2/3; 1 repeat → 1/15; nobody reached.
        let c = rows.first { $0.key == "03" }!
        #expect(abs(c.dispatchedShare! - 2.0 / 3.0) < 1e-9)
        #expect(abs(c.score - 100 * (0.4 * 15.0 / 40.0 + 0.3 * 2.0 / 3.0 + 0.2 / 15.0)) < 1e-9)
    }

    @Test func aStationedDepartmentsCountsCoverItsDispatchedAndAttributedOrders() {
        let c = SpecialistAnalysis.counts(of: "gaj", Self.input, catalogue: Self.catalogue, categories: Self.tree)
        #expect(c.accepted == 40)
        #expect(c.directAnswered == 30)
        let empty = SpecialistAnalysis.counts(of: "nobody", Self.input, catalogue: Self.catalogue, categories: Self.tree)
        #expect(empty.isZero)
    }

    @Test func theComparisonPeriodsHaveTheSameLengthEitherSideOfTheStart() {
        let start = CivilDay(year: 2026, month: 10, day: 1)!
        let today = CivilDay(year: 2026, month: 11, day: 30)!
        // Ended on 10-10: ten days after (10-01…10-10), ten before (09-21…09-30).
        let ended = SpecialistAnalysis.comparisonPeriods(start: start, end: CivilDay(year: 2026, month: 10, day: 10)!, today: today)
        #expect(ended.before == CivilDay(year: 2026, month: 9, day: 21)!...CivilDay(year: 2026, month: 9, day: 30)!)
        #expect(ended.after == start...CivilDay(year: 2026, month: 10, day: 10)!)
        // Still going on: up to today, 61 days.
        let going = SpecialistAnalysis.comparisonPeriods(start: start, end: nil, today: today)
        #expect(going.after == start...today)
        #expect(going.before.upperBound.ordinal - going.before.lowerBound.ordinal == 60)
        // Not started yet: one day either side.
        let future = SpecialistAnalysis.comparisonPeriods(start: today.adding(days: 5), end: nil, today: today)
        #expect(future.after.lowerBound == future.after.upperBound)
    }

    @Test func groupsWithoutAcceptedOrdersAreLeftOut() {
        var c = MeasureCounts()
        c.received = 3
        #expect(SpecialistAnalysis.ranked(["x": c]).isEmpty)
        #expect(SpecialistAnalysis.ranked([:]).isEmpty)
    }
}

import Foundation
import HotlineDomain
import HotlineText
import Testing

@Suite struct StaffingPlanTests {
    @Test func eachIntervalGetsTheAgentsErlangCAsksFor() throws {
        let calls: [Double] = [0, 4, 40, 197, 120, 12]
        let target = ServiceTarget(serviceLevel: 0.8, answerSeconds: 20, shrinkage: 0.3)
        let plan = try StaffingPlan(calls: calls, intervalMinutes: 30, averageHandleSeconds: 240, target: target)
        #expect(plan.rows.map(\.startMinute) == [0, 30, 60, 90, 120, 150])
        for row in plan.rows {
            let alone = try ErlangC.requirement(for: IntervalDemand(calls: row.calls, averageHandleSeconds: 240), target: target)
            #expect(row.requirement == alone)
            #expect(row.requirement.serviceLevel >= 0.8)
        }
        #expect(plan.peakAgents == plan.rows[3].requirement.agents)
        #expect(plan.scheduledAgentHours == Double(plan.rows.map(\.requirement.scheduledAgents).reduce(0, +)) / 2)
        #expect(plan.serviceLevel >= 0.8)
    }

    @Test func aPlanForAForecastDayStaysWithinAMidSizeCentresSeats() throws {
        var random = SplitMix64(seed: 1)
        let result = SimulatedCallHistory().generate(
            from: CivilDay(iso: "2025-01-06")!, to: CivilDay(iso: "2025-03-02")!, calendar: Fixtures.calendar, using: &random)
        let monday = CallForecaster(calendar: Fixtures.calendar).fit(result.history).forecast(CivilDay(iso: "2025-03-03")!)
        let plan = try StaffingPlan(calls: monday, averageHandleSeconds: 240, target: ServiceTarget(shrinkage: 0.3))
        #expect(plan.peakScheduledAgents > 30 && plan.peakScheduledAgents <= 58)
        #expect(plan.rows[4].requirement.agents <= 2)
    }

    @Test func aBadTargetIsRefusedForTheWholePlan() {
        #expect(throws: StaffingError.self) {
            try StaffingPlan(calls: [10, 20], averageHandleSeconds: 240, target: ServiceTarget(serviceLevel: 1.2))
        }
    }
}

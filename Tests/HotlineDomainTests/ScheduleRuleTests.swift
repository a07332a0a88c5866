import Foundation
import HotlineDomain
import Testing

/// 排班规则 and 排班覆盖: overlapping shifts, breaks outside their shift, one team per agent, the agents on the phones per
/// half hour, standby counted only once called in, and the staffing rows against ``StaffingPlan`` itself.
@Suite struct ScheduleRuleTests {
    static let day = CivilDay(iso: "2025-03-04")!
    static let early = ShiftTemplate(id: 1, name: "早班", startMinute: 480, endMinute: 960, breaks: [ShiftBreak(startMinute: 720, minutes: 30)])
    static let middle = ShiftTemplate(id: 2, name: "中班", startMinute: 600, endMinute: 1080, breaks: [])
    static let late = ShiftTemplate(id: 3, name: "晚班", startMinute: 960, endMinute: 1440, breaks: [ShiftBreak(startMinute: 1140, minutes: 15)])

    func entry(_ kind: RosterKind, _ t: ShiftTemplate, agent: String = "a1", breaks: [ShiftBreak]? = nil) -> RosterEntry {
        RosterEntry(day: Self.day, agentID: agent, kind: kind, template: t, breaks: breaks)
    }

    @Test func overlappingShiftsForOneAgentOnOneDayAreRefused() throws {
        #expect(throws: ScheduleError.self) { try ScheduleRules.check(day: [entry(.shift, Self.early), entry(.shift, Self.middle)]) }
        #expect(throws: ScheduleError.self) { try ScheduleRules.check(day: [entry(.shift, Self.early), entry(.standby, Self.middle)]) }
        // Back to back is not an overlap.
        try ScheduleRules.check(day: [entry(.shift, Self.early), entry(.shift, Self.late)])
    }

    @Test func theOverlapIsNamedInChinese() {
        do {
            try ScheduleRules.check(day: [entry(.shift, Self.early), entry(.shift, Self.middle)])
            Issue.record("an overlap was accepted")
        } catch {
            #expect(error.field == "shift_ids")
            #expect(error.message == "早班（08:00–16:00）与中班（10:00–18:00）时间重叠")
        }
    }

    @Test func aBreakOutsideItsShiftIsRefused() {
        let outside = [ShiftBreak(startMinute: 950, minutes: 30)]
        #expect(throws: ScheduleError("breaks", "休息15:50起30分钟不在班次时间内")) { try ScheduleRules.check(day: [entry(.shift, Self.early, breaks: outside)]) }
        var template = Self.early
        template.breaks = [ShiftBreak(startMinute: 400, minutes: 15)]
        #expect(throws: ScheduleError.self) { try ScheduleRules.check(template) }
        template.breaks = [ShiftBreak(startMinute: 600, minutes: 30), ShiftBreak(startMinute: 615, minutes: 15)]
        #expect(throws: ScheduleError.self) { try ScheduleRules.check(template) }
    }

    @Test func aDayOffTakesNoShiftAndADayHasOneStandby() {
        let rest = RosterEntry(day: Self.day, agentID: "a1", kind: .rest)
        #expect(throws: ScheduleError.self) { try ScheduleRules.check(day: [rest, entry(.shift, Self.late)]) }
        #expect(throws: ScheduleError.self) { try ScheduleRules.check(day: [entry(.standby, Self.early), entry(.standby, Self.late)]) }
    }

    @Test func anAgentIsInAtMostOneTeam() {
        let teams = [Team(id: 1, name: "一班", leaderID: "a1", members: ["a1", "a2"]), Team(id: 2, name: "二班", leaderID: nil, members: ["a2"])]
        #expect(throws: ScheduleError.self) { try ScheduleRules.check(teams: teams, isAgent: { _ in true }) }
        #expect(throws: ScheduleError.self) {
            try ScheduleRules.check(teams: [Team(id: 1, name: "一班", leaderID: "a3", members: ["a1"])], isAgent: { _ in true })
        }
        #expect(throws: ScheduleError.self) {
            try ScheduleRules.check(teams: [Team(id: 1, name: "一班", leaderID: nil, members: ["disp1"])], isAgent: { $0.hasPrefix("a") })
        }
    }

    @Test func shiftTimesReadAndPrint() {
        #expect(ScheduleRules.minute("8:30") == 510 && ScheduleRules.minute("24:00") == 1440)
        #expect(ScheduleRules.minute("24:30") == nil && ScheduleRules.minute("8") == nil && ScheduleRules.minute("08:5") == nil)
        #expect(ScheduleRules.clock(1440) == "24:00" && ScheduleRules.clock(510) == "08:30")
    }

    @Test func coverageCountsTheMinutesOnThePhonesPerInterval() {
        let quarter = [ShiftBreak(startMinute: 600, minutes: 15)]
        let coverage = Coverage(entries: [
            entry(.shift, Self.early, agent: "a1"),  // 08:00–16:00, 12:00–12:30 off
            entry(.shift, Self.middle, agent: "a2", breaks: quarter),  // 10:00–18:00, 10:00–10:15 off
            RosterEntry(day: Self.day, agentID: "a3", kind: .rest),
        ])
        #expect(coverage.onPhones[15] == 0)  // 07:30
        #expect(coverage.onPhones[16] == 1)  // 08:00
        #expect(coverage.onPhones[20] == 1.5)  // 10:00: a1 whole, a2 half
        #expect(coverage.rostered[20] == 2)
        #expect(coverage.onPhones[24] == 1)  // 12:00: a1 on break
        #expect(coverage.rostered[24] == 2)
        #expect(coverage.onPhones[32] == 1)  // 16:00: a2 only
        #expect(coverage.onPhones[36] == 0)  // 18:00
        // In agent half hours: 16 less the half-hour break, and 16 less the quarter-hour break.
        #expect(coverage.onPhones.reduce(0, +) == 15 + 15.5)
    }

    @Test func aStandbyCountsOnlyFromItsCallIn() {
        var standby = entry(.standby, Self.middle, agent: "a2")
        let before = Coverage(entries: [standby])
        #expect(before.onPhones.reduce(0, +) == 0)
        #expect(before.standby[20] == 1 && before.rostered[20] == 0)
        standby.calledInAt = Self.day.at(minutes: 13 * 60 + 15)
        let after = Coverage(entries: [standby])
        #expect(after.onPhones[25] == 0, "12:30, before the call-in")
        #expect(after.onPhones[26] == 0.5, "13:00: from 13:15")
        #expect(after.onPhones[27] == 1 && after.onPhones[35] == 1 && after.onPhones[36] == 0)
        #expect(after.standby[20] == 0)
    }

    @Test func staffingRowsAreThePlanWithTheRosterBeside() throws {
        let calls: [Double] = (0..<48).map { i in (16..<40).contains(i) ? 60 : 0 }
        let target = ServiceTarget(serviceLevel: 0.8, answerSeconds: 20, shrinkage: 0.3)
        let entries = (0..<12).map { entry(.shift, Self.middle, agent: "a\($0)") }
        let day = try StaffingDay(calls: calls, averageHandleSeconds: 300, target: target, coverage: Coverage(entries: entries))
        let plan = try StaffingPlan(calls: calls, intervalMinutes: 30, averageHandleSeconds: 300, target: target)
        #expect(day.rows.map(\.requirement) == plan.rows.map(\.requirement))
        #expect(day.rows.map(\.forecastCalls) == calls)
        let required = plan.rows[20].requirement.agents  // 10:00, 60 calls of 5 minutes: 10 Erlangs
        #expect(required == 14)
        #expect(day.rows[20].scheduledAgents == 12 && day.rows[20].isShort)
        #expect(day.rows[17].scheduledAgents == 0 && day.rows[17].isShort && day.rows[17].simulatedServiceLevel == 0)
        #expect(day.rows[2].simulatedServiceLevel == nil && !day.rows[2].isShort, "no calls, nobody needed")
        // 12 agents on 10 Erlangs: Erlang C and the simulator agree within a few points.
        let erlang = try #require(day.rows[20].scheduledServiceLevel), simulated = try #require(day.rows[20].simulatedServiceLevel)
        #expect(erlang > 0.5 && erlang < 0.8)
        #expect(abs(erlang - simulated) < 0.1, "Erlang C \(erlang), simulated \(simulated)")
        #expect(day.shortIntervals == 24)
    }

    @Test func aTypicalDaySpreadsTheDailyCalls() {
        let calls = StaffingDay.typicalDay(dailyCalls: 3000)
        #expect(calls.count == 48)
        #expect(abs(calls.reduce(0, +) - 3000) < 1e-6)
        #expect(calls[19] > calls[4])
    }
}

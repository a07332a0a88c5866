import Foundation
import HotlineDomain
import Testing

@Suite struct CalendarOverrideTests {
    @Test func aHolidayOverrideOnTopOfTheScheduleWinsDayByDay() throws {
        var schedule = Fixtures.calendar.schedule
        try schedule.merge(overrides: [
            try CalendarOverride(start: "2025-03-04", end: "2025-03-05", kind: "holiday", name: "抗洪放假"),
            // A later override wins over an earlier one.
            try CalendarOverride(start: "2025-03-05", end: "2025-03-05", kind: "workday", name: "恢复上班"),
            // A make-up working day of the official schedule becomes a holiday.
            try CalendarOverride(start: "2025-01-26", end: "2025-01-26", kind: "holiday", name: "取消调休"),
        ])
        let calendar = WorkingCalendar(schedule: schedule)
        #expect(!calendar.isWorkingDay(CivilDay(iso: "2025-03-04")!))
        #expect(calendar.isWorkingDay(CivilDay(iso: "2025-03-05")!))
        #expect(!calendar.isWorkingDay(CivilDay(iso: "2025-01-26")!))
        #expect(schedule.holidays[CivilDay(iso: "2025-03-04")!] == "抗洪放假")
        #expect(schedule.makeupWorkdays[CivilDay(iso: "2025-03-05")!] == "恢复上班")
    }

    @Test(arguments: [
        ("2025-03-10", "2025-03-01", "holiday", "x", CalendarOverride.Problem.endBeforeStart),
        ("2025-03-01", "2025-04-01", "holiday", "x", .tooLong),
        ("2025-02-29", "2025-03-01", "holiday", "x", .badStart),
        ("2025-03-01", "3/2/2025", "holiday", "x", .badEnd),
        ("2025-03-01", "2025-03-01", "weekend", "x", .badKind),
        ("2025-03-01", "2025-03-01", "holiday", String(repeating: "长", count: 51), .badName),
        ("2025-03-01", "2025-03-01", "holiday", "两行\n名称", .badName),
    ])
    func badOverridesAreRefusedWithTheReason(start: String, end: String, kind: String, name: String, problem: CalendarOverride.Problem) {
        #expect(throws: problem) { try CalendarOverride(start: start, end: end, kind: kind, name: name) }
    }

    @Test func thirtyOneDaysAndFiftyCharactersAreTheLimits() throws {
        let o = try CalendarOverride(start: "2025-03-01", end: "2025-03-31", kind: "workday", name: String(repeating: "长", count: 50))
        #expect(o.days == 31)
    }
}

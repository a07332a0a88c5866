import Foundation
import HotlineDomain
import Testing

@Suite struct WorkingCalendarTests {
    let calendar = Fixtures.calendar

    @Test func springFestival2025IsNotWorkedButItsMakeUpSundayIs() {
        let days = calendar.workingDays(from: CivilDay(iso: "2025-01-25")!, to: CivilDay(iso: "2025-02-09")!).map(\.description)
        #expect(days == ["2025-01-26", "2025-01-27", "2025-02-05", "2025-02-06", "2025-02-07", "2025-02-08"])
    }

    @Test(arguments: [
        ("2024-02-04", true), ("2024-02-12", false), ("2024-09-14", true), ("2024-10-12", true),
        ("2025-04-27", true), ("2025-10-08", false), ("2025-10-11", true), ("2025-06-02", false),
        ("2026-01-04", true), ("2026-02-23", false), ("2026-02-28", true), ("2026-05-09", true), ("2026-09-20", true),
        ("2026-10-07", false), ("2026-10-10", true), ("2026-06-19", false), ("2026-09-25", false),
        ("2027-03-01", true), ("2027-03-06", false),
    ])
    func officialScheduleDecidesWorkingDays(day: String, working: Bool) {
        #expect(calendar.isWorkingDay(CivilDay(iso: day)!) == working)
    }

    @Test func startDayIsNotCountedInWorkingDayPeriods() {
        let deadline = calendar.deadline(from: Fixtures.time("2025-01-27T10:00:00"), workingDays: 3)
        #expect(deadline.chinaISO8601 == "2025-02-07T23:59:59+08:00")
    }

    @Test func oneWorkingDayFromFridayEndsOnMonday() {
        #expect(calendar.deadline(from: Fixtures.time("2025-03-07T16:00:00"), workingDays: 1).chinaISO8601 == "2025-03-10T23:59:59+08:00")
    }

    @Test func workingHoursSkipLunchNightsAndHolidays() {
        #expect(calendar.deadline(from: Fixtures.time("2025-03-03T11:00:00"), workingHours: 2).chinaISO8601 == "2025-03-03T14:00:00+08:00")
        #expect(calendar.deadline(from: Fixtures.time("2025-01-27T17:00:00"), workingHours: 2).chinaISO8601 == "2025-02-05T10:00:00+08:00")
        #expect(calendar.deadline(from: Fixtures.time("2025-03-01T08:00:00"), workingHours: 1).chinaISO8601 == "2025-03-03T10:00:00+08:00")
    }

    @Test func workingSecondsCountOnlyBusinessHours() {
        let seconds = calendar.workingSeconds(from: Fixtures.time("2025-03-07T17:00:00"), to: Fixtures.time("2025-03-10T10:00:00"))
        #expect(seconds == 2 * 3600)
        #expect(calendar.workingSeconds(from: Fixtures.time("2025-03-10T10:00:00"), to: Fixtures.time("2025-03-07T17:00:00")) == -2 * 3600)
    }

    @Test func newYearIsADataFileNotCode() throws {
        var schedule = Fixtures.calendar.schedule
        try schedule.merge(csv: "start,end,kind,name\n2027-01-01,2027-01-01,holiday,元旦\n2027-02-20,2027-02-20,workday,春节调休\n")
        let extended = WorkingCalendar(schedule: schedule)
        #expect(!extended.isWorkingDay(CivilDay(iso: "2027-01-01")!))
        #expect(extended.isWorkingDay(CivilDay(iso: "2027-02-20")!))
    }

    @Test func malformedCalendarLineIsReportedWithItsNumber() {
        var schedule = HolidaySchedule()
        #expect(throws: HolidaySchedule.ParseError.badLine(number: 2, text: "2025-13-01,2025-13-02,holiday,x")) {
            try schedule.merge(csv: "start,end,kind,name\n2025-13-01,2025-13-02,holiday,x")
        }
    }

    @Test func businessHoursParseAndRefuseOverlaps() {
        #expect(BusinessHours("08:30-12:00,14:00-17:30")?.minutesPerDay == 420)
        #expect(BusinessHours("09:00-12:00,11:00-13:00") == nil)
        #expect(BusinessHours("nonsense") == nil)
    }

    @Test func civilDayRoundTripsAndKnowsWeekdays() {
        let day = CivilDay(iso: "2024-02-29")!
        #expect(day.description == "2024-02-29")
        #expect(day.weekday == 4)
        #expect(CivilDay(iso: "2025-02-29") == nil)
        #expect(CivilDay(containing: Fixtures.time("2025-03-03T00:30:00")).description == "2025-03-03")
    }
}

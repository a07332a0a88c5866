import Foundation
import HotlineDomain
import Testing

/// The provisional calendar (临时日历) of years without an official schedule, against 《全国年节及纪念日放假办法》.
@Suite struct ProvisionalCalendarTests {
    let calendar = Fixtures.calendar

    private func holidays(_ year: Int) -> [String: [String]] {
        Dictionary(uniqueKeysWithValues: StatutoryHolidays.holidays(year: year).map { ($0.name, $0.days.map(\.description)) })
    }

    @Test func statutoryHolidaysOf2027() {
        #expect(holidays(2027) == [
            "元旦": ["2027-01-01"],
            "春节": ["2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08"],
            "清明节": ["2027-04-05"],
            "劳动节": ["2027-05-01", "2027-05-02"],
            "端午节": ["2027-06-09"],
            "中秋节": ["2027-09-15"],
            "国庆节": ["2027-10-01", "2027-10-02", "2027-10-03"],
        ])
    }

    @Test func statutoryHolidaysOf2028() {
        #expect(holidays(2028) == [
            "元旦": ["2028-01-01"],
            "春节": ["2028-01-25", "2028-01-26", "2028-01-27", "2028-01-28"],
            "清明节": ["2028-04-04"],
            "劳动节": ["2028-05-01", "2028-05-02"],
            "端午节": ["2028-05-28"],
            "中秋节": ["2028-10-03"],
            "国庆节": ["2028-10-01", "2028-10-02", "2028-10-03"],
        ])
    }

    /// Known dates of the lunar festivals and of Qingming (published almanacs), 2025–2035.
    @Test(arguments: [
        (2025, "2025-01-29", "2025-05-31", "2025-10-06", "2025-04-04"),
        (2026, "2026-02-17", "2026-06-19", "2026-09-25", "2026-04-05"),
        (2027, "2027-02-06", "2027-06-09", "2027-09-15", "2027-04-05"),
        (2028, "2028-01-26", "2028-05-28", "2028-10-03", "2028-04-04"),
        (2029, "2029-02-13", "2029-06-16", "2029-09-22", "2029-04-04"),
        (2030, "2030-02-03", "2030-06-05", "2030-09-12", "2030-04-05"),
        (2031, "2031-01-23", "2031-06-24", "2031-10-01", "2031-04-05"),
        (2032, "2032-02-11", "2032-06-12", "2032-09-19", "2032-04-04"),
        (2033, "2033-01-31", "2033-06-01", "2033-09-08", "2033-04-04"),
        (2034, "2034-02-19", "2034-06-20", "2034-09-27", "2034-04-05"),
        (2035, "2035-02-08", "2035-06-10", "2035-09-16", "2035-04-05"),
    ])
    func lunarFestivalsAndQingming(year: Int, springFestival: String, duanwu: String, midAutumn: String, qingming: String) {
        #expect(LunarCalendar.gregorianDay(lunarMonth: 1, day: 1, inGregorianYear: year)?.description == springFestival)
        #expect(LunarCalendar.gregorianDay(lunarMonth: 5, day: 5, inGregorianYear: year)?.description == duanwu)
        #expect(LunarCalendar.gregorianDay(lunarMonth: 8, day: 15, inGregorianYear: year)?.description == midAutumn)
        #expect(SolarTerms.qingming(year: year).description == qingming)
        // 除夕 is the day before the new year, whether the 12th month has 29 or 30 days.
        #expect(holidays(year)["春节"]?.first == CivilDay(iso: springFestival)!.adding(days: -1).description)
    }

    @Test func yearWithoutScheduleUsesStatutoryHolidaysAndSaysSo() {
        let newYear = CivilDay(iso: "2027-01-01")!
        #expect(!calendar.isWorkingDay(newYear))
        #expect(calendar.isProvisional(newYear))
        #expect(!calendar.isProvisional(CivilDay(iso: "2026-12-31")!))
        #expect(!calendar.isWorkingDay(CivilDay(iso: "2027-02-08")!))  // Monday, 初三
        #expect(calendar.isWorkingDay(CivilDay(iso: "2027-02-09")!))  // Tuesday after the festival: no guessing
        #expect(!calendar.isWorkingDay(CivilDay(iso: "2028-05-02")!))
        #expect(calendar.holidayName(CivilDay(iso: "2028-10-03")!) == "中秋节、国庆节", "two holidays on one day keep both names")
        #expect(calendar.holidayName(CivilDay(iso: "2027-02-05")!) == "春节")
        #expect(calendar.holidayName(CivilDay(iso: "2027-02-09")!) == nil)
    }

    @Test func deadlineAcrossSpringFestival2027IsProvisionalAndSkipsTheHolidays() {
        let start = Fixtures.time("2027-02-04T10:00:00")  // Thursday before 除夕
        let deadline = calendar.deadline(from: start, workingDays: 3)
        #expect(deadline.chinaISO8601 == "2027-02-11T23:59:59+08:00")
        #expect(calendar.isProvisional(from: start, to: deadline))
        let hours = calendar.deadline(from: Fixtures.time("2027-02-04T17:00:00"), workingHours: 2)
        #expect(hours.chinaISO8601 == "2027-02-09T10:00:00+08:00")
        // A deadline wholly in an official year is not provisional, one that runs into 2027 is.
        #expect(!calendar.isProvisional(from: Fixtures.time("2026-03-02T10:00:00"), to: Fixtures.time("2026-03-05T10:00:00")))
        #expect(calendar.isProvisional(from: Fixtures.time("2026-12-30T10:00:00"), to: Fixtures.time("2027-01-05T10:00:00")))
    }

    @Test func loadingTheOfficialScheduleEndsTheProvisionalYear() throws {
        var schedule = calendar.schedule
        try schedule.merge(csv: "start,end,kind,name\n2027-02-05,2027-02-12,holiday,春节\n2027-02-20,2027-02-20,workday,春节调休\n")
        let loaded = WorkingCalendar(schedule: schedule, officialYears: calendar.officialYears.union([2027]))
        #expect(!loaded.isProvisional(CivilDay(iso: "2027-02-09")!))
        #expect(!loaded.isWorkingDay(CivilDay(iso: "2027-02-09")!))
        #expect(loaded.isWorkingDay(CivilDay(iso: "2027-02-20")!))
        // The official schedule replaces the statutory guess: 2027-01-01 is not in this (partial) schedule.
        #expect(loaded.isWorkingDay(CivilDay(iso: "2027-01-01")!))
        #expect(loaded.provisionalYearsToWarn(at: Fixtures.time("2027-11-15T09:00:00")) == [2028])
    }

    @Test func warningStartsOnFirstNovemberOfThePrecedingYear() {
        #expect(calendar.provisionalYearsToWarn(at: Fixtures.time("2026-10-31T23:59:59")) == [])
        #expect(calendar.provisionalYearsToWarn(at: Fixtures.time("2026-11-01T00:00:00")) == [2027])
        #expect(calendar.provisionalYearsToWarn(at: Fixtures.time("2027-03-01T09:00:00")) == [2027])
        #expect(calendar.provisionalYearsToWarn(at: Fixtures.time("2027-11-01T09:00:00")) == [2027, 2028])
    }

    @Test func overridesDoNotMakeAYearOfficial() throws {
        var schedule = calendar.schedule
        try schedule.merge(overrides: [try CalendarOverride(start: "2027-03-01", end: "2027-03-01", kind: "holiday", name: "地方节日")])
        let withOverride = WorkingCalendar(schedule: schedule, officialYears: calendar.officialYears)
        #expect(withOverride.isProvisional(CivilDay(iso: "2027-03-01")!))
        #expect(!withOverride.isWorkingDay(CivilDay(iso: "2027-03-01")!))
        #expect(!withOverride.isWorkingDay(CivilDay(iso: "2027-01-01")!))
    }
}

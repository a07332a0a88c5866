import HotlineDomain
import HotlineStorage

/// 工作日历: a year as twelve month grids (weekends, public holidays and make-up working days told apart, the
/// holiday's name as the day's title), the administrators' overrides, and the form to add one.
struct AdminCalendarPage: Sendable {
    struct Day: Sendable {
        var label: String
        /// `blank`, `workday`, `weekend`, `holiday` or `makeup`, plus ` override` when an administrator set it.
        var kind: String
        var title: String
        var blank: Bool
    }

    struct Week: Sendable {
        var days: [Day]
    }

    struct Month: Sendable {
        var name: String
        var weeks: [Week]
    }

    /// A named period of the year: 春节 2025-01-28 至 2025-02-04 放假.
    struct Period: Sendable {
        var name: String
        var range: String
        var kind: String
        var isHoliday: Bool
    }

    struct Override: Sendable {
        var id: String
        var range: String
        var days: String
        var kind: String
        var name: String
        var by: String
        var removeAction: String
    }

    var title = "工作日历"
    var user: PageUser?
    var sections: [AdminSection]
    var notice: String?
    var error: String?
    var year: String
    var previousYear: String
    var nextYear: String
    var months: [Month]
    var periods: [Period]
    var overrides: [Override]
    var start: String
    var end: String
    var name: String
    var kinds: [PageOption]
    /// The shown year has no official schedule: its holidays are the statutory ones only (临时日历).
    var provisional: Bool = false
    /// Years to load a schedule for soon (from 1 November of the preceding year).
    var warnings: [String] = []
    /// The year the load form proposes.
    var scheduleYear: String = ""
    var scheduleCSV: String = ""
    /// Official schedules loaded by administrators, newest year first: "2027年 admin1 2026-11-03 10:00".
    var loadedSchedules: [String] = []


    static func kindOptions(selected: String?) -> [PageOption] {
        PageOption.list(CalendarOverride.Kind.allCases.map { ($0.rawValue, $0.chineseName) }, selected: selected)
    }

    static let weekdayNames = ["一", "二", "三", "四", "五", "六", "日"]

    /// Twelve month grids, Monday first.
    static func months(_ year: Int, _ calendar: WorkingCalendar, overridden: Set<CivilDay>) -> [Month] {
        (1...12).map { month in
            let first = CivilDay(year: year, month: month, day: 1)!
            let next = month == 12 ? CivilDay(year: year + 1, month: 1, day: 1)! : CivilDay(year: year, month: month + 1, day: 1)!
            var cells = Array(repeating: Day(label: "", kind: "blank", title: "", blank: true), count: (first.weekday + 6) % 7)
            for ordinal in first.ordinal..<next.ordinal {
                let day = CivilDay(ordinal: ordinal)
                var kind: String
                var title: String
                if let name = calendar.schedule.makeupWorkdays[day] {
                    kind = "makeup"
                    title = "\(day) \(name.isEmpty ? "调休" : name)（上班）"
                } else if let name = calendar.holidayName(day) {
                    kind = "holiday"
                    title = "\(day) \(name.isEmpty ? "假日" : name)（放假\(calendar.isProvisional(day) ? "，临时" : "")）"
                } else if day.isWeekend {
                    kind = "weekend"
                    title = "\(day) 周末"
                } else {
                    kind = "workday"
                    title = "\(day) 工作日"
                }
                if overridden.contains(day) {
                    kind += " override"
                    title += "，本地调整"
                }
                cells.append(Day(label: String(day.components.day), kind: kind, title: title, blank: false))
            }
            while cells.count % 7 != 0 { cells.append(Day(label: "", kind: "blank", title: "", blank: true)) }
            let weeks = stride(from: 0, to: cells.count, by: 7).map { Week(days: Array(cells[$0..<$0 + 7])) }
            return Month(name: "\(month)月", weeks: weeks)
        }
    }

    /// The year's holidays and make-up working days as named periods of consecutive days, in date order.
    static func periods(_ year: Int, _ schedule: HolidaySchedule) -> [Period] { periods(year, WorkingCalendar(schedule: schedule)) }

    /// The same, with the statutory holidays of a provisional year.
    static func periods(_ year: Int, _ calendar: WorkingCalendar) -> [Period] {
        let schedule = calendar.schedule
        let first = CivilDay(year: year, month: 1, day: 1)!.ordinal
        let last = CivilDay(year: year, month: 12, day: 31)!.ordinal
        var result: [Period] = []
        var current: (name: String, holiday: Bool, from: CivilDay, to: CivilDay)?
        func close() {
            guard let c = current else { return }
            let range = c.from == c.to ? c.from.description : "\(c.from) 至 \(c.to)"
            result.append(
                Period(
                    name: c.name.isEmpty ? (c.holiday ? "假日" : "调休") : c.name, range: range,
                    kind: c.holiday ? "放假" : "调休上班", isHoliday: c.holiday))
            current = nil
        }
        for ordinal in first...last {
            let day = CivilDay(ordinal: ordinal)
            let entry: (String, Bool)? = schedule.makeupWorkdays[day].map { ($0, false) } ?? calendar.holidayName(day).map { ($0, true) }
            if let (name, holiday) = entry, let c = current, c.name == name, c.holiday == holiday, c.to.ordinal + 1 == ordinal {
                current?.to = day
            } else {
                close()
                if let (name, holiday) = entry { current = (name, holiday, day, day) }
            }
        }
        close()
        return result
    }
}

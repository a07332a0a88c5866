import Foundation

/// The official working-day calendar: weekends, public holidays and make-up working days (调休),
/// with the business hours that working-hour limits count.
///
/// A year whose official schedule has not been loaded is *provisional* (临时): its holidays are the statutory ones
/// of ``StatutoryHolidays`` (no make-up working days), and every answer that touches it says so
/// (``isProvisional(_:)``). The schedule and administrators' overrides still win day by day.
public struct WorkingCalendar: Sendable, Equatable {
    public let schedule: HolidaySchedule
    public let hours: BusinessHours
    /// The years whose official schedule (国务院放假安排) is loaded.
    public let officialYears: Set<Int>
    /// The statutory holidays of the provisional years near the official ones, computed once.
    private let provisionalHolidays: [CivilDay: String]
    private let precomputedYears: ClosedRange<Int>

    /// How many years past the last official one get their statutory holidays computed up front; later years
    /// are computed (and cached) on first use.
    static let yearsAhead = 12

    /// - Parameter officialYears: the years with an official schedule; by default every year the schedule
    ///   mentions (pass it explicitly when the schedule also holds overrides, which do not make a year official).
    public init(schedule: HolidaySchedule, hours: BusinessHours = .standard, officialYears: Set<Int>? = nil) {
        self.schedule = schedule
        self.hours = hours
        let official = officialYears ?? schedule.years
        self.officialYears = official
        let last = (official.max() ?? 2025) + Self.yearsAhead
        precomputedYears = min(official.min() ?? 2025, 2025)...last
        var provisional: [CivilDay: String] = [:]
        for year in precomputedYears where !official.contains(year) {
            provisional.merge(StatutoryHolidays.days(year: year)) { a, _ in a }
        }
        provisionalHolidays = provisional
    }

    public func isWorkingDay(_ day: CivilDay) -> Bool {
        if schedule.makeupWorkdays[day] != nil { return true }
        if schedule.holidays[day] != nil { return false }
        if day.isWeekend { return false }
        if provisionalHolidays[day] != nil { return false }
        let year = day.year
        if !precomputedYears.contains(year), !officialYears.contains(year), StatutoryHolidays.days(year: year)[day] != nil { return false }
        return true
    }

    /// The name of the holiday `day` is, official or provisional; nil on a working day or an ordinary weekend.
    public func holidayName(_ day: CivilDay) -> String? {
        if schedule.makeupWorkdays[day] != nil { return nil }
        if let name = schedule.holidays[day] { return name }
        guard !officialYears.contains(day.year) else { return nil }
        return provisionalHolidays[day] ?? (precomputedYears.contains(day.year) ? nil : StatutoryHolidays.days(year: day.year)[day])
    }

    /// Whether `day` lies in a year without an official schedule: what the calendar says of it is provisional.
    public func isProvisional(_ day: CivilDay) -> Bool { !officialYears.contains(day.year) }

    /// Whether any day of `from...to` is provisional.
    public func isProvisional(from: CivilDay, to: CivilDay) -> Bool {
        guard from <= to else { return isProvisional(from) }
        return (from.year...to.year).contains { !officialYears.contains($0) }
    }

    /// Whether a deadline computed from `start` to `deadline` rests on a provisional year.
    public func isProvisional(from start: Date, to deadline: Date) -> Bool {
        isProvisional(from: CivilDay(containing: start), to: CivilDay(containing: max(start, deadline)))
    }

    /// The provisional years an administrator should be warned of at `now` (临时日历提醒): the current year while it
    /// has no official schedule, and from 1 November the next year too, until its schedule is loaded.
    public func provisionalYearsToWarn(at now: Date) -> [Int] {
        let today = CivilDay(containing: now).components
        var years = [today.year]
        if today.month >= 11 { years.append(today.year + 1) }
        return years.filter { !officialYears.contains($0) }
    }

    /// Every working day in `from...to`, in order.
    public func workingDays(from: CivilDay, to: CivilDay) -> [CivilDay] {
        guard from <= to else { return [] }
        return (from.ordinal...to.ordinal).map(CivilDay.init(ordinal:)).filter(isWorkingDay)
    }

    /// The `n`-th working day after `day`. As in Chinese administrative law, the day on which a period
    /// starts is not counted; `n == 0` is the day itself.
    public func workingDay(_ n: Int, after day: CivilDay) -> CivilDay {
        var current = day
        var remaining = n
        while remaining > 0 {
            current = current.adding(days: 1)
            if isWorkingDay(current) { remaining -= 1 }
        }
        return current
    }

    /// The deadline of a period of `n` working days starting at `start`: the last second of the
    /// `n`-th working day after the start's day.
    public func deadline(from start: Date, workingDays n: Int) -> Date {
        let day = workingDay(max(0, n), after: CivilDay(containing: start))
        return day.adding(days: 1).start.addingTimeInterval(-1)
    }

    /// The deadline of a period of `n` working hours starting at `start`: the clock runs only during
    /// business hours on working days, and starts at the next opening when `start` falls outside them.
    public func deadline(from start: Date, workingHours n: Double) -> Date {
        deadline(from: start, workingSeconds: Int((n * 3600).rounded()))
    }

    public func deadline(from start: Date, workingSeconds: Int) -> Date {
        var remaining = max(0, workingSeconds)
        var day = CivilDay(containing: start)
        // A bound far beyond any real limit keeps a misconfigured calendar from looping forever.
        for _ in 0..<3660 {
            if isWorkingDay(day) {
                for period in hours.periods {
                    let open = max(day.at(minutes: period.lowerBound), start)
                    let close = day.at(minutes: period.upperBound)
                    guard open < close else { continue }
                    let available = Int(close.timeIntervalSince(open))
                    if remaining <= available { return open.addingTimeInterval(TimeInterval(remaining)) }
                    remaining -= available
                }
            }
            day = day.adding(days: 1)
        }
        return day.start
    }

    /// Working seconds between two instants (negative when `to` is before `from`): the time left on a
    /// deadline as a unit sees it.
    public func workingSeconds(from: Date, to: Date) -> Int {
        if to < from { return -workingSeconds(from: to, to: from) }
        var total = 0
        var day = CivilDay(containing: from)
        let lastDay = CivilDay(containing: to)
        while day <= lastDay {
            if isWorkingDay(day) {
                for period in hours.periods {
                    let open = max(day.at(minutes: period.lowerBound), from)
                    let close = min(day.at(minutes: period.upperBound), to)
                    if open < close { total += Int(close.timeIntervalSince(open)) }
                }
            }
            day = day.adding(days: 1)
        }
        return total
    }
}

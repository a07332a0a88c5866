import Foundation

/// The official working-day calendar: weekends, public holidays and make-up working days (调休),
/// with the business hours that working-hour limits count.
///
/// Days outside the years the schedule covers fall back to "Monday to Friday".
public struct WorkingCalendar: Sendable, Equatable {
    public let schedule: HolidaySchedule
    public let hours: BusinessHours

    public init(schedule: HolidaySchedule, hours: BusinessHours = .standard) {
        self.schedule = schedule
        self.hours = hours
    }

    public func isWorkingDay(_ day: CivilDay) -> Bool {
        if schedule.makeupWorkdays[day] != nil { return true }
        if schedule.holidays[day] != nil { return false }
        return !day.isWeekend
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

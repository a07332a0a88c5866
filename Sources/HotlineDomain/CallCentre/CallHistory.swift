import Foundation

/// Calls offered per interval of each civil day (China Standard Time), as the switch counts them: the
/// history a forecast learns from.
public struct CallHistory: Sendable, Equatable {
    /// Length of one interval; a day has `1440 / intervalMinutes` of them, the first starting at 00:00.
    public let intervalMinutes: Int
    /// Each recorded day's calls per interval, in time order.
    public private(set) var days: [CivilDay: [Double]]

    public init(intervalMinutes: Int = 30, days: [CivilDay: [Double]] = [:]) {
        precondition(intervalMinutes > 0 && 1440 % intervalMinutes == 0, "an interval must divide the day")
        self.intervalMinutes = intervalMinutes
        self.days = [:]
        for (day, calls) in days { record(day, calls: calls) }
    }

    public var intervalsPerDay: Int { 1440 / intervalMinutes }

    /// Records (or replaces) one day's counts; a day must have one count per interval.
    public mutating func record(_ day: CivilDay, calls: [Double]) {
        precondition(calls.count == intervalsPerDay, "a day has \(intervalsPerDay) intervals of \(intervalMinutes) minutes")
        days[day] = calls
    }

    /// The recorded days, oldest first.
    public var sortedDays: [CivilDay] { days.keys.sorted() }

    /// The history as it was known before `day`.
    public func before(_ day: CivilDay) -> CallHistory {
        var earlier = CallHistory(intervalMinutes: intervalMinutes)
        earlier.days = days.filter { $0.key < day }
        return earlier
    }

    /// A day's total calls, or nil when the day is not recorded.
    public func total(_ day: CivilDay) -> Double? { days[day].map { $0.reduce(0, +) } }
}

/// How a day's calls behave, as far as the forecast tells days apart: an ordinary working day by its weekday
/// (Monday is busiest after the weekend), a make-up working day (调休上班, on a weekend), an ordinary Saturday or
/// Sunday, or a public holiday (法定节假日, weekend days inside a holiday included).
public enum CallDayType: Hashable, Sendable, CustomStringConvertible {
    /// An ordinary working day; `weekday` 1 = Monday … 5 = Friday.
    case workday(weekday: Int)
    case makeupWorkday
    case saturday
    case sunday
    case holiday

    public init(_ day: CivilDay, calendar: WorkingCalendar) {
        let working = calendar.isWorkingDay(day)
        switch (working, day.isWeekend) {
        case (true, false): self = .workday(weekday: day.weekday)
        case (true, true): self = .makeupWorkday
        case (false, false): self = .holiday
        case (false, true):
            if calendar.holidayName(day) != nil { self = .holiday } else { self = day.weekday == 6 ? .saturday : .sunday }
        }
    }

    /// Every type, working days first.
    public static let all: [CallDayType] = (1...5).map { .workday(weekday: $0) } + [.makeupWorkday, .saturday, .sunday, .holiday]

    public var description: String {
        switch self {
        case .workday(let weekday): ["", "周一", "周二", "周三", "周四", "周五"][min(max(weekday, 1), 5)]
        case .makeupWorkday: "调休上班"
        case .saturday: "周六"
        case .sunday: "周日"
        case .holiday: "节假日"
        }
    }
}

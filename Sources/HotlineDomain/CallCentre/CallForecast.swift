import Foundation

/// 话务预测: calls per interval of a coming day from the history, as
///
///     forecast(day, interval) = level(day) × factor(type of day) × share(type of day, interval)
///
/// - **Type of day** (``CallDayType``) comes from the working calendar: an ordinary working day by its weekday,
///   a make-up working day, an ordinary Saturday or Sunday, a public holiday.
/// - **Factor**: how a type's daily total compares with the working days around it — each history day's total
///   divided by the mean total of the ordinary working days within ``Settings/neighbourDays`` either side, averaged
///   per type. Weekday factors are scaled to average 1, so the level is that of an average working day.
///   Holidays and make-up days are rare: with fewer than ``Settings/minimumRareDays`` of them in the history a
///   holiday counts as a Sunday and a make-up day as an average working day.
/// - **Share** (the time-of-day profile): each interval's share of the day's calls, pooled over the type's days of
///   the last ``Settings/profileWeeks`` weeks (holidays: over the whole history, else Sundays'; make-up days: every
///   working day's, as they behave like working days).
/// - **Level with its trend**: a least-squares line through the last ``Settings/trendWeeks`` weeks of ordinary
///   days' totals, each divided by its type's factor, read at the target day.
public struct CallForecaster: Sendable {
    public struct Settings: Sendable, Equatable {
        /// Weeks of history the time-of-day profiles pool.
        public var profileWeeks = 8
        /// Weeks of history the level's line is fitted to.
        public var trendWeeks = 6
        /// Weeks of history the day factors are measured on (holidays: the whole history).
        public var factorWeeks = 26
        /// Days either side whose ordinary working days set a day's local level when measuring factors.
        public var neighbourDays = 14
        /// Fewer holidays (or make-up days) than this in the history and the type borrows another's pattern.
        public var minimumRareDays = 2

        public init() {}
    }

    public let calendar: WorkingCalendar
    public let settings: Settings

    public init(calendar: WorkingCalendar, settings: Settings = Settings()) {
        self.calendar = calendar
        self.settings = settings
    }

    /// The model learned from `history`.
    public func fit(_ history: CallHistory) -> CallForecastModel {
        let days = history.sortedDays
        let types = Dictionary(uniqueKeysWithValues: days.map { ($0, CallDayType($0, calendar: calendar)) })
        let totals = days.reduce(into: [CivilDay: Double]()) { $0[$1] = history.total($1) ?? 0 }
        let last = days.last ?? CivilDay(ordinal: 0)
        let factors = dayFactors(days: days, types: types, totals: totals, last: last)
        let shares = profiles(history: history, days: days, types: types, last: last)
        let line = levelLine(days: days, types: types, totals: totals, factors: factors, last: last)
        return CallForecastModel(
            intervalMinutes: history.intervalMinutes, calendar: calendar, factors: factors, shares: shares, levelAtOrigin: line.level,
            slopePerDay: line.slope, origin: last)
    }

    /// Calls per interval forecast for `day` from everything in `history` before it.
    public func forecast(_ day: CivilDay, from history: CallHistory) -> [Double] {
        fit(history.before(day)).forecast(day)
    }

    private func dayFactors(days: [CivilDay], types: [CivilDay: CallDayType], totals: [CivilDay: Double], last: CivilDay) -> [CallDayType: Double] {
        let workdays = days.filter { if case .workday = types[$0] { true } else { false } }
        var ratios: [CallDayType: [Double]] = [:]
        var start = 0
        var end = 0
        var windowSum = 0.0
        let recent = last.adding(days: -7 * settings.factorWeeks)
        for day in days {
            // Slide the window of working days within ±neighbourDays of `day`.
            while end < workdays.count, workdays[end].ordinal <= day.ordinal + settings.neighbourDays {
                windowSum += totals[workdays[end]] ?? 0
                end += 1
            }
            while start < end, workdays[start].ordinal < day.ordinal - settings.neighbourDays {
                windowSum -= totals[workdays[start]] ?? 0
                start += 1
            }
            guard end > start, windowSum > 0, let type = types[day] else { continue }
            if type != .holiday, type != .makeupWorkday, day < recent { continue }
            ratios[type, default: []].append((totals[day] ?? 0) / (windowSum / Double(end - start)))
        }
        func mean(_ values: [Double]?) -> Double? {
            guard let values, !values.isEmpty else { return nil }
            return values.reduce(0, +) / Double(values.count)
        }
        var factors: [CallDayType: Double] = [:]
        let weekdays = (1...5).map { CallDayType.workday(weekday: $0) }
        let weekdayMeans = weekdays.map { mean(ratios[$0]) }
        let known = weekdayMeans.compactMap { $0 }
        let scale = known.isEmpty ? 1 : known.reduce(0, +) / Double(known.count)
        for (type, value) in zip(weekdays, weekdayMeans) { factors[type] = (value ?? scale) / scale }
        factors[.saturday] = (mean(ratios[.saturday]) ?? scale) / scale
        factors[.sunday] = (mean(ratios[.sunday]) ?? factors[.saturday]! * scale) / scale
        let enoughHolidays = (ratios[.holiday]?.count ?? 0) >= settings.minimumRareDays
        factors[.holiday] = enoughHolidays ? mean(ratios[.holiday])! / scale : factors[.sunday]!
        let enoughMakeup = (ratios[.makeupWorkday]?.count ?? 0) >= settings.minimumRareDays
        factors[.makeupWorkday] = enoughMakeup ? mean(ratios[.makeupWorkday])! / scale : 1
        return factors
    }

    private func profiles(history: CallHistory, days: [CivilDay], types: [CivilDay: CallDayType], last: CivilDay) -> [CallDayType: [Double]] {
        let count = history.intervalsPerDay
        let recent = last.adding(days: -7 * settings.profileWeeks)
        var sums: [CallDayType: [Double]] = [:]
        var dayCounts: [CallDayType: Int] = [:]
        var workdaySum = [Double](repeating: 0, count: count)
        for day in days {
            guard let type = types[day], let calls = history.days[day] else { continue }
            guard type == .holiday || day >= recent else { continue }
            sums[type, default: [Double](repeating: 0, count: count)].add(calls)
            dayCounts[type, default: 0] += 1
            if case .workday = type { workdaySum.add(calls) }
        }
        var shares: [CallDayType: [Double]] = [:]
        for type in CallDayType.all { shares[type] = sums[type].flatMap(\.normalised) }
        let workday = workdaySum.normalised
        for weekday in 1...5 where shares[.workday(weekday: weekday)] == nil { shares[.workday(weekday: weekday)] = workday }
        shares[.makeupWorkday] = workday
        shares[.saturday] = shares[.saturday] ?? shares[.sunday] ?? workday
        shares[.sunday] = shares[.sunday] ?? shares[.saturday] ?? workday
        if (dayCounts[.holiday] ?? 0) < settings.minimumRareDays { shares[.holiday] = shares[.sunday] }
        for type in CallDayType.all where shares[type] == nil { shares[type] = [Double](repeating: 1 / Double(count), count: count) }
        return shares
    }

    private func levelLine(
        days: [CivilDay], types: [CivilDay: CallDayType], totals: [CivilDay: Double], factors: [CallDayType: Double], last: CivilDay
    ) -> (level: Double, slope: Double) {
        let first = last.adding(days: -7 * settings.trendWeeks + 1)
        var points: [(x: Double, y: Double)] = []
        for day in days where day >= first {
            guard let type = types[day], type != .holiday, type != .makeupWorkday, let factor = factors[type], factor > 0 else { continue }
            points.append((Double(day.ordinal - last.ordinal), (totals[day] ?? 0) / factor))
        }
        guard !points.isEmpty else { return (0, 0) }
        let n = Double(points.count)
        let meanX = points.map(\.x).reduce(0, +) / n
        let meanY = points.map(\.y).reduce(0, +) / n
        let sxx = points.map { ($0.x - meanX) * ($0.x - meanX) }.reduce(0, +)
        // Fewer than two weeks of points say too little about a trend.
        guard points.count >= 14, sxx > 0 else { return (meanY, 0) }
        let slope = points.map { ($0.x - meanX) * ($0.y - meanY) }.reduce(0, +) / sxx
        return (meanY - slope * meanX, slope)
    }
}

/// A fitted forecast: the day factors, the time-of-day profiles and the level's line.
public struct CallForecastModel: Sendable, Equatable {
    public let intervalMinutes: Int
    public let calendar: WorkingCalendar
    /// Each type's daily total relative to an average working day.
    public let factors: [CallDayType: Double]
    /// Each type's share of the day's calls per interval (each sums to 1).
    public let shares: [CallDayType: [Double]]
    /// The average working day's total on `origin`, the last day of the history, and its change per day.
    public let levelAtOrigin: Double
    public let slopePerDay: Double
    public let origin: CivilDay

    /// An average working day's calls on `day`, never below 0.
    public func level(on day: CivilDay) -> Double { max(0, levelAtOrigin + slopePerDay * Double(day.ordinal - origin.ordinal)) }

    /// The day's total forecast.
    public func total(_ day: CivilDay) -> Double { level(on: day) * (factors[CallDayType(day, calendar: calendar)] ?? 1) }

    /// Calls per interval forecast for `day`.
    public func forecast(_ day: CivilDay) -> [Double] {
        let type = CallDayType(day, calendar: calendar)
        let total = total(day)
        let shares = shares[type] ?? [Double](repeating: 1 / Double(1440 / intervalMinutes), count: 1440 / intervalMinutes)
        return shares.map { $0 * total }
    }
}

extension [Double] {
    mutating func add(_ other: [Double]) {
        for i in indices { self[i] += other[i] }
    }

    /// The values scaled to sum to 1; nil when they sum to nothing.
    var normalised: [Double]? {
        let sum = reduce(0, +)
        return sum > 0 ? map { $0 / sum } : nil
    }
}

import Foundation

/// How well a forecast would have done: for each of the last weeks of a history, the forecaster learns from
/// everything before that week's first day and forecasts the week's seven days (one to seven days ahead); the
/// forecasts are then set against what happened.
///
/// MAPE (mean absolute percentage error) is taken over the intervals with at least `minimumCalls` calls — a
/// percentage of 2 or 3 night-time calls says nothing — and separately over daily totals. WAPE (the absolute
/// errors summed over the calls summed) weighs each interval by its calls.
public struct ForecastBacktest: Sendable {
    /// One interval of the day, over every held-out day.
    public struct IntervalAccuracy: Sendable, Equatable, Codable {
        /// Minutes after midnight the interval starts.
        public let startMinute: Int
        public let meanActual: Double
        public let meanForecast: Double
        /// MAPE over the held-out days on which this interval had at least `minimumCalls` calls; nil when none had.
        public let mape: Double?
        /// How many held-out days that MAPE is over.
        public let days: Int
    }

    public let intervals: [IntervalAccuracy]
    /// MAPE over every held-out interval with at least `minimumCalls` calls.
    public let intervalMAPE: Double
    /// Σ|actual − forecast| / Σ actual over every held-out interval.
    public let intervalWAPE: Double
    /// MAPE of the daily totals.
    public let dailyMAPE: Double
    public let heldOutDays: Int
    public let minimumCalls: Double

    /// Backtests `forecaster` on the last `weeks` whole weeks (Monday to Sunday) of `history`; with `oracle`, the
    /// expected calls of a simulation, it measures those instead of a forecast (the error no forecast can avoid).
    public init(history: CallHistory, forecaster: CallForecaster, weeks: Int, minimumCalls: Double = 20, oracle: CallHistory? = nil) {
        let days = history.sortedDays
        var actuals: [[Double]] = []
        var forecasts: [[Double]] = []
        if let last = days.last {
            // The last Sunday on or before the history's end closes the last whole week.
            let lastSunday = last.adding(days: -last.weekday)
            let firstMonday = lastSunday.adding(days: -7 * weeks + 1)
            for week in 0..<weeks {
                let monday = firstMonday.adding(days: 7 * week)
                let model = oracle == nil ? forecaster.fit(history.before(monday)) : nil
                for offset in 0..<7 {
                    let day = monday.adding(days: offset)
                    guard let actual = history.days[day] else { continue }
                    actuals.append(actual)
                    forecasts.append(oracle?.days[day] ?? model?.forecast(day) ?? [])
                }
            }
        }
        self.init(actuals: actuals, forecasts: forecasts, intervalMinutes: history.intervalMinutes, minimumCalls: minimumCalls)
    }

    init(actuals: [[Double]], forecasts: [[Double]], intervalMinutes: Int, minimumCalls: Double) {
        let count = 1440 / intervalMinutes
        var perInterval: [IntervalAccuracy] = []
        var allErrors: [Double] = []
        var absolute = 0.0
        var total = 0.0
        for i in 0..<count {
            var errors: [Double] = []
            var actualSum = 0.0
            var forecastSum = 0.0
            for (actual, forecast) in zip(actuals, forecasts) where i < actual.count && i < forecast.count {
                actualSum += actual[i]
                forecastSum += forecast[i]
                absolute += abs(actual[i] - forecast[i])
                total += actual[i]
                if actual[i] >= minimumCalls, actual[i] > 0 { errors.append(abs(actual[i] - forecast[i]) / actual[i]) }
            }
            allErrors += errors
            let n = Double(max(actuals.count, 1))
            perInterval.append(
                IntervalAccuracy(
                    startMinute: i * intervalMinutes, meanActual: actualSum / n, meanForecast: forecastSum / n,
                    mape: errors.isEmpty ? nil : errors.reduce(0, +) / Double(errors.count), days: errors.count))
        }
        let dailyErrors = zip(actuals, forecasts).compactMap { actual, forecast -> Double? in
            let a = actual.reduce(0, +)
            return a > 0 ? abs(a - forecast.reduce(0, +)) / a : nil
        }
        intervals = perInterval
        intervalMAPE = allErrors.isEmpty ? 0 : allErrors.reduce(0, +) / Double(allErrors.count)
        intervalWAPE = total > 0 ? absolute / total : 0
        dailyMAPE = dailyErrors.isEmpty ? 0 : dailyErrors.reduce(0, +) / Double(dailyErrors.count)
        heldOutDays = actuals.count
        self.minimumCalls = minimumCalls
    }
}

import Foundation

/// A made-up but plausible history of a mid-size city's 12345 centre (some 3,000 calls on a working day, 58 seats),
/// for testing and measuring the forecast where no real switch data is at hand.
///
/// Each day's expected total is `meanWorkdayCalls × day factor × growth`, the growth compounding week by week;
/// the day then gets a random "news and weather" factor (log-normal, `dayNoise`), and each interval its calls
/// drawn from a Poisson distribution around the day's time-of-day profile: morning and afternoon peaks on
/// working days with a dip at lunch, flatter and later on weekends and holidays, a trickle at night.
/// The same seed gives the same history.
public struct SimulatedCallHistory: Sendable {
    /// An average working day's calls on the first simulated day.
    public var meanWorkdayCalls = 2600.0
    /// Monday to Friday relative to an average working day (Monday highest after the weekend).
    public var weekdayFactors = [1.16, 1.03, 1.0, 0.97, 0.84]
    public var saturdayFactor = 0.52
    public var sundayFactor = 0.46
    public var holidayFactor = 0.36
    /// A make-up working day (调休上班) as an average working day.
    public var makeupWorkdayFactor = 1.0
    /// Growth per week, compounded (0.002 is about 11% a year).
    public var weeklyGrowth = 0.002
    /// Standard deviation of the day's log-normal factor.
    public var dayNoise = 0.05
    public var intervalMinutes = 30

    public init() {}

    /// What was simulated: the counts, and the expected calls (before the day's noise and the Poisson draw),
    /// which are what a perfect forecast would say.
    public struct Result: Sendable {
        public let history: CallHistory
        public let expected: CallHistory
    }

    /// Simulates every day of `from...to`.
    public func generate(from: CivilDay, to: CivilDay, calendar: WorkingCalendar, using random: inout some RandomNumberGenerator) -> Result {
        var history = CallHistory(intervalMinutes: intervalMinutes)
        var expected = CallHistory(intervalMinutes: intervalMinutes)
        guard from <= to else { return Result(history: history, expected: expected) }
        for ordinal in from.ordinal...to.ordinal {
            let day = CivilDay(ordinal: ordinal)
            let type = CallDayType(day, calendar: calendar)
            let growth = pow(1 + weeklyGrowth, Double(ordinal - from.ordinal) / 7)
            let mean = meanWorkdayCalls * factor(type) * growth
            let shares = Self.profile(type, intervals: 1440 / intervalMinutes)
            let noise = exp(dayNoise * Self.standardNormal(using: &random) - dayNoise * dayNoise / 2)
            expected.record(day, calls: shares.map { $0 * mean })
            history.record(day, calls: shares.map { Double(Self.poisson($0 * mean * noise, using: &random)) })
        }
        return Result(history: history, expected: expected)
    }

    func factor(_ type: CallDayType) -> Double {
        switch type {
        case .workday(let weekday): weekdayFactors[min(max(weekday, 1), 5) - 1]
        case .makeupWorkday: makeupWorkdayFactor
        case .saturday: saturdayFactor
        case .sunday: sundayFactor
        case .holiday: holidayFactor
        }
    }

    /// The day's calls by interval as shares summing to 1: bell curves around the peaks over a night-time floor.
    static func profile(_ type: CallDayType, intervals: Int) -> [Double] {
        func bell(_ hour: Double, _ centre: Double, _ width: Double) -> Double { exp(-0.5 * pow((hour - centre) / width, 2)) }
        let working: Bool
        switch type {
        case .workday, .makeupWorkday: working = true
        case .saturday, .sunday, .holiday: working = false
        }
        let weights = (0..<intervals).map { i -> Double in
            let hour = (Double(i) + 0.5) * 24 / Double(intervals)
            let value =
                working
                ? 0.02 + bell(hour, 10.2, 1.3) + 0.85 * bell(hour, 15.2, 1.4) + 0.3 * bell(hour, 19.5, 1.6) - 0.12 * bell(hour, 12.5, 0.45)
                : 0.02 + 0.8 * bell(hour, 10.5, 1.4) + 0.7 * bell(hour, 15.5, 1.6) + 0.35 * bell(hour, 19.5, 1.8)
            return max(value, 0.005)
        }
        let sum = weights.reduce(0, +)
        return weights.map { $0 / sum }
    }

    /// A Poisson draw: the sum of draws of at most 30 each (a sum of Poisson counts is Poisson), each by
    /// Knuth's product of uniforms, so large means stay exact and fast.
    static func poisson(_ mean: Double, using random: inout some RandomNumberGenerator) -> Int {
        var remaining = mean
        var count = 0
        while remaining > 0 {
            let part = min(remaining, 30)
            remaining -= part
            let limit = exp(-part)
            var product = Double.random(in: 0..<1, using: &random)
            while product > limit {
                count += 1
                product *= Double.random(in: 0..<1, using: &random)
            }
        }
        return count
    }

    /// A standard normal draw (Box–Muller).
    static func standardNormal(using random: inout some RandomNumberGenerator) -> Double {
        let u = 1 - Double.random(in: 0..<1, using: &random)
        let v = Double.random(in: 0..<1, using: &random)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}

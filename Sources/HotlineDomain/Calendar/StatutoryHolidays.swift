import Foundation

/// The public holidays that 《全国年节及纪念日放假办法》 (2024 revision) fixes for every year, computed from the
/// Gregorian calendar, the Chinese lunisolar calendar and the solar terms: the *provisional* schedule (临时日历) of a
/// year for which the State Council's schedule (国务院放假安排) has not been loaded yet.
///
/// Only the statutory days themselves are holidays. Neither the make-up working days (调休上班) nor the weekdays
/// given in exchange for a holiday that falls on a weekend (补假) can be known before the State Council announces
/// them, so none are guessed: a provisional year may count a day as working that the official schedule later makes
/// a holiday, and deadlines computed on it are marked provisional until the schedule is loaded.
public enum StatutoryHolidays {
    /// One holiday of the year: its name and the days it covers.
    public struct Holiday: Sendable, Equatable {
        public var name: String
        public var days: [CivilDay]
    }

    /// The statutory holidays of `year`, in calendar order: 元旦 1 day, 春节 4 days (除夕 to the 3rd day of the 1st
    /// lunar month), 清明节 1 (the day of the Qingming solar term), 劳动节 2, 端午节 1, 中秋节 1, 国庆节 3.
    public static func holidays(year: Int) -> [Holiday] {
        func range(_ first: CivilDay, _ count: Int) -> [CivilDay] { (0..<count).map { first.adding(days: $0) } }
        var result: [Holiday] = []
        result.append(Holiday(name: "元旦", days: [CivilDay(year: year, month: 1, day: 1)!]))
        if let newYear = LunarCalendar.gregorianDay(lunarMonth: 1, day: 1, inGregorianYear: year) {
            result.append(Holiday(name: "春节", days: range(newYear.adding(days: -1), 4)))
        }
        result.append(Holiday(name: "清明节", days: [SolarTerms.qingming(year: year)]))
        result.append(Holiday(name: "劳动节", days: range(CivilDay(year: year, month: 5, day: 1)!, 2)))
        if let duanwu = LunarCalendar.gregorianDay(lunarMonth: 5, day: 5, inGregorianYear: year) {
            result.append(Holiday(name: "端午节", days: [duanwu]))
        }
        if let midAutumn = LunarCalendar.gregorianDay(lunarMonth: 8, day: 15, inGregorianYear: year) {
            result.append(Holiday(name: "中秋节", days: [midAutumn]))
        }
        result.append(Holiday(name: "国庆节", days: range(CivilDay(year: year, month: 10, day: 1)!, 3)))
        return result
    }

    /// The provisional schedule of `year` in the schedule's data format (holidays only, no make-up working days).
    public static func csv(year: Int) -> String {
        holidays(year: year).map { h in "\(h.days.first!),\(h.days.last!),holiday,\(h.name)" }.joined(separator: "\n")
    }

    private static let cache = Cache()

    /// Every statutory holiday of `year` by day (cached: the lunisolar search is not free).
    public static func days(year: Int) -> [CivilDay: String] {
        if let known = cache.get(year) { return known }
        var days: [CivilDay: String] = [:]
        // Two holidays can share a day (中秋 on 国庆's third day in 2028): the day carries both names.
        for holiday in holidays(year: year) {
            for day in holiday.days { days[day] = days[day].map { $0 + "、" + holiday.name } ?? holiday.name }
        }
        cache.set(year, days)
        return days
    }

    private final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var years: [Int: [CivilDay: String]] = [:]
        func get(_ year: Int) -> [CivilDay: String]? { lock.lock(); defer { lock.unlock() }; return years[year] }
        func set(_ year: Int, _ days: [CivilDay: String]) { lock.lock(); defer { lock.unlock() }; years[year] = days }
    }
}

/// Lunar dates (农历) through Foundation's Chinese calendar (ICU's astronomical implementation), always read in
/// China Standard Time.
public enum LunarCalendar {
    /// The Gregorian day in `year` that is `day` of the (non-leap) lunar month `lunarMonth`, nil if none is.
    /// Each festival falls in a narrow window of Gregorian days, so a short scan is enough and exact.
    public static func gregorianDay(lunarMonth: Int, day: Int, inGregorianYear year: Int) -> CivilDay? {
        // Windows wide enough for every year: 正月初一 Jan 21–Feb 20, 五月初五 May 28–Jun 25, 八月十五 Sep 7–Oct 8.
        let window: (month: Int, day: Int, length: Int) =
            switch lunarMonth {
            case 1: (1, 15, 45)
            case 5: (5, 20, 45)
            case 8: (9, 1, 45)
            default: (1, 1, 366)
            }
        guard let first = CivilDay(year: year, month: window.month, day: window.day) else { return nil }
        var calendar = Calendar(identifier: .chinese)
        calendar.timeZone = TimeZone(secondsFromGMT: CivilDay.chinaOffsetSeconds)!
        for offset in 0..<window.length {
            let candidate = first.adding(days: offset)
            guard candidate.year == year else { break }
            // Noon China time: safely inside the day whatever the lunar month's start instant.
            let parts = calendar.dateComponents([.month, .day, .isLeapMonth], from: candidate.at(minutes: 12 * 60))
            if parts.month == lunarMonth, parts.day == day, parts.isLeapMonth != true { return candidate }
        }
        return nil
    }
}

/// The solar terms (节气) that the holidays need, from the Sun's apparent longitude (Meeus, *Astronomical
/// Algorithms*, ch. 25, low accuracy: about 0.01°, a quarter of an hour).
public enum SolarTerms {
    /// The day (China Standard Time) of 清明, when the Sun's apparent longitude reaches 15°.
    public static func qingming(year: Int) -> CivilDay {
        CivilDay(containing: instant(longitude: 15, near: CivilDay(year: year, month: 4, day: 5)!))
    }

    /// The instant near `day` at which the Sun's apparent longitude is `longitude` degrees.
    public static func instant(longitude target: Double, near day: CivilDay) -> Date {
        // Julian Day (UT) of the day's noon in China.
        var jd = Double(day.ordinal) + 2_440_587.5 + 4.0 / 24.0
        for _ in 0..<20 {
            var difference = (target - apparentLongitude(julianDay: jd)).truncatingRemainder(dividingBy: 360)
            if difference > 180 { difference -= 360 }
            if difference < -180 { difference += 360 }
            let step = difference / 0.985_647
            jd += step
            if abs(step) < 1e-6 { break }
        }
        return Date(timeIntervalSince1970: (jd - 2_440_587.5) * 86_400)
    }

    /// The Sun's apparent geocentric longitude in degrees at a Julian Day (Universal Time; ΔT of about a minute
    /// is below this formula's accuracy and ignored).
    static func apparentLongitude(julianDay jd: Double) -> Double {
        let t = (jd - 2_451_545.0) / 36_525
        let radians = Double.pi / 180
        let l0 = 280.466_46 + 36_000.769_83 * t + 0.000_303_2 * t * t
        let m = (357.529_11 + 35_999.050_29 * t - 0.000_153_7 * t * t) * radians
        let c = (1.914_602 - 0.004_817 * t - 0.000_014 * t * t) * sin(m) + (0.019_993 - 0.000_101 * t) * sin(2 * m)
            + 0.000_289 * sin(3 * m)
        let omega = (125.04 - 1_934.136 * t) * radians
        let lambda = l0 + c - 0.005_69 - 0.004_78 * sin(omega)
        let reduced = lambda.truncatingRemainder(dividingBy: 360)
        return reduced < 0 ? reduced + 360 : reduced
    }
}

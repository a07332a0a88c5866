/// The hours of a working day during which working-hour time limits run, in minutes after midnight
/// China Standard Time. The default is 09:00-12:00 and 13:00-18:00: eight working hours a day.
public struct BusinessHours: Sendable, Equatable {
    /// Non-overlapping, ascending periods of `[start, end)` minutes.
    public let periods: [Range<Int>]

    public static let standard = BusinessHours(uncheckedPeriods: [540..<720, 780..<1080])

    init(uncheckedPeriods: [Range<Int>]) { periods = uncheckedPeriods }

    /// Parses `HH:MM-HH:MM[,HH:MM-HH:MM...]`.
    public init?(_ text: String) {
        var result: [Range<Int>] = []
        for part in text.split(separator: ",") {
            let ends = part.split(separator: "-")
            guard ends.count == 2, let from = Self.minutes(ends[0]), let to = Self.minutes(ends[1]), from < to,
                result.last.map({ $0.upperBound <= from }) ?? true
            else { return nil }
            result.append(from..<to)
        }
        guard !result.isEmpty else { return nil }
        periods = result
    }

    public var minutesPerDay: Int { periods.reduce(0) { $0 + $1.count } }

    public var description: String {
        periods.map { "\(Self.format($0.lowerBound))-\(Self.format($0.upperBound))" }.joined(separator: ",")
    }

    private static func minutes(_ text: Substring) -> Int? {
        let hm = text.split(separator: ":")
        guard hm.count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (0...24).contains(h), (0..<60).contains(m),
            h * 60 + m <= 1440
        else { return nil }
        return h * 60 + m
    }

    private static func format(_ minutes: Int) -> String {
        let h = minutes / 60
        let m = minutes % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }
}

import Foundation

/// The official public holidays and make-up working days (调休) of one or more years,
/// as the State Council announces them.
///
/// Parsed from a small CSV format so that a new year is a new data file, not new code:
///
///     # comment
///     start,end,kind,name
///     2025-01-28,2025-02-04,holiday,春节
///     2025-01-26,2025-01-26,workday,春节调休
public struct HolidaySchedule: Sendable, Equatable {
    public private(set) var holidays: [CivilDay: String] = [:]
    public private(set) var makeupWorkdays: [CivilDay: String] = [:]
    public private(set) var years: Set<Int> = []

    public init() {}

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case badLine(number: Int, text: String)

        public var description: String {
            switch self {
            case .badLine(let number, let text): "line \(number): cannot read \"\(text)\""
            }
        }
    }

    /// Parses one data file and merges it into the schedule. Later files override earlier ones day by day.
    public mutating func merge(csv text: String) throws(ParseError) {
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("start,") { continue }
            let fields = line.split(separator: ",", maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count >= 3,
                let first = CivilDay(iso: fields[0].trimmingCharacters(in: .whitespaces)),
                let last = CivilDay(iso: fields[1].trimmingCharacters(in: .whitespaces)),
                first <= last, last.ordinal - first.ordinal < 31
            else { throw .badLine(number: index + 1, text: line) }
            let name = fields.count > 3 ? fields[3].trimmingCharacters(in: .whitespaces) : ""
            let kind = fields[2].trimmingCharacters(in: .whitespaces)
            for ordinal in first.ordinal...last.ordinal {
                let day = CivilDay(ordinal: ordinal)
                years.insert(day.year)
                switch kind {
                case "holiday":
                    holidays[day] = name
                    makeupWorkdays[day] = nil
                case "workday":
                    makeupWorkdays[day] = name
                    holidays[day] = nil
                default:
                    throw .badLine(number: index + 1, text: line)
                }
            }
        }
    }
}


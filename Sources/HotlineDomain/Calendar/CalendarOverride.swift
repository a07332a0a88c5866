import Foundation

/// An administrator's correction of the working-day calendar (工作日历调整): a range of days made public
/// holidays or working days, merged on top of the bundled schedule (later overrides win, day by day).
public struct CalendarOverride: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// 放假: no working day, even on a weekday.
        case holiday
        /// 调休上班: a working day, even on a weekend.
        case workday

        public var chineseName: String {
            switch self {
            case .holiday: "放假"
            case .workday: "调休上班"
            }
        }
    }

    /// Why a requested override is refused.
    public enum Problem: Error, Equatable, Sendable {
        case badStart, badEnd, endBeforeStart, tooLong, badKind, badName
    }

    /// The longest range one override may cover, in days (as the schedule's data files allow).
    public static let maximumDays = 31
    public static let maximumNameLength = 50

    public var first: CivilDay
    public var last: CivilDay
    public var kind: Kind
    public var name: String

    public init(first: CivilDay, last: CivilDay, kind: Kind, name: String) throws(Problem) {
        guard first <= last else { throw .endBeforeStart }
        guard last.ordinal - first.ordinal < Self.maximumDays else { throw .tooLong }
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        // The name becomes a field of a schedule line: one line, bounded.
        guard trimmed.count <= Self.maximumNameLength, !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .badName
        }
        self.first = first
        self.last = last
        self.kind = kind
        self.name = trimmed
    }

    /// Reads a form's texts: ISO days, a kind and a name.
    public init(start: String, end: String, kind: String, name: String) throws(Problem) {
        guard let first = CivilDay(iso: start.trimmingCharacters(in: .whitespaces)) else { throw .badStart }
        guard let last = CivilDay(iso: end.trimmingCharacters(in: .whitespaces)) else { throw .badEnd }
        guard let kind = Kind(rawValue: kind) else { throw .badKind }
        try self.init(first: first, last: last, kind: kind, name: name)
    }

    /// The number of days covered.
    public var days: Int { last.ordinal - first.ordinal + 1 }

    /// The override as a line of the schedule's data format.
    var scheduleLine: String { "\(first),\(last),\(kind.rawValue),\(name)" }
}

extension HolidaySchedule {
    /// Merges overrides in order, each on top of what came before.
    public mutating func merge(overrides: [CalendarOverride]) throws(ParseError) {
        guard !overrides.isEmpty else { return }
        try merge(csv: overrides.map(\.scheduleLine).joined(separator: "\n"))
    }
}

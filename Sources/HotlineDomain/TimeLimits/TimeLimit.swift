import Foundation

/// A time limit (时限) as the regulations state them: in working days, working hours or clock hours.
public enum TimeLimit: Sendable, Equatable, Codable, CustomStringConvertible {
    case workingDays(Int)
    case workingHours(Int)
    case clockHours(Int)

    public func deadline(from start: Date, calendar: WorkingCalendar) -> Date {
        switch self {
        case .workingDays(let n): calendar.deadline(from: start, workingDays: n)
        case .workingHours(let n): calendar.deadline(from: start, workingHours: Double(n))
        case .clockHours(let n): start.addingTimeInterval(TimeInterval(n * 3600))
        }
    }

    /// `3d` working days, `2h` working hours, `24ch` clock hours.
    public var description: String {
        switch self {
        case .workingDays(let n): "\(n)d"
        case .workingHours(let n): "\(n)h"
        case .clockHours(let n): "\(n)ch"
        }
    }

    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("ch"), let n = Int(t.dropLast(2)), n >= 0 {
            self = .clockHours(n)
        } else if t.hasSuffix("h"), let n = Int(t.dropLast()), n >= 0 {
            self = .workingHours(n)
        } else if t.hasSuffix("d"), let n = Int(t.dropLast()), n >= 0 {
            self = .workingDays(n)
        } else {
            return nil
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let limit = TimeLimit(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected e.g. 3d, 2h or 24ch"))
        }
        self = limit
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// The stage of the loop a time limit governs.
public enum TimeLimitStage: String, Sendable, Codable, CaseIterable {
    /// From intake to dispatch (派单时限).
    case dispatch
    /// From dispatch to signing (签收时限).
    case sign
    /// From dispatch to the unit's reply (办理时限).
    case handling
    /// From dispatch, the window in which a unit may return the order (退单时限).
    case returnWindow = "return_window"
}

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
    /// From the unit's reply to the centre's review (审核时限): 待审核.
    case review
    /// From the reply passing review to the callback (回访时限): 待回访.
    case callback

    /// The stage's name as staff say it.
    public var chineseName: String {
        switch self {
        case .dispatch: "派单"
        case .sign: "签收"
        case .handling: "办理"
        case .returnWindow: "退单窗口"
        case .review: "审核"
        case .callback: "回访"
        }
    }
}

/// The unit a time limit is counted in, as the administration picker offers it.
public enum TimeLimitUnit: String, Sendable, CaseIterable {
    case workingDays = "working_days"
    case workingHours = "working_hours"
    case clockHours = "clock_hours"

    public var chineseName: String {
        switch self {
        case .workingDays: "工作日"
        case .workingHours: "工作小时"
        case .clockHours: "自然小时"
        }
    }
}

extension TimeLimit {
    /// Largest count the picker accepts for each unit: a year of working days, or of hours.
    public static func maximum(_ unit: TimeLimitUnit) -> Int {
        switch unit {
        case .workingDays: 250
        case .workingHours: 2000
        case .clockHours: 8760
        }
    }

    /// A limit from the picker's number and unit; nil when the number is out of range (1 up to ``maximum(_:)``).
    public init?(count: Int, unit: TimeLimitUnit) {
        guard (1...Self.maximum(unit)).contains(count) else { return nil }
        switch unit {
        case .workingDays: self = .workingDays(count)
        case .workingHours: self = .workingHours(count)
        case .clockHours: self = .clockHours(count)
        }
    }

    public var count: Int {
        switch self {
        case .workingDays(let n), .workingHours(let n), .clockHours(let n): n
        }
    }

    public var unit: TimeLimitUnit {
        switch self {
        case .workingDays: .workingDays
        case .workingHours: .workingHours
        case .clockHours: .clockHours
        }
    }

    /// How people read it: `3 个工作日`, `4 个工作小时`, `24 个自然小时`.
    public var chineseText: String {
        switch self {
        case .workingDays(let n): "\(n) 个工作日"
        case .workingHours(let n): "\(n) 个工作小时"
        case .clockHours(let n): "\(n) 个自然小时"
        }
    }
}

import Foundation

/// A phone number the centre restricts for a period (限制呼入): the regulations let a supervisor restrict a
/// caller who repeatedly occupies the line without reason or harasses staff. Intake shows the restriction;
/// it ends by itself at `endsAt`, or earlier when lifted.
public struct CallerRestriction: Sendable, Equatable, Codable {
    public var id: Int64
    public var phone: String
    public var reason: String
    public var startsAt: Date
    public var endsAt: Date
    public var createdBy: String
    public var liftedAt: Date?
    public var liftedBy: String?
    public var liftNote: String?

    public init(id: Int64, phone: String, reason: String, startsAt: Date, endsAt: Date, createdBy: String,
                liftedAt: Date? = nil, liftedBy: String? = nil, liftNote: String? = nil) {
        self.id = id
        self.phone = phone
        self.reason = reason
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.createdBy = createdBy
        self.liftedAt = liftedAt
        self.liftedBy = liftedBy
        self.liftNote = liftNote
    }

    public func isActive(at now: Date) -> Bool { liftedAt == nil && startsAt <= now && now < endsAt }

    /// Longest restriction a supervisor may impose at once.
    public static let maximumDays = 180
    /// How long a restriction lasts when no end is given.
    public static let defaultDays = 30

    /// When a restriction that runs through `day` (China time, inclusive) ends: the start of the next day. Nil when that
    /// is not after `now` or lies more than ``maximumDays`` days ahead.
    public static func end(through day: CivilDay, from now: Date) -> Date? {
        let end = day.adding(days: 1).start
        guard end > now, end <= CivilDay(containing: now).adding(days: maximumDays + 1).start else { return nil }
        return end
    }

    /// Checks a new restriction's input; returns the cleaned phone and reason or a Chinese message.
    public static func validate(phone: String, reason: String, days: Int) -> Result<(phone: String, reason: String), RestrictionInputError> {
        guard let cleanPhone = Caller.normalisedPhone(phone) else { return .failure(.init(field: "phone", message: "电话号码格式不正确")) }
        let cleanReason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !cleanReason.isEmpty, cleanReason.count <= 500 else { return .failure(.init(field: "reason", message: "须填写限制原因（不超过500字）")) }
        guard (1...maximumDays).contains(days) else { return .failure(.init(field: "days", message: "限制天数应在1到\(maximumDays)之间")) }
        return .success((cleanPhone, cleanReason))
    }
}

public struct RestrictionInputError: Error, Equatable, Sendable {
    public var field: String
    public var message: String
}

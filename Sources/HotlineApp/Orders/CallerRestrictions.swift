import Foundation
import HotlineDomain
import HotlineStorage

/// Caller restrictions (限制呼入): a supervisor restricts a number that abuses the line, for a period with a reason;
/// intake shows it; it ends by itself or is lifted early. Each change is an audit line in its own transaction.
public struct CallerRestrictions: Sendable {
    let store: CallerRestrictionStore

    init(store: CallerRestrictionStore) { self.store = store }

    /// A new restriction: `{phone, reason, days ≤ 180}` or `{phone, reason, ends_on: "YYYY-MM-DD"}` (restricted through
    /// that day); with neither, ``CallerRestriction/defaultDays`` days.
    public struct NewRestriction: Decodable, Sendable {
        public var phone: String
        public var reason: String
        public var days: Int?
        public var endsOn: String?

        public init(phone: String, reason: String, days: Int? = nil, endsOn: String? = nil) {
            self.phone = phone
            self.reason = reason
            self.days = days
            self.endsOn = endsOn
        }
    }

    /// Restrictions of one number (agents on the line), or all of them (supervisors and admins); numbers other than
    /// the one asked about are masked for roles that may not reveal contact data.
    public func list(phone: String?, onlyActive: Bool, for user: UserAccount, at now: Date) async throws -> [(restriction: CallerRestriction, active: Bool)] {
        guard Capability.viewRestrictions.isAllowed(for: user.role) else { throw AppError.lacks(.viewRestrictions, role: user.role) }
        if let phone, phone.count > 20 { throw AppError.invalid(field: "phone", message: "电话号码格式不正确") }
        if phone == nil, ![Role.supervisor, .admin].contains(user.role) { throw AppError.lacks(.restrictCallers, role: user.role) }
        let showFull = phone != nil || Capability.revealContact.isAllowed(for: user.role)
        return try await store.list(phone: phone, activeAt: onlyActive ? now : nil).map { r in
            var shown = r
            if !showFull { shown.phone = ContactPrivacy.maskPhone(r.phone) }
            return (shown, r.isActive(at: now))
        }
    }

    /// 限制呼入: restricts a number with a reason, for `days` days or through the day `ends_on`.
    public func restrict(_ input: NewRestriction, by user: UserAccount, client: String, at now: Date) async throws -> CallerRestriction {
        guard Capability.restrictCallers.isAllowed(for: user.role) else { throw AppError.lacks(.restrictCallers, role: user.role) }
        let endsOn = input.endsOn.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) }
        let days = endsOn == nil ? input.days ?? CallerRestriction.defaultDays : 1
        let (phone, reason): (String, String)
        switch CallerRestriction.validate(phone: input.phone, reason: input.reason, days: days) {
        case .success(let clean): (phone, reason) = clean
        case .failure(let e): throw AppError.invalid(field: e.field, message: e.message)
        }
        var until = now.addingTimeInterval(Double(days) * 86_400)
        if let endsOn {
            guard let day = CivilDay(iso: endsOn) else { throw AppError.invalid(field: "ends_on", message: "应为有效日期，格式 YYYY-MM-DD") }
            guard let end = CallerRestriction.end(through: day, from: now) else {
                throw AppError.invalid(field: "ends_on", message: "应在今天到\(CallerRestriction.maximumDays)天之内")
            }
            until = end
        }
        return try await store.restrict(
            phone: phone, reason: reason, until: until, by: user.actor, at: now,
            audit: AuditEntry(at: now, actor: user.actor, action: .callerRestricted,
                              detail: "phone=\(ContactPrivacy.maskPhone(phone)) until=\(until.chinaISO8601) reason=\(reason)", client: client))
    }

    /// Ends a restriction early; the reason is required (`note`).
    public func lift(_ id: Int64, note: String?, by user: UserAccount, client: String, at now: Date) async throws -> CallerRestriction {
        guard Capability.restrictCallers.isAllowed(for: user.role) else { throw AppError.lacks(.restrictCallers, role: user.role) }
        guard let clean = try AdminText.optional(note, field: "note", limit: 500) else {
            throw AppError.invalid(field: "note", message: "须填写解除原因")
        }
        guard let lifted = try await store.lift(
            id, by: user.actor, at: now, note: clean,
            audit: AuditEntry(at: now, actor: user.actor, action: .restrictionLifted, target: "restriction:\(id)", detail: clean, client: client))
        else { throw AppError.notFound(what: "生效中的限制记录 \(id) ") }
        return lifted
    }
}

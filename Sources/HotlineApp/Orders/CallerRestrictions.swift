import Foundation
import HotlineDomain
import HotlineStorage

/// Caller restrictions (限制呼入): a supervisor restricts a number that abuses the line, for a period with a reason;
/// intake shows it; it ends by itself or is lifted early. Each change is an audit line in its own transaction.
public struct CallerRestrictions: Sendable {
    let store: CallerRestrictionStore

    init(store: CallerRestrictionStore) { self.store = store }

    /// A new restriction: `{phone, reason, days ≤ 180}`.
    public struct NewRestriction: Decodable, Sendable {
        public var phone: String
        public var reason: String
        public var days: Int
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

    /// 限制呼入: restricts a number for `days` days with a reason.
    public func restrict(_ input: NewRestriction, by user: UserAccount, client: String, at now: Date) async throws -> CallerRestriction {
        guard Capability.restrictCallers.isAllowed(for: user.role) else { throw AppError.lacks(.restrictCallers, role: user.role) }
        let (phone, reason): (String, String)
        switch CallerRestriction.validate(phone: input.phone, reason: input.reason, days: input.days) {
        case .success(let clean): (phone, reason) = clean
        case .failure(let e): throw AppError.invalid(field: e.field, message: e.message)
        }
        return try await store.restrict(
            phone: phone, reason: reason, days: input.days, by: user.actor, at: now,
            audit: AuditEntry(at: now, actor: user.actor, action: .callerRestricted,
                              detail: "phone=\(ContactPrivacy.maskPhone(phone)) days=\(input.days) reason=\(reason)", client: client))
    }

    /// Ends a restriction early, with an optional note.
    public func lift(_ id: Int64, note: String?, by user: UserAccount, client: String, at now: Date) async throws -> CallerRestriction {
        guard Capability.restrictCallers.isAllowed(for: user.role) else { throw AppError.lacks(.restrictCallers, role: user.role) }
        let clean = try AdminText.optional(note, field: "note", limit: 500)
        guard let lifted = try await store.lift(
            id, by: user.actor, at: now, note: clean,
            audit: AuditEntry(at: now, actor: user.actor, action: .restrictionLifted, target: "restriction:\(id)", detail: clean ?? "", client: client))
        else { throw AppError.notFound(what: "生效中的限制记录 \(id) ") }
        return lifted
    }
}

/// How callers' personal data is shown (个人信息保护): masked everywhere by default; revealed in full only
/// by an explicit, logged action of a role that needs it; hidden from handling units when the caller
/// asked for confidentiality (保密).
public enum ContactPrivacy {
    /// 13812345678 → 138****5678; 7–10 digits keep two at each end; shorter numbers are starred out entirely.
    public static func maskPhone(_ phone: String) -> String {
        let chars = Array(phone)
        guard chars.count >= 7 else { return String(repeating: "*", count: chars.count) }
        let (head, tail) = chars.count >= 11 ? (3, 4) : (2, 2)
        return String(chars.prefix(head)) + String(repeating: "*", count: chars.count - head - tail) + String(chars.suffix(tail))
    }

    /// 330102199001011234 → 330102********1234 (keeps the region code and the last four).
    public static func maskIDNumber(_ id: String) -> String {
        let chars = Array(id)
        guard chars.count >= 10 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(6)) + String(repeating: "*", count: chars.count - 10) + String(chars.suffix(4))
    }

    /// 张三丰 → 张**; enterprises keep their name.
    public static func maskName(_ name: String, type: CallerType) -> String {
        guard type == .individual, let first = name.first, name.count > 1 else { return name }
        return String(first) + String(repeating: "*", count: name.count - 1)
    }

    /// What stands in for a confidential caller's identity before handling units.
    public static let confidentialPlaceholder = "（保密）"

    /// Whether the caller's identity is withheld from `actor` altogether: a confidential caller seen by a unit.
    public static func hidesIdentity(of caller: Caller, from actor: Actor) -> Bool {
        caller.confidential && actor.role.isUnitRole
    }

    /// The caller as `actor` may see them without revealing: phone and ID masked; a confidential caller's
    /// name, phone and ID withheld from handling units.
    public static func view(of caller: Caller, for actor: Actor) -> Caller {
        var shown = caller
        if hidesIdentity(of: caller, from: actor) {
            shown.name = confidentialPlaceholder
            shown.phone = confidentialPlaceholder
            shown.idNumber = caller.idNumber == nil ? nil : confidentialPlaceholder
            return shown
        }
        shown.phone = maskPhone(caller.phone)
        shown.idNumber = caller.idNumber.map(maskIDNumber)
        return shown
    }

    /// Which of the caller's fields can be revealed.
    public enum Field: String, Sendable, Codable, CaseIterable {
        case phone
        case idNumber = "id_number"
    }

    public enum RevealRefusal: Error, Equatable, Sendable {
        /// The role has no need for full contact data.
        case roleHasNoNeed
        /// The caller asked for confidentiality and the actor is a handling unit.
        case confidential
        /// The order holds no such value.
        case nothingToReveal
    }

    /// The full value of `field`, if `actor` may reveal it. The caller of this function logs the reveal.
    public static func reveal(_ field: Field, of caller: Caller, to actor: Actor) -> Result<String, RevealRefusal> {
        guard Capability.revealContact.isAllowed(for: actor.role) else { return .failure(.roleHasNoNeed) }
        guard !hidesIdentity(of: caller, from: actor) else { return .failure(.confidential) }
        switch field {
        case .phone: return .success(caller.phone)
        case .idNumber: return caller.idNumber.map { .success($0) } ?? .failure(.nothingToReveal)
        }
    }
}

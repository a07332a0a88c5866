import Foundation
import HotlineDomain
import HotlineStorage

/// Bodies and views of the administration API.
enum AdminBody {
    /// POST /units; PATCH /units/{id} takes the same fields, all optional.
    struct Unit: Decodable {
        var id: String?
        var name: String?
        var kind: UnitKind?
        /// JSON null detaches the unit from its parent.
        var parentId: String??
        var district: String?
        var contactName: String?
        var contactPhone: String?

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decodeIfPresent(String.self, forKey: .id)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            kind = try c.decodeIfPresent(UnitKind.self, forKey: .kind)
            parentId = c.contains(.parentId) ? .some(try c.decodeIfPresent(String.self, forKey: .parentId)) : nil
            district = try c.decodeIfPresent(String.self, forKey: .district)
            contactName = try c.decodeIfPresent(String.self, forKey: .contactName)
            contactPhone = try c.decodeIfPresent(String.self, forKey: .contactPhone)
        }

        /// The console's unit forms.
        init(id: String? = nil, name: String?, kind: UnitKind?, parentId: String??, district: String?, contactName: String?, contactPhone: String?) {
            self.id = id
            self.name = name
            self.kind = kind
            self.parentId = parentId
            self.district = district
            self.contactName = contactName
            self.contactPhone = contactPhone
        }

        enum CodingKeys: String, CodingKey { case id, name, kind, parentId, district, contactName, contactPhone }
    }

    /// POST /users.
    struct NewUser: Decodable {
        var id: String
        var displayName: String
        var role: Role
        var unitId: String?
        var password: String
    }

    /// PATCH /users/{id}: any of these.
    struct UserPatch: Decodable {
        var displayName: String?
        var role: Role?
        var unitId: String?
        var active: Bool?
        var password: String?
        var unlock: Bool?
    }

    /// POST /api-keys.
    struct NewAPIKey: Decodable {
        var userId: String
        var label: String
        var scopes: [TokenScope]
        var days: Int
    }

    struct IssuedAPIKey: Encodable {
        var id: String
        var token: String
        var expiresAt: Date
        var scopes: [TokenScope]
    }

    struct UserView: Encodable {
        var id: String
        var displayName: String
        var role: Role
        var roleName: String
        var unitId: String?
        var active: Bool
        var lockedUntil: Date?
        var failedLogins: Int

        init(_ r: UserRecord) {
            id = r.account.id
            displayName = r.account.displayName
            role = r.account.role
            roleName = r.account.role.chineseName
            unitId = r.account.unitID
            active = r.active
            lockedUntil = r.lockedUntil
            failedLogins = r.failedLogins
        }
    }
}

/// Checks on identifiers and short texts the administration API shares.
enum AdminText {
    /// Login ids and unit ids: 2–40 of a-z, 0-9, `-`, `_`, `.`.
    static func identifier(_ value: String, field: String) throws -> String {
        let ok = (2...40).contains(value.count) && value.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || "-_.".contains($0) }
        guard ok else { throw APIError.invalid(field, "应为2到40位小写字母、数字或 - _ .") }
        return value
    }

    static func name(_ value: String, field: String, limit: Int = 100) throws -> String {
        let v = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !v.isEmpty, v.count <= limit else { throw APIError.invalid(field, "不能为空且不能超过\(limit)字") }
        return v
    }

    static func optional(_ value: String?, field: String, limit: Int = 100) throws -> String? {
        guard let value, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return try name(value, field: field, limit: limit)
    }
}

import Foundation
import HotlineDomain
import HummingbirdBcrypt
import SQLKit

/// A user as administrators see them: with state the login desk keeps.
public struct UserRecord: Sendable, Equatable, Codable {
    public var account: UserAccount
    public var active: Bool
    public var lockedUntil: Date?
    public var failedLogins: Int
}

/// What an administrator changes about a user; nil leaves a field as it is.
public struct UserChange: Sendable, Equatable {
    public var displayName: String?
    public var role: Role?
    /// Set to `.some(nil)` to detach the user from any unit.
    public var unitID: UnitID??
    public var active: Bool?
    public var passwordHash: String?
    public var unlock: Bool

    public init(displayName: String? = nil, role: Role? = nil, unitID: UnitID?? = nil, active: Bool? = nil, passwordHash: String? = nil,
                unlock: Bool = false) {
        self.displayName = displayName
        self.role = role
        self.unitID = unitID
        self.active = active
        self.passwordHash = passwordHash
        self.unlock = unlock
    }
}

extension DirectoryStore {
    /// Adds one unit with its audit line.
    public func createUnit(_ u: HandlingUnit, audit: AuditEntry) async throws {
        try await database.transaction { db in
            try await db.run(Statement(
                "INSERT INTO units (id, name, kind, parent_id, district, contact_name, contact_phone, leader_review) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [u.id, u.name, u.kind.rawValue, bindable(u.parentID), bindable(u.district), bindable(u.contactName), bindable(u.contactPhone),
                 u.leaderReview ? 1 : 0]))
            try await AuditLog.append(audit, in: db)
        }
    }

    /// Replaces a unit's editable fields (name, kind, parent, district, contact, leader review) with its audit line.
    public func updateUnit(_ u: HandlingUnit, audit: AuditEntry) async throws {
        try await database.transaction { db in
            try await db.run(Statement(
                "UPDATE units SET name = ?, kind = ?, parent_id = ?, district = ?, contact_name = ?, contact_phone = ?, leader_review = ? WHERE id = ?",
                [u.name, u.kind.rawValue, bindable(u.parentID), bindable(u.district), bindable(u.contactName), bindable(u.contactPhone),
                 u.leaderReview ? 1 : 0, u.id]))
            try await AuditLog.append(audit, in: db)
        }
    }

    /// Every user, active or not, with lock state.
    public func userRecords() async throws -> [UserRecord] {
        try await database.read { db in
            try await db.rows(Statement("SELECT \(Self.recordColumns) FROM users ORDER BY id")).map(Self.record)
        }
    }

    public func userRecord(_ id: String) async throws -> UserRecord? {
        try await database.read { db in
            try await db.firstRow(Statement(
                "SELECT \(Self.recordColumns) FROM users WHERE id = ?", [id])).map(Self.record)
        }
    }

    /// A user's columns with the lock state of their login name: the latest lock and the most attempts from any client.
    static let recordColumns = """
        id, display_name, role, unit_id, active,
        (SELECT MAX(t.locked_until) FROM login_throttle t WHERE t.login_name = users.id) AS locked_until,
        (SELECT COALESCE(MAX(t.attempts), 0) FROM login_throttle t WHERE t.login_name = users.id) AS failed_logins
        """

    static func record(_ row: any SQLRow) throws -> UserRecord {
        UserRecord(
            account: try user(row), active: try row.decode(column: "active", as: Int.self) != 0,
            lockedUntil: try row.decode(column: "locked_until", as: Int64?.self).map { Date(timeIntervalSince1970: Double($0)) },
            failedLogins: try row.decode(column: "failed_logins", as: Int.self))
    }

    /// Adds a user with a bcrypt password hash and its audit line.
    public func createUser(_ u: UserAccount, passwordHash: String, audit: AuditEntry) async throws {
        try await database.transaction { db in
            try await db.run(Statement(
                "INSERT INTO users (id, display_name, role, unit_id, password_hash) VALUES (?, ?, ?, ?, ?)",
                [u.id, u.displayName, u.role.rawValue, bindable(u.unitID), passwordHash]))
            try await AuditLog.append(audit, in: db)
        }
    }

    /// Changes a user. Deactivating a user or setting a password revokes every token they hold.
    public func updateUser(_ id: String, _ change: UserChange, at now: Date, audit: AuditEntry) async throws {
        try await database.transaction { db in
            var sets: [String] = []
            var binds: [any Encodable & Sendable] = []
            if let name = change.displayName { sets.append("display_name = ?"); binds.append(name) }
            if let role = change.role { sets.append("role = ?"); binds.append(role.rawValue) }
            if let unit = change.unitID { sets.append("unit_id = ?"); binds.append(bindable(unit)) }
            if let active = change.active { sets.append("active = ?"); binds.append(active ? 1 : 0) }
            if let hash = change.passwordHash { sets.append("password_hash = ?"); binds.append(hash) }
            if !sets.isEmpty {
                try await db.run(Statement("UPDATE users SET \(sets.joined(separator: ", ")) WHERE id = ?", binds + [id]))
            }
            if change.unlock || change.passwordHash != nil {
                try await db.run(Statement("DELETE FROM login_throttle WHERE login_name = ?", [AccountStore.loginKey(id)]))
            }
            if change.active == false || change.passwordHash != nil {
                try await db.run(Statement(
                    "UPDATE access_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", [Int64(now.timeIntervalSince1970), id]))
            }
            try await AuditLog.append(audit, in: db)
        }
    }

    /// A bcrypt hash of `password`, for user creation and resets.
    public static func passwordHash(_ password: String, cost: UInt8) -> String { Bcrypt.hash(password, cost: cost) }
}

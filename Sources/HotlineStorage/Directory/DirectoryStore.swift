import Foundation
import HotlineDomain
import SQLKit

/// A unit of the unit tree (单位) with its contact.
public struct HandlingUnit: Sendable, Equatable, Codable {
    public var id: UnitID
    public var name: String
    public var kind: UnitKind
    public var parentID: UnitID?
    public var district: String?
    public var contactName: String?
    public var contactPhone: String?
    /// 单位领导审核: the unit's staff's replies wait for one of its admins before they reach the centre.
    public var leaderReview: Bool

    public init(
        id: UnitID, name: String, kind: UnitKind, parentID: UnitID?, district: String? = nil, contactName: String? = nil, contactPhone: String? = nil,
        leaderReview: Bool = false
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.parentID = parentID
        self.district = district
        self.contactName = contactName
        self.contactPhone = contactPhone
        self.leaderReview = leaderReview
    }
}

/// A person who signs in to the platform.
public struct UserAccount: Sendable, Equatable, Codable {
    public var id: String
    public var displayName: String
    public var role: Role
    public var unitID: UnitID?

    public init(id: String, displayName: String, role: Role, unitID: UnitID?) {
        self.id = id
        self.displayName = displayName
        self.role = role
        self.unitID = unitID
    }

    public var actor: Actor { Actor(userID: id, role: role, unit: unitID) }
}

/// Units, users, categories and time limits: the reference data the loop runs on.
public struct DirectoryStore: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    public func units() async throws -> [HandlingUnit] {
        try await database.read { db in
            try await db.rows(Statement("SELECT id, name, kind, parent_id, district, contact_name, contact_phone, leader_review FROM units ORDER BY id")).map { row in
                guard let kind = UnitKind(rawValue: try row.decode(column: "kind", as: String.self)) else { throw DatabaseError.corrupt("units.kind") }
                return HandlingUnit(
                    id: try row.decode(column: "id", as: String.self), name: try row.decode(column: "name", as: String.self), kind: kind,
                    parentID: try row.decode(column: "parent_id", as: String?.self), district: try row.decode(column: "district", as: String?.self),
                    contactName: try row.decode(column: "contact_name", as: String?.self),
                    contactPhone: try row.decode(column: "contact_phone", as: String?.self),
                    leaderReview: try row.decode(column: "leader_review", as: Int.self) != 0)
            }
        }
    }

    /// Adds units, parents before children.
    public func addUnits(_ units: [HandlingUnit]) async throws {
        try await database.transaction { db in
            for u in units {
                try await db.run(Statement(
                    "INSERT INTO units (id, name, kind, parent_id, district, contact_name, contact_phone, leader_review) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [u.id, u.name, u.kind.rawValue, bindable(u.parentID), bindable(u.district), bindable(u.contactName), bindable(u.contactPhone),
                     u.leaderReview ? 1 : 0]))
            }
        }
    }

    /// The display names of these users (deactivated ones too: the record keeps who acted).
    public func displayNames(of ids: Set<String>) async throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        let list = Array(ids)
        return try await database.read { db in
            let rows = try await db.rows(Statement(
                "SELECT id, display_name FROM users WHERE id IN (" + Array(repeating: "?", count: list.count).joined(separator: ", ") + ")", list))
            var names: [String: String] = [:]
            for row in rows { names[try row.decode(column: "id", as: String.self)] = try row.decode(column: "display_name", as: String.self) }
            return names
        }
    }

    public func users() async throws -> [UserAccount] {
        try await database.read { db in
            try await db.rows(Statement("SELECT id, display_name, role, unit_id FROM users WHERE active = 1 ORDER BY id")).map(Self.user)
        }
    }

    public func user(_ id: String) async throws -> UserAccount? {
        try await database.read { db in
            try await db.firstRow(Statement("SELECT id, display_name, role, unit_id FROM users WHERE id = ? AND active = 1", [id])).map(Self.user)
        }
    }

    static func user(_ row: any SQLRow) throws -> UserAccount {
        guard let role = Role(rawValue: try row.decode(column: "role", as: String.self)) else { throw DatabaseError.corrupt("users.role") }
        return UserAccount(
            id: try row.decode(column: "id", as: String.self), displayName: try row.decode(column: "display_name", as: String.self),
            role: role, unitID: try row.decode(column: "unit_id", as: String?.self))
    }

    public func addUsers(_ users: [UserAccount]) async throws {
        try await database.transaction { db in
            for u in users {
                try await db.run(Statement(
                    "INSERT INTO users (id, display_name, role, unit_id) VALUES (?, ?, ?, ?)", [u.id, u.displayName, u.role.rawValue, bindable(u.unitID)]))
            }
        }
    }

    public func categories() async throws -> [CategoryNode] {
        try await database.read { db in
            try await db.rows(Statement("SELECT code, name, parent_code, level, retired FROM categories ORDER BY code")).map {
                CategoryNode(code: try $0.decode(column: "code", as: String.self), name: try $0.decode(column: "name", as: String.self),
                             parentCode: try $0.decode(column: "parent_code", as: String?.self), level: try $0.decode(column: "level", as: Int.self),
                             retired: try $0.decode(column: "retired", as: Int.self) != 0)
            }
        }
    }

    /// Adds the nodes of a category tree that are not stored yet.
    public func addCategories(_ tree: CategoryTree) async throws {
        try await database.transaction { db in
            let known = Set(try await db.rows(Statement("SELECT code FROM categories")).map { try $0.decode(column: "code", as: String.self) })
            for node in tree.nodes where !known.contains(node.code) {
                try await db.run(Statement(
                    "INSERT INTO categories (code, name, parent_code, level) VALUES (?, ?, ?, ?)",
                    [node.code, node.name, bindable(node.parentCode), node.level]))
            }
        }
    }

    /// Adds one category with its audit line.
    public func createCategory(_ node: CategoryNode, audit: AuditEntry) async throws {
        try await database.transaction { db in
            try await db.run(Statement(
                "INSERT INTO categories (code, name, parent_code, level, retired) VALUES (?, ?, ?, ?, ?)",
                [node.code, node.name, bindable(node.parentCode), node.level, node.retired ? 1 : 0]))
            try await AuditLog.append(audit, in: db)
        }
    }

    /// Stores changed categories (name, parent, level, retired) with their audit line, in one transaction. Codes never
    /// change, so no stored order is touched.
    public func updateCategories(_ nodes: [CategoryNode], audit: AuditEntry) async throws {
        try await database.transaction { db in
            for node in nodes {
                try await db.run(Statement(
                    "UPDATE categories SET name = ?, parent_code = ?, level = ?, retired = ? WHERE code = ?",
                    [node.name, bindable(node.parentCode), node.level, node.retired ? 1 : 0, node.code]))
            }
            try await AuditLog.append(audit, in: db)
        }
    }

    public func timeLimits() async throws -> TimeLimitPolicy {
        let rules = try await database.read { db in
            try await db.rows(Statement("SELECT stage, kind, category_code, lane, time_limit FROM time_limits ORDER BY position")).map { row in
                let stageText = try row.decode(column: "stage", as: String.self)
                let limitText = try row.decode(column: "time_limit", as: String.self)
                guard let stage = TimeLimitStage(rawValue: stageText), let limit = TimeLimit(limitText) else {
                    throw DatabaseError.corrupt("time_limits \(stageText) \(limitText)")
                }
                return TimeLimitRule(
                    stage: stage, kind: try row.decode(column: "kind", as: String?.self).flatMap(RequestKind.init(rawValue:)),
                    categoryCode: try row.decode(column: "category_code", as: String?.self),
                    lane: try row.decode(column: "lane", as: String?.self).flatMap(Lane.init(rawValue:)), limit: limit)
            }
        }
        return rules.isEmpty ? .defaults : TimeLimitPolicy(rules: rules)
    }

    /// Replaces the time-limit rules as a whole.
    public func replaceTimeLimits(_ policy: TimeLimitPolicy, audit: AuditEntry? = nil) async throws {
        try await database.transaction { db in
            if let audit { try await AuditLog.append(audit, in: db) }
            try await db.run("DELETE FROM time_limits")
            for (position, rule) in policy.rules.enumerated() {
                try await db.run(Statement(
                    "INSERT INTO time_limits (position, stage, kind, category_code, lane, time_limit) VALUES (?, ?, ?, ?, ?, ?)",
                    [position, rule.stage.rawValue, bindable(rule.kind?.rawValue), bindable(rule.categoryCode), bindable(rule.lane?.rawValue),
                     rule.limit.description]))
            }
        }
    }
}

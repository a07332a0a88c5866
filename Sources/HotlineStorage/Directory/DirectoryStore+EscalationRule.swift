import Foundation
import HotlineDomain

extension DirectoryStore {
    static let escalationRuleSetting = "escalation_rule"

    /// The escalation rule (提级规则), stored as JSON in `platform_settings`; the default when never set.
    public func escalationRule() async throws -> EscalationRule {
        try await database.read { db in
            guard let row = try await db.firstRow(Statement("SELECT value FROM platform_settings WHERE name = ?", [Self.escalationRuleSetting])) else {
                return .default
            }
            guard let rule = try? JSONDecoder().decode(EscalationRule.self, from: Data(try row.decode(column: "value", as: String.self).utf8)) else {
                throw DatabaseError.corrupt("platform_settings.\(Self.escalationRuleSetting)")
            }
            return rule
        }
    }

    /// Stores the escalation rule with its audit line, in one transaction (the settings trigger bumps the reference
    /// version, so every instance reloads it).
    public func setEscalationRule(_ rule: EscalationRule, audit entry: AuditEntry) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let value = String(decoding: try encoder.encode(rule), as: UTF8.self)
        try await database.transaction { db in
            try await db.run(Statement(
                "INSERT INTO platform_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                [Self.escalationRuleSetting, value]))
            try await AuditLog.append(entry, in: db)
        }
    }
}

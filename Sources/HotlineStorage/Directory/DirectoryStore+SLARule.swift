import Foundation
import HotlineDomain

extension DirectoryStore {
    static let slaRuleSetting = "sla_rule"

    /// The SLA sweeper's rule (时限预警与亮牌规则), stored as JSON in `platform_settings`; the default when never set.
    public func slaRule() async throws -> SLARule {
        try await database.read { db in
            guard let row = try await db.firstRow(Statement("SELECT value FROM platform_settings WHERE name = ?", [Self.slaRuleSetting])) else {
                return .default
            }
            return try JSONDecoder().decode(SLARule.self, from: Data(try row.decode(column: "value", as: String.self).utf8))
        }
    }

    /// Stores the SLA rule with its audit line, in one transaction.
    public func setSLARule(_ rule: SLARule, audit entry: AuditEntry) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let value = String(decoding: try encoder.encode(rule), as: UTF8.self)
        try await database.transaction { db in
            try await db.run(Statement(
                "INSERT INTO platform_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                [Self.slaRuleSetting, value]))
            try await AuditLog.append(entry, in: db)
        }
    }
}

import Foundation
import HotlineDomain

extension DirectoryStore {
    /// How many changes the reference data has seen (`reference_version`, counted by triggers in each change's own
    /// transaction); an instance whose snapshot is older reloads it.
    public func referenceVersion() async throws -> Int64 {
        try await database.read { db in
            guard let row = try await db.firstRow(Statement("SELECT version FROM reference_version WHERE id = 1")) else {
                throw DatabaseError.corrupt("reference_version")
            }
            return try row.decode(column: "version", as: Int64.self)
        }
    }

    /// The callback rule as JSON (回访规则); fields it lacks take their defaults.
    static let callbackRuleSetting = "callback_rule"
    /// The rule as stored before it had more than its automatic redos: the shortfalls, comma-joined.
    static let legacyCallbackRuleSetting = "callback_auto_redo"

    /// The callback rule; the default when never set. A rule stored only in the old form keeps its automatic redos.
    public func callbackRule() async throws -> CallbackRule {
        try await database.read { db in
            if let row = try await db.firstRow(Statement("SELECT value FROM platform_settings WHERE name = ?", [Self.callbackRuleSetting])) {
                let value = try row.decode(column: "value", as: String.self)
                guard let rule = try? JSONDecoder().decode(CallbackRule.self, from: Data(value.utf8)) else {
                    throw DatabaseError.corrupt("platform_settings.\(Self.callbackRuleSetting)")
                }
                return rule
            }
            guard let row = try await db.firstRow(Statement("SELECT value FROM platform_settings WHERE name = ?", [Self.legacyCallbackRuleSetting])) else {
                return .default
            }
            let value = try row.decode(column: "value", as: String.self)
            return CallbackRule(autoRedo: Set(value.split(separator: ",").compactMap { CallbackShortfall(rawValue: String($0)) }))
        }
    }

    /// Stores the callback rule with its audit line, in one transaction (the old form too, for a build that reads only it).
    public func setCallbackRule(_ rule: CallbackRule, audit entry: AuditEntry) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(rule), as: UTF8.self)
        let legacy = rule.autoRedo.sorted().map(\.rawValue).joined(separator: ",")
        try await database.transaction { db in
            for (name, value) in [(Self.callbackRuleSetting, json), (Self.legacyCallbackRuleSetting, legacy)] {
                try await db.run(Statement(
                    "INSERT INTO platform_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    [name, value]))
            }
            try await AuditLog.append(entry, in: db)
        }
    }

    static let returnReasonsSetting = "return_reasons"

    /// The return-reason list (退单原因); the default when never set.
    public func returnReasons() async throws -> ReturnReasonList {
        try await database.read { db in
            guard let row = try await db.firstRow(Statement("SELECT value FROM platform_settings WHERE name = ?", [Self.returnReasonsSetting])) else {
                return .default
            }
            let value = try row.decode(column: "value", as: String.self)
            guard let list = try? JSONDecoder().decode(ReturnReasonList.self, from: Data(value.utf8)) else {
                throw DatabaseError.corrupt(Self.returnReasonsSetting)
            }
            return list
        }
    }

    /// Stores the return-reason list with its audit line, in one transaction.
    public func setReturnReasons(_ list: ReturnReasonList, audit entry: AuditEntry) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let value = String(decoding: try encoder.encode(list), as: UTF8.self)
        try await database.transaction { db in
            try await db.run(Statement(
                "INSERT INTO platform_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                [Self.returnReasonsSetting, value]))
            try await AuditLog.append(entry, in: db)
        }
    }
}

extension DirectoryStore {
    static let replyRulesSetting = "reply_review_rules"

    /// The reply review rules (答复审核规则): the stored set, rules never stored taking their defaults. A stored
    /// rule or parameter the code no longer knows is ignored.
    public func replyRules() async throws -> ReplyReviewRules {
        try await database.read { db in
            guard let row = try await db.firstRow(Statement("SELECT value FROM platform_settings WHERE name = ?", [Self.replyRulesSetting])) else {
                return .default
            }
            let value = try row.decode(column: "value", as: String.self)
            guard let stored = try? JSONDecoder().decode([StoredReplyRule].self, from: Data(value.utf8)) else {
                throw DatabaseError.corrupt("platform_settings.\(Self.replyRulesSetting)")
            }
            return ReplyReviewRules(stored.compactMap { s in
                guard let id = ReplyRuleID(rawValue: s.id), let severity = ReplyRuleSeverity(rawValue: s.severity) else { return nil }
                let known = Set(id.parameters.map(\.name))
                return ReplyRule(id: id, enabled: s.enabled, severity: severity, parameters: s.parameters.filter { known.contains($0.key) })
            })
        }
    }

    /// Stores the whole rule set with its audit line, in one transaction (the settings trigger bumps the reference
    /// version, so every instance reloads it).
    public func setReplyRules(_ rules: ReplyReviewRules, audit entry: AuditEntry) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let value = String(decoding: try encoder.encode(rules.rules.map {
            StoredReplyRule(id: $0.id.rawValue, enabled: $0.enabled, severity: $0.severity.rawValue, parameters: $0.parameters)
        }), as: UTF8.self)
        try await database.transaction { db in
            try await db.run(Statement(
                "INSERT INTO platform_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                [Self.replyRulesSetting, value]))
            try await AuditLog.append(entry, in: db)
        }
    }

    private struct StoredReplyRule: Codable {
        var id: String
        var enabled: Bool
        var severity: String
        var parameters: [String: String]
    }
}

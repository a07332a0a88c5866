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

    static let callbackRuleSetting = "callback_auto_redo"

    /// Which callbacks redo the order by themselves; the default when never set.
    public func callbackRule() async throws -> CallbackRule {
        try await database.read { db in
            guard let row = try await db.firstRow(Statement("SELECT value FROM platform_settings WHERE name = ?", [Self.callbackRuleSetting])) else {
                return .default
            }
            let value = try row.decode(column: "value", as: String.self)
            return CallbackRule(autoRedo: Set(value.split(separator: ",").compactMap { CallbackShortfall(rawValue: String($0)) }))
        }
    }

    /// Stores the callback rule with its audit line, in one transaction.
    public func setCallbackRule(_ rule: CallbackRule, audit entry: AuditEntry) async throws {
        let value = rule.autoRedo.sorted().map(\.rawValue).joined(separator: ",")
        try await database.transaction { db in
            try await db.run(Statement(
                "INSERT INTO platform_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                [Self.callbackRuleSetting, value]))
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

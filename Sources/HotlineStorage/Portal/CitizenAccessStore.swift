import Crypto
import Foundation
import HotlineDomain
import SQLKit

/// The citizen's proof of a phone number on the portal (手机验证): one-time codes (验证码) and the sessions they open.
/// Every decision that several requests could race for — whether a code may be sent now, whether a try matches, whether
/// a code is used once — is one statement, so it holds across requests and instances alike.
public struct CitizenAccessStore: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    /// How codes are handed out and checked.
    public struct CodePolicy: Sendable, Equatable {
        /// How long a code is good for.
        public var lifetime: TimeInterval = 300
        /// The least time between two codes to one phone.
        public var resendAfter: TimeInterval = 60
        /// Codes one phone may get in an hour.
        public var perHour = 5
        /// Wrong tries a code survives; the next try is refused even with the right code.
        public var attempts = 5

        public init() {}
    }

    public enum IssueResult: Sendable, Equatable {
        case issued
        /// A code was sent less than `resendAfter` ago; the wait in seconds.
        case tooSoon(wait: Int)
        /// The hour's budget is spent.
        case tooMany
    }

    /// The stored digest of `code` for `phone`: the code never sits in the database as itself.
    public static func digest(phone: String, code: String) -> String {
        SHA256.hash(data: Data("\(phone)|\(code)".utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Records `code` as `phone`'s current code if the phone's budget allows one now, and queues `message` (the SMS that
    /// carries the code) with it, so a code exists exactly when its message does. On PostgreSQL both are one statement
    /// in autocommit: a burst of requests for one phone waits for the phone's row inside the server, one statement at a
    /// time, and none holds a pooled connection across round trips while the others queue behind its row lock (twenty
    /// such requests would otherwise keep every connection of the pool busy waiting on each other). SQLite writes one
    /// transaction at a time anyway.
    public func issue(
        code: String, to phone: String, at now: Date, policy: CodePolicy = CodePolicy(), message: OutboundMessage? = nil
    ) async throws -> IssueResult {
        let ms = now.epochMilliseconds
        let windowOpen = ms - 3_600_000
        let resendBefore = ms - Int64(policy.resendAfter * 1000)
        let upsert = """
            INSERT INTO citizen_codes (phone, code_hash, expires_ms, attempts, sent_count, window_start_ms, last_sent_ms)
            VALUES (?, ?, ?, 0, 1, ?, ?)
            ON CONFLICT (phone) DO UPDATE SET code_hash = excluded.code_hash, expires_ms = excluded.expires_ms, attempts = 0,
                sent_count = CASE WHEN citizen_codes.window_start_ms <= ? THEN 1 ELSE citizen_codes.sent_count + 1 END,
                window_start_ms = CASE WHEN citizen_codes.window_start_ms <= ? THEN excluded.window_start_ms ELSE citizen_codes.window_start_ms END,
                last_sent_ms = excluded.last_sent_ms
            WHERE citizen_codes.last_sent_ms <= ? AND (citizen_codes.window_start_ms <= ? OR citizen_codes.sent_count < ?)
            RETURNING phone
            """
        let binds: [any Encodable & Sendable] = [
            phone, Self.digest(phone: phone, code: code), ms + Int64(policy.lifetime * 1000), ms, ms,
            windowOpen, windowOpen, resendBefore, windowOpen, policy.perHour,
        ]
        let issued: Bool
        switch database.kind {
        case .postgres:
            var sql = "WITH issued AS (\n" + upsert + "\n)"
            var all = binds
            if let message {
                sql += ", queued AS (INSERT INTO channel_outbox \(ChannelOutboxStore.messageColumns) "
                    + "SELECT \(ChannelOutboxStore.messageRow) FROM issued ON CONFLICT DO NOTHING)"
                all += ChannelOutboxStore.messageBinds(message, at: now)
            }
            sql += " SELECT phone FROM issued"
            let statement = Statement(sql, all)
            issued = try await database.autocommit { db in try await db.firstRow(statement) } != nil
        case .sqlite:
            issued = try await database.transaction { db in
                let issued = try await db.firstRow(Statement(upsert, binds)) != nil
                if issued, let message { try await ChannelOutboxStore.enqueue([message], at: now, in: db) }
                return issued
            }
        }
        if issued { return .issued }
        let row = try await database.read { db in try await db.firstRow(Statement("SELECT last_sent_ms FROM citizen_codes WHERE phone = ?", [phone])) }
        let last = try row?.decode(column: "last_sent_ms", as: Int64.self) ?? 0
        if last > resendBefore { return .tooSoon(wait: max(1, Int((last - resendBefore + 999) / 1000))) }
        return .tooMany
    }

    /// Whether `code` is `phone`'s current code: a match uses the code up; a miss counts against it. One statement
    /// decides (every right-hand side reads the row as it was), so the same code cannot open two sessions.
    public func redeem(code: String, for phone: String, at now: Date, policy: CodePolicy = CodePolicy()) async throws -> Bool {
        let digest = Self.digest(phone: phone, code: code)
        let row = try await database.autocommit { db in
            try await db.firstRow(Statement(
                """
                UPDATE citizen_codes
                SET expires_ms = CASE WHEN code_hash = ? AND attempts < ? THEN 0 ELSE expires_ms END,
                    attempts = CASE WHEN code_hash = ? AND attempts < ? THEN attempts ELSE attempts + 1 END
                WHERE phone = ? AND expires_ms > ?
                RETURNING expires_ms
                """,
                [digest, policy.attempts, digest, policy.attempts, phone, now.epochMilliseconds]))
        }
        return try row?.decode(column: "expires_ms", as: Int64.self) == 0
    }

    /// The digest a session token is stored under.
    static func tokenDigest(_ token: String) -> String { SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined() }

    /// Opens a session for a verified phone and returns its token (for the cookie).
    public func openSession(for phone: String, at now: Date, lifetime: TimeInterval) async throws -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        let token = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let ms = now.epochMilliseconds
        try await database.transaction { db in
            // Expired sessions go as new ones come, a few at a time.
            try await db.run(Statement(
                "DELETE FROM citizen_sessions WHERE token_hash IN (SELECT token_hash FROM citizen_sessions WHERE expires_ms <= ? LIMIT 100)", [ms]))
            try await db.run(Statement(
                "INSERT INTO citizen_sessions (token_hash, phone, created_ms, expires_ms) VALUES (?, ?, ?, ?)",
                [Self.tokenDigest(token), phone, ms, ms + Int64(lifetime * 1000)]))
        }
        return token
    }

    /// The phone a live session token proves, or nil.
    public func phone(ofSession token: String, at now: Date) async throws -> String? {
        try await database.read { db in
            try await db.firstRow(Statement(
                "SELECT phone FROM citizen_sessions WHERE token_hash = ? AND expires_ms > ?", [Self.tokenDigest(token), now.epochMilliseconds]))
                .map { try $0.decode(column: "phone", as: String.self) }
        }
    }

    /// Ends a session (退出).
    public func closeSession(_ token: String) async throws {
        try await database.transaction { db in
            try await db.run(Statement("DELETE FROM citizen_sessions WHERE token_hash = ?", [Self.tokenDigest(token)]))
        }
    }

    /// Whether the city takes anonymous requests on the portal (匿名反映).
    public func anonymousAllowed() async throws -> Bool {
        try await database.read { db in
            try await db.firstRow(Statement("SELECT value FROM platform_settings WHERE name = 'portal_anonymous'", []))
                .map { try $0.decode(column: "value", as: String.self) == "allowed" } ?? false
        }
    }

    /// Sets whether the city takes anonymous requests, with its audit line (when given) in the same transaction.
    public func setAnonymousAllowed(_ allowed: Bool, audit entry: AuditEntry? = nil) async throws {
        try await database.transaction { db in
            try await db.run(Statement(
                "INSERT INTO platform_settings (name, value) VALUES ('portal_anonymous', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                [allowed ? "allowed" : "refused"]))
            if let entry { try await AuditLog.append(entry, in: db) }
        }
    }
}

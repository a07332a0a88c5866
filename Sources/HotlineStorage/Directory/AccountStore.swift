import Crypto
import Foundation
import HotlineDomain
import HummingbirdBcrypt
import SQLKit

/// Passwords (bcrypt), lockout and access tokens. Tokens are stored only as SHA-256 hashes.
public struct AccountStore: Sendable {
    let database: HotlineDatabase
    /// bcrypt cost for new hashes; verification uses the cost stored in each hash.
    let cost: UInt8
    /// Checks a password against a stored hash (bcrypt); tests count the calls.
    let verifyPassword: @Sendable (_ password: String, _ hash: String) -> Bool

    public init(
        database: HotlineDatabase, cost: UInt8 = 11,
        verifyPassword: @escaping @Sendable (_ password: String, _ hash: String) -> Bool = AccountStore.bcryptVerify
    ) {
        self.database = database
        self.cost = cost
        self.verifyPassword = verifyPassword
    }

    /// The password check in service: bcrypt, at the cost stored in the hash.
    public static let bcryptVerify: @Sendable (_ password: String, _ hash: String) -> Bool = { Bcrypt.verify($0, hash: $1) }

    public enum LoginFailure: Error, Equatable, Sendable {
        case invalidCredentials
        case locked(until: Date)
    }

    public func setPassword(_ password: String, for userID: String) async throws {
        let hash = Bcrypt.hash(password, cost: cost)
        try await database.transaction { db in
            try await db.run(Statement("UPDATE users SET password_hash = ? WHERE id = ?", [hash, userID]))
            try await db.run(Statement("DELETE FROM login_throttle WHERE login_name = ?", [Self.loginKey(userID)]))
        }
    }

    /// Checks a password typed as `loginName` from `client`. The attempt is counted before the password is
    /// checked, so that parallel guesses beyond the limit never reach bcrypt; unknown and inactive names count
    /// and answer exactly like real ones; a success clears the count for this name and client.
    public func authenticate(_ loginName: String, password: String, client: String, now: Date) async throws -> UserAccount {
        let key = Self.loginKey(loginName)
        let attempt = try await reserveAttempt(key, client: client, now: now)
        if let lockedUntil = attempt.lockedUntil, lockedUntil > now { throw LoginFailure.locked(until: lockedUntil) }
        let row = try await database.read { db in
            try await db.firstRow(Statement(
                "SELECT id, display_name, role, unit_id, password_hash FROM users WHERE id = ? AND active = 1", [loginName]))
        }
        let hash = try row?.decode(column: "password_hash", as: String?.self)
        // The same work whether or not the user exists.
        let matches = verifyPassword(password, hash ?? Self.decoyHash) && hash != nil
        guard matches, let row else {
            guard let lock = PasswordPolicy.lockUntil(failures: attempt.number, now: now) else { throw LoginFailure.invalidCredentials }
            try await database.transaction { db in
                try await db.run(Statement(
                    "UPDATE login_throttle SET locked_until = ? WHERE login_name = ? AND client = ? AND locked_until IS NULL",
                    [Int64(lock.timeIntervalSince1970), key, client]))
            }
            throw LoginFailure.locked(until: lock)
        }
        try await database.transaction { db in
            try await db.run(Statement("DELETE FROM login_throttle WHERE login_name = ? AND client = ?", [key, client]))
        }
        return try DirectoryStore.user(row)
    }

    /// The name a login attempt is counted under: trimmed and lower-cased, so that `Agent ` counts as `agent`.
    public static func loginKey(_ loginName: String) -> String {
        String(loginName.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().prefix(64))
    }

    /// One attempt taken for a login name and client, in one statement: its number since the last success
    /// (or since a lock ran out), and the lock in force. An attempt past the limit sets the lock if none is set.
    func reserveAttempt(_ key: String, client: String, now: Date) async throws -> (number: Int, lockedUntil: Date?) {
        let seconds = Int64(now.timeIntervalSince1970)
        let lock = Int64(now.addingTimeInterval(PasswordPolicy.lockDuration).timeIntervalSince1970)
        let limit = PasswordPolicy.failuresBeforeLock
        let row = try await database.transaction { db in
            try await db.firstRow(Statement(
                """
                INSERT INTO login_throttle (login_name, client, attempts, locked_until, last_attempt_at) VALUES (?, ?, 1, NULL, ?)
                ON CONFLICT (login_name, client) DO UPDATE SET
                    attempts = CASE WHEN login_throttle.locked_until <= ? THEN 1 ELSE login_throttle.attempts + 1 END,
                    locked_until = CASE
                        WHEN login_throttle.locked_until <= ? THEN NULL
                        WHEN login_throttle.locked_until IS NULL AND login_throttle.attempts + 1 > ? THEN ?
                        ELSE login_throttle.locked_until END,
                    last_attempt_at = ?
                RETURNING attempts, locked_until
                """, [key, client, seconds, seconds, seconds, limit, lock, seconds]))
        }
        guard let row else { throw DatabaseError.corrupt("login_throttle \(key)") }
        return (try row.decode(column: "attempts", as: Int.self),
                try row.decode(column: "locked_until", as: Int64?.self).map { Date(timeIntervalSince1970: Double($0)) })
    }

    static let decoyHash = Bcrypt.hash("decoy-password-0", cost: 11)

    /// An access token: the plain text is returned once and never stored.
    public struct IssuedToken: Sendable {
        public var id: String
        public var token: String
        public var expiresAt: Date
    }

    public func issueToken(
        for userID: String, kind: String, scopes: [String], now: Date, lifetime: TimeInterval, token: String? = nil, label: String? = nil,
        audit: AuditEntry? = nil
    ) async throws -> IssuedToken {
        var random = SystemRandomNumberGenerator()
        let secret = token ?? StoredEvent.hex((0..<32).map { _ in UInt8.random(in: 0...255, using: &random) })
        let id = UUID().uuidString.lowercased()
        let expires = now.addingTimeInterval(lifetime)
        try await database.transaction { db in
            try await db.run(Statement(
                "INSERT INTO access_tokens (id, token_hash, user_id, kind, scopes, created_at, expires_at, label) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [id, Self.hash(secret), userID, kind, scopes.joined(separator: " "), Int64(now.timeIntervalSince1970), Int64(expires.timeIntervalSince1970),
                 bindable(label)]))
            if var audit {
                audit.target = "api_key:\(id)"
                try await AuditLog.append(audit, in: db)
            }
        }
        return IssuedToken(id: id, token: secret, expiresAt: expires)
    }

    /// Who a token speaks for and what it may be used for.
    public struct TokenHolder: Sendable {
        public var user: UserAccount
        public var tokenID: String
        public var kind: String
        public var scopes: Set<TokenScope>
    }

    /// Token kinds: a bearer token from `POST /auth/login`, a browser session cookie, an integration's API key.
    public static let sessionKind = "session"
    public static let webKind = "web"
    public static let apiKeyKind = "api_key"

    /// A browser session ends after this long without a request (空闲超时).
    public static let webIdleTimeout: TimeInterval = 30 * 60
    /// Last-use times are written at most this often, so that reads do not each cost a write.
    static let touchInterval: TimeInterval = 60

    /// The user a token speaks for, if it is known, unexpired, not revoked and (for browser sessions) not idle.
    /// `touch` false checks without counting as activity (live updates must not keep an idle session alive).
    public func holder(ofToken token: String, now: Date, touch: Bool = true) async throws -> TokenHolder? {
        guard token.count <= 256 else { return nil }
        let nowSeconds = Int64(now.timeIntervalSince1970)
        let row = try await database.read { db in
            try await db.firstRow(Statement(
                """
                SELECT u.id, u.display_name, u.role, u.unit_id, t.id AS token_id, t.kind, t.scopes, t.created_at, t.last_used_at
                FROM access_tokens t JOIN users u ON u.id = t.user_id
                WHERE t.token_hash = ? AND t.revoked_at IS NULL AND t.expires_at > ? AND u.active = 1
                """, [Self.hash(token), nowSeconds]))
        }
        guard let row else { return nil }
        let id = try row.decode(column: "token_id", as: String.self)
        let kind = try row.decode(column: "kind", as: String.self)
        let lastUsed = try row.decode(column: "last_used_at", as: Int64?.self) ?? row.decode(column: "created_at", as: Int64.self)
        if kind == Self.webKind, Double(nowSeconds - lastUsed) >= Self.webIdleTimeout { return nil }
        if touch, Double(nowSeconds - lastUsed) >= Self.touchInterval {
            try await database.transaction { db in
                try await db.run(Statement("UPDATE access_tokens SET last_used_at = ? WHERE id = ?", [nowSeconds, id]))
            }
        }
        guard let scopes = TokenScope.parse(try row.decode(column: "scopes", as: String.self)) else { return nil }
        return TokenHolder(user: try DirectoryStore.user(row), tokenID: id, kind: kind, scopes: scopes)
    }

    /// The user a token speaks for, if it is known, unexpired and not revoked.
    public func user(forToken token: String, now: Date) async throws -> (UserAccount, tokenID: String)? {
        try await holder(ofToken: token, now: now).map { ($0.user, $0.tokenID) }
    }

    /// An integration's API key as administrators see it (never the secret).
    public struct APIKeyRecord: Sendable, Equatable, Codable {
        public var id: String
        public var userID: String
        public var label: String?
        public var scopes: [String]
        public var createdAt: Date
        public var expiresAt: Date
        public var revokedAt: Date?
        public var lastUsedAt: Date?
    }

    public func apiKeys() async throws -> [APIKeyRecord] {
        try await database.read { db in
            try await db.rows(Statement(
                "SELECT id, user_id, label, scopes, created_at, expires_at, revoked_at, last_used_at FROM access_tokens WHERE kind = ? ORDER BY created_at DESC, id",
                [Self.apiKeyKind])).map { row in
                func date(_ c: String) throws -> Date? { try row.decode(column: c, as: Int64?.self).map { Date(timeIntervalSince1970: Double($0)) } }
                return APIKeyRecord(
                    id: try row.decode(column: "id", as: String.self), userID: try row.decode(column: "user_id", as: String.self),
                    label: try row.decode(column: "label", as: String?.self),
                    scopes: try row.decode(column: "scopes", as: String.self).split(separator: " ").map(String.init),
                    createdAt: try date("created_at")!, expiresAt: try date("expires_at")!, revokedAt: try date("revoked_at"),
                    lastUsedAt: try date("last_used_at"))
            }
        }
    }

    /// Revokes an API key with its audit line; false when there is no such live key.
    public func revokeAPIKey(_ id: String, now: Date, audit: AuditEntry) async throws -> Bool {
        try await database.transaction { db in
            guard try await db.firstRow(Statement(
                "SELECT id FROM access_tokens WHERE id = ? AND kind = ? AND revoked_at IS NULL", [id, Self.apiKeyKind])) != nil else { return false }
            try await db.run(Statement("UPDATE access_tokens SET revoked_at = ? WHERE id = ?", [Int64(now.timeIntervalSince1970), id]))
            try await AuditLog.append(audit, in: db)
            return true
        }
    }

    public func revokeToken(_ id: String, now: Date) async throws {
        try await database.transaction { db in
            try await db.run(Statement("UPDATE access_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", [Int64(now.timeIntervalSince1970), id]))
        }
    }

    /// Revokes every token of a user except `keeping` (after a password change).
    public func revokeTokens(of userID: String, keeping: String?, now: Date) async throws {
        try await database.transaction { db in
            try await db.run(Statement(
                "UPDATE access_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND id <> ?",
                [Int64(now.timeIntervalSince1970), userID, keeping ?? ""]))
        }
    }

    static func hash(_ token: String) -> String { StoredEvent.hex(SHA256.hash(data: Data(token.utf8))) }
}

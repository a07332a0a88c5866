import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit
import Synchronization

/// The SQL dialects the platform runs on.
public enum DatabaseKind: String, Sendable {
    case sqlite, postgres
}

/// Where the data lives: an embedded SQLite file (the default) or a PostgreSQL server.
public enum DatabaseLocation: Sendable, Equatable {
    case sqlite(path: String)
    /// `url` as in `DATABASE_URL`; `schema`, when set, becomes the search path (tests use one schema each).
    case postgres(url: String, schema: String? = nil)
}

/// The one database handle the platform passes around: reads, and writes as transactions.
public final class HotlineDatabase: Sendable {
    public let kind: DatabaseKind
    let backend: Backend
    let logger: Logger
    private let inFlight = Atomic<Int>(0)
    /// What committed transactions changed, for this instance's listeners (and, on PostgreSQL, every instance's).
    public let changes = ChangeFeed()
    /// Which background services this instance runs (on PostgreSQL, the one holding each service's advisory lock).
    public let leadership: Leadership

    enum Backend: Sendable {
        case sqlite(SQLiteBackend)
        case postgres(PostgresBackend)
    }

    private init(kind: DatabaseKind, backend: Backend, logger: Logger) {
        self.kind = kind
        self.backend = backend
        self.logger = logger
        leadership = Leadership(everything: kind == .sqlite)
    }

    public static func open(_ location: DatabaseLocation, logger: Logger = Logger(label: "hotline.db")) async throws -> HotlineDatabase {
        switch location {
        case .sqlite(let path):
            return HotlineDatabase(kind: .sqlite, backend: .sqlite(try await SQLiteBackend(path: path, logger: logger)), logger: logger)
        case .postgres(let url, let schema):
            return HotlineDatabase(kind: .postgres, backend: .postgres(try PostgresBackend(url: url, schema: schema, logger: logger)), logger: logger)
        }
    }

    /// PostgreSQL: the comment on the database `name` (nil: no such database, or no comment). Benchmarks keep the load
    /// time of a database they keep for later runs there.
    public func databaseComment(_ name: String) async throws -> String? {
        try await read { db in
            try await db.firstRow(Statement("SELECT shobj_description(oid, 'pg_database') AS note FROM pg_database WHERE datname = ?", [name]))?
                .decode(column: "note", as: String?.self)
        }
    }

    /// Refreshes the query planner's statistics. SQLite keeps none by itself: `PRAGMA optimize` analyses the tables whose
    /// statistics are missing or stale, sampling at most 1,000 rows per index, so it stays quick at millions of orders.
    /// PostgreSQL's autovacuum keeps its own; `full` (after a bulk load) analyses there too.
    public func refreshPlannerStatistics(full: Bool = false) async throws {
        switch kind {
        case .sqlite:
            try await transaction { db in
                try await db.run("PRAGMA analysis_limit = 1000")
                try await db.run("PRAGMA optimize = 0x10002")
            }
        case .postgres:
            if full { try await execute("ANALYZE") }
        }
    }

    /// Runs `body` outside any transaction; fine for single statements and independent reads.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        inFlight.add(1, ordering: .relaxed)
        defer { inFlight.subtract(1, ordering: .relaxed) }
        switch backend {
        case .sqlite(let b): return try await body(b.reader())
        case .postgres(let b): return try await body(b.database)
        }
    }

    /// How many tables the database holds (a restore does not land on a database in use unless told to).
    public func tableCount() async throws -> Int {
        let sql = kind == .postgres
            ? "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema()"
            : "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'"
        return try await read { db in try await db.firstRow(Statement(sql))?.decode(column: "n", as: Int.self) ?? 0 }
    }

    /// Reads and transactions under way now, waiting for a connection or on one (`/metrics`: the pool's use).
    public var operationsInFlight: Int { inFlight.load(ordering: .relaxed) }

    /// Runs `body`, one writing statement, on its own: on PostgreSQL in autocommit, so the row locks it takes are held
    /// only while the statement runs inside the server and never across a round trip to this process (a burst of
    /// requests for one row queues in the server, not in the pool); on SQLite as a transaction on the writer.
    public func autocommit<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite: return try await transaction(body)
        case .postgres(let b):
            inFlight.add(1, ordering: .relaxed)
            defer { inFlight.subtract(1, ordering: .relaxed) }
            return try await body(b.database)
        }
    }

    /// Runs `body` as one transaction: all its writes land, or none do.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        inFlight.add(1, ordering: .relaxed)
        defer { inFlight.subtract(1, ordering: .relaxed) }
        switch backend {
        case .sqlite(let b):
            await b.gate.enter()
            let pending = ChangeFeed.Pending()
            do {
                let db = b.writer.sql()
                try await db.run("BEGIN IMMEDIATE")
                let result: T
                do {
                    result = try await ChangeFeed.$pending.withValue(pending) { try await body(db) }
                } catch {
                    try? await db.run("ROLLBACK")
                    throw error
                }
                try await db.run("COMMIT")
                await b.gate.leave()
                changes.publish(ChangeBatch(changes: pending.unique, local: true))
                return result
            } catch {
                await b.gate.leave()
                throw error
            }
        case .postgres(let b):
            let pending = ChangeFeed.Pending()
            let feed = changes
            let result = try await b.database.withSession { db in
                try await db.run("BEGIN")
                do {
                    let result = try await ChangeFeed.$pending.withValue(pending) { try await body(db) }
                    // The other instances hear of the changes when, and only if, this commits.
                    for payload in feed.payloads(pending.unique) {
                        try await db.run(Statement("SELECT pg_notify(?, ?)", [b.channel, payload]))
                    }
                    try await db.run("COMMIT")
                    return result
                } catch {
                    try? await db.run("ROLLBACK")
                    throw error
                }
            }
            changes.publish(ChangeBatch(changes: pending.unique, local: true))
            return result
        }
    }

    public func close() async {
        switch backend {
        case .sqlite(let b): await b.close()
        case .postgres(let b): await b.close()
        }
    }
}

/// One writer connection behind a gate, and a few reader connections in WAL mode.
final class SQLiteBackend: Sendable {
    let writer: SQLiteConnection
    let readers: [SQLiteConnection]
    let gate = SerialGate()
    private let next = Atomic<Int>(0)

    init(path: String, logger: Logger) async throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Self.restrictToOwner(url.path)
        func connect() async throws -> SQLiteConnection {
            let connection = try await SQLiteConnection.open(storage: .file(path: url.path), logger: logger)
            // synchronous = FULL: a committed transaction survives a power cut, not only a crash of the process.
            for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON",
                           "PRAGMA busy_timeout = 10000", "PRAGMA cache_size = -65536", "PRAGMA temp_store = MEMORY"] {
                _ = try await connection.query(pragma)
            }
            return connection
        }
        writer = try await connect()
        var readers: [SQLiteConnection] = []
        for _ in 0..<3 { readers.append(try await connect()) }
        self.readers = readers
    }

    /// Callers' personal data lives in the file: it is created readable by its owner only (0600), and an
    /// existing file, its write-ahead log and shared-memory index are narrowed to that. SQLite gives the -wal
    /// and -shm files it creates the database file's permissions.
    static func restrictToOwner(_ path: String) throws {
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            guard manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
        }
        for file in [path, path + "-wal", path + "-shm"] where manager.fileExists(atPath: file) {
            try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        }
    }

    func reader() -> any SQLDatabase {
        let index = next.add(1, ordering: .relaxed).oldValue
        return readers[index % readers.count].sql()
    }

    func close() async {
        for connection in [writer] + readers { try? await connection.close() }
    }
}

final class PostgresBackend: @unchecked Sendable {
    // The pool is internally synchronised; AsyncKit predates Sendable annotations.
    let pool: EventLoopGroupConnectionPool<PostgresConnectionSource>
    let database: any SQLDatabase
    let configuration: SQLPostgresConfiguration
    /// The notification channel of this database and schema (tests keep one schema each in one database).
    let channel: String
    /// The prefix of this database and schema's advisory-lock keys.
    let lockScope: String

    init(url: String, schema: String?, logger: Logger) throws {
        guard let parsed = URL(string: url) else { throw DatabaseError.badURL(url) }
        var configuration = try SQLPostgresConfiguration(url: parsed)
        if let schema { configuration.searchPath = [schema] }
        self.configuration = configuration
        channel = "hotline_changes" + (schema.map { "_" + $0 } ?? "")
        lockScope = "hotline:" + (schema ?? "")
        pool = EventLoopGroupConnectionPool(
            source: PostgresConnectionSource(sqlConfiguration: configuration),
            maxConnectionsPerEventLoop: 4,
            // A burst of requests queues for a connection rather than failing after AsyncKit's default 10 s;
            // 30 s matches the time a load balancer or browser waits for an answer.
            requestTimeout: .seconds(30),
            logger: logger,
            on: MultiThreadedEventLoopGroup.singleton)
        database = pool.database(logger: logger).sql()
    }

    func close() async {
        try? await pool.shutdownAsync()
    }
}

public enum DatabaseError: Error, CustomStringConvertible {
    case badURL(String)
    case corrupt(String)

    public var description: String {
        switch self {
        case .badURL(let url): "cannot parse database URL \(url)"
        case .corrupt(let what): "stored data cannot be read: \(what)"
        }
    }
}

extension HotlineDatabase {
    /// Runs one statement of trusted SQL (schema management, maintenance) outside a transaction.
    public func execute(_ sql: String) async throws {
        try await read { db in try await db.run(sql) }
    }
}

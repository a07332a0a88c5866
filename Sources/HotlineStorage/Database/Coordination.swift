import Foundation
import Logging
import PostgresKit
import SQLKit
import Synchronization

/// Which background services this instance runs (主备切换). On SQLite there is one instance and it runs them all. On
/// PostgreSQL each service runs where its session-level advisory lock is held: the instance's coordinating connection
/// (``HotlineDatabase/coordinate()``) takes the locks of the services it wants and that nobody holds, and keeps them
/// while the connection lives. An instance that dies drops its connection, the server releases its locks, and another
/// instance takes them within a second.
public final class Leadership: Sendable {
    private struct State {
        var wanted: Set<String> = []
        var held: Set<String> = []
    }
    private let state = Mutex(State())
    /// True on SQLite: this instance leads every service.
    public let everything: Bool

    init(everything: Bool) { self.everything = everything }

    public func isLeader(_ service: String) -> Bool { everything || state.withLock { $0.held.contains(service) } }

    /// Asks for `service`'s lock (the coordinating connection tries for it every second while it is free).
    public func want(_ service: String) { state.withLock { _ = $0.wanted.insert(service) } }

    /// The services this instance leads now.
    public var held: Set<String> { everything ? state.withLock { $0.wanted } : state.withLock { $0.held } }

    var unheld: [String] { state.withLock { $0.wanted.subtracting($0.held).sorted() } }
    func gain(_ service: String) { state.withLock { _ = $0.held.insert(service) } }
    func loseAll() { state.withLock { $0.held = [] } }
}

extension HotlineDatabase {
    /// How often a free lock is tried for, and the coordinating connection checked.
    static let leadershipInterval: Duration = .seconds(1)

    /// The instance's link with the others, until the task is cancelled: on PostgreSQL one dedicated connection that
    /// listens for the other instances' changes (publishing them on ``changes``) and holds this instance's advisory
    /// locks (``leadership``). When the connection is lost, the locks are gone with it: leadership is dropped at once,
    /// a ``Change/resync`` tells the listeners that notifications may have been missed, and it connects again.
    /// On SQLite it only waits (one instance, nothing to coordinate).
    public func coordinate() async {
        guard case .postgres(let backend) = backend else {
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            return
        }
        var reconnecting = false
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: backend.configuration.coreConfiguration, id: 0, logger: logger)
                do {
                    try await connection.listen(on: backend.channel) { notifications in
                        if reconnecting { changes.publish(ChangeBatch(changes: [.resync], local: false)) }
                        reconnecting = true
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            let feed = changes
                            group.addTask {
                                for try await notification in notifications {
                                    if let batch = feed.batch(fromPayload: notification.payload) { feed.publish(batch) }
                                }
                                throw CoordinationLost()
                            }
                            group.addTask { try await self.lead(on: connection, scope: backend.lockScope) }
                            try await group.next()
                            group.cancelAll()
                        }
                    }
                } catch {
                    leadership.loseAll()
                    try? await connection.close()
                    throw error
                }
                leadership.loseAll()
                try? await connection.close()
            } catch {
                leadership.loseAll()
                if !Task.isCancelled { logger.warning("coordinating connection lost", metadata: ["error": "\(error)"]) }
            }
            reconnecting = true
            try? await Task.sleep(for: Self.leadershipInterval)
        }
    }

    private struct CoordinationLost: Error {}

    /// Every second: tries for the free locks of the wanted services, and checks the connection while it holds any.
    private func lead(on connection: PostgresConnection, scope: String) async throws {
        while !Task.isCancelled {
            for service in leadership.unheld {
                let key = Self.lockKey(scope + ":" + service)
                let rows = try await connection.query("SELECT pg_try_advisory_lock(\(key)) AS held", logger: logger)
                for try await held in rows.decode(Bool.self) where held {
                    leadership.gain(service)
                    logger.info("leading a background service", metadata: ["service": "\(service)"])
                }
            }
            if !leadership.held.isEmpty { _ = try await connection.query("SELECT 1", logger: logger).collect() }
            try await Task.sleep(for: Self.leadershipInterval)
        }
    }

    /// The advisory-lock key of `name` within this database and schema (tests keep one schema each in one database,
    /// and must not wait for each other's locks).
    func scopedLockKey(_ name: String) -> Int64 {
        if case .postgres(let backend) = backend { return Self.lockKey(backend.lockScope + ":" + name) }
        return Self.lockKey(name)
    }

    /// A stable 64-bit key for an advisory lock (FNV-1a of its name).
    static func lockKey(_ name: String) -> Int64 {
        Int64(bitPattern: name.utf8.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 })
    }

    /// Makes `changes` known: inside a transaction when it commits (as ``ChangeFeed/announce(_:)``); otherwise at
    /// once, to this instance and, on PostgreSQL, by `NOTIFY` to the others.
    public func announce(_ changes: [Change]) async throws {
        guard !changes.isEmpty else { return }
        if ChangeFeed.pending != nil {
            ChangeFeed.announce(changes)
            return
        }
        if case .postgres(let backend) = backend {
            let payloads = self.changes.payloads(changes)
            try await read { db in
                for payload in payloads { try await db.run(Statement("SELECT pg_notify(?, ?)", [backend.channel, payload])) }
            }
        }
        self.changes.publish(ChangeBatch(changes: changes, local: true))
    }
}

import Foundation
import HotlineDomain
import HotlineResources
import HotlineStorage
import Logging

/// The databases every storage and API test runs against: SQLite always, PostgreSQL when
/// `HOTLINE_TEST_POSTGRES_URL` names a server (the README's test command starts one).
public enum TestDatabase: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["HOTLINE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The databases this run can reach.
    public static var available: [TestDatabase] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    public var description: String { rawValue }

    public static let calendar = try! BundledData.workingCalendar()

    /// Runs `body` with services on a fresh, empty, migrated database (a temporary SQLite file or a new
    /// PostgreSQL schema) holding the small test city, and removes it afterwards.
    public func withServices<T: Sendable>(seedCity: Bool = true, _ body: (HotlineServices) async throws -> T) async throws -> T {
        try await withInstances(seedCity: seedCity, extra: 0) { s, _ in try await body(s) }
    }

    /// Two platform instances on one database, as two servers behind a load balancer: `body` gets both.
    public func withTwoInstances<T: Sendable>(_ body: (HotlineServices, HotlineServices) async throws -> T) async throws -> T {
        try await withInstances(seedCity: true, extra: 1) { try await body($0, $1[0]) }
    }

    private func withInstances<T: Sendable>(
        seedCity: Bool, extra: Int, _ body: (HotlineServices, [HotlineServices]) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let token = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let location: DatabaseLocation
        switch self {
        case .sqlite:
            location = .sqlite(path: FileManager.default.temporaryDirectory.appendingPathComponent("hotline-test-\(token)/db.sqlite").path)
        case .postgres:
            guard let url = Self.postgresURL else { throw TestDatabaseError.postgresUnavailable }
            let schema = "t_\(token)"
            let admin = try await HotlineDatabase.open(.postgres(url: url), logger: logger)
            try await admin.execute("CREATE SCHEMA \(schema)")
            await admin.close()
            location = .postgres(url: url, schema: schema)
        }
        // bcrypt's lowest cost keeps tests fast; verification reads the cost from each hash.
        let services = try await HotlineServices.open(location, calendar: Self.calendar, logger: logger, passwordCost: 4)
        var others: [HotlineServices] = []
        do {
            if seedCity {
                try await TestCity.seed(services)
                try await services.reference.reload()
                try await services.assistant.reloadCatalogue()
                try await services.loadIndexes(now: TestCity.monday)
            }
            for _ in 0..<extra {
                let other = try await HotlineServices.open(location, calendar: Self.calendar, logger: logger, passwordCost: 4)
                others.append(other)
                try await other.loadIndexes(now: TestCity.monday)
            }
            let result = try await body(services, others)
            for other in others { await other.close() }
            await cleanUp(services, location)
            return result
        } catch {
            for other in others { await other.close() }
            await cleanUp(services, location)
            throw error
        }
    }

    private func cleanUp(_ services: HotlineServices, _ location: DatabaseLocation) async {
        if case .postgres(_, let schema?) = location {
            try? await services.database.execute("DROP SCHEMA \(schema) CASCADE")
        }
        await services.close()
        if case .sqlite(let path) = location {
            try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent())
        }
    }
}

public enum TestDatabaseError: Error {
    case postgresUnavailable
}

/// Tampering needs an attacker with database access: remove the append-only triggers first.
public func dropAppendOnlyGuard(_ s: HotlineServices, _ db: TestDatabase) async throws {
    switch db {
    case .sqlite:
        try await s.database.execute("DROP TRIGGER work_order_events_no_update")
        try await s.database.execute("DROP TRIGGER work_order_events_no_delete")
    case .postgres:
        try await s.database.execute("DROP TRIGGER work_order_events_append_only ON work_order_events")
    }
}

import ArgumentParser
import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Logging

/// `hotline bench-checkpoint`: signed checkpoints (存证) over many stored orders, on SQLite and, given a URL, PostgreSQL:
/// the time to make a checkpoint (every order's leaf, the Merkle root, the signature, the leaves kept), to verify it
/// (`verify-log --checkpoints`' part: the log's signatures, the kept leaves against the signed root, every order
/// compared with its leaf), an inclusion proof's look-up, and a second checkpoint that replaces the first's leaves.
/// The orders are the demo city's, walked through the real lifecycle (as `bench-sweep` loads them): `--walked` of them,
/// and the rest copies of those rows under other numbers (same day, sequence + 10,000 × k), which costs a checkpoint
/// the same (every row is read and hashed) and loads a million orders in minutes instead of an hour.
struct BenchCheckpoint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-checkpoint", abstract: "Measure making and verifying a signed checkpoint over many orders.")

    @Option(help: "Orders stored.") var orders: Int = 1_000_000
    @Option(help: "Of those, orders walked through the lifecycle; the rest are copies of their rows under other numbers (at most 49 copies each).")
    var walked: Int = 20_000
    @Option(name: .customLong("postgres-url"), help: "Also benchmark this PostgreSQL server (a throwaway database is created).")
    var postgresURL: String?
    @Flag(help: "Skip SQLite.") var skipSqlite = false
    @Option(help: "The SQLite file the checkpoints are made on (a copy of the loaded database).") var sqlitePath: String = "data/bench-checkpoint.sqlite"
    @Option(help: "Where the loaded SQLite database is kept for later runs with the same --orders (default data/bench-checkpoint-<orders>.cache.sqlite).")
    var cachePath: String?

    struct Result {
        var orders = 0
        var make = 0.0
        var verify = 0.0
        var proofMedian = 0.0
        var proofSteps = 0
        var remake = 0.0
        var makePhases: [(String, Double)] = []
        var verifyPhases: [(String, Double)] = []
    }

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let calendar = try DatabaseOptions.parse([]).calendar()
        guard walked > 0, orders >= walked, orders <= walked * 50 else { throw ValidationError("--walked must be positive and at least --orders / 50") }
        let loader = try BenchSweep.parse(["--orders", String(walked), "--open", String(walked / 10)])
        var results: [(String, Result)] = []
        if !skipSqlite {
            let cache = cachePath ?? "data/bench-checkpoint-\(orders).cache.sqlite"
            if !FileManager.default.fileExists(atPath: cache) {
                FileHandle.standardError.write(Data("== SQLite: loading \(orders) orders into \(cache)\n".utf8))
                try await HotlineServices.with(.sqlite(path: cache + ".loading"), calendar: calendar, logger: logger) { s in
                    try await loader.load(s, now: Date())
                    try await copies(s)
                }
                try FileManager.default.moveItem(atPath: cache + ".loading", toPath: cache)
            }
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) }
            try FileManager.default.copyItem(atPath: cache, toPath: sqlitePath)
            defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) } }
            results.append(("SQLite", try await HotlineServices.with(.sqlite(path: sqlitePath), calendar: calendar, logger: logger) { s in
                try await measure(s)
            }))
        }
        if let url = postgresURL {
            let name = "bench_checkpoint_\(ProcessInfo.processInfo.processIdentifier)"
            let admin = try await HotlineDatabase.open(.postgres(url: url))
            try await admin.execute("CREATE DATABASE \(name)")
            let outcome: Swift.Result<Result, any Error>
            do {
                FileHandle.standardError.write(Data("== PostgreSQL: loading \(orders) orders into database \(name)\n".utf8))
                outcome = .success(try await HotlineServices.with(.postgres(url: try BenchSweep.url(url, database: name)), calendar: calendar, logger: logger) { s in
                    try await loader.load(s, now: Date())
                    try await copies(s)
                    try await s.database.execute("VACUUM ANALYZE")
                    return try await measure(s)
                })
            } catch {
                outcome = .failure(error)
            }
            try? await admin.execute("DROP DATABASE IF EXISTS \(name)")
            await admin.close()
            results.append(("PostgreSQL", try outcome.get()))
        }
        print("")
        print("hotline bench-checkpoint — \(ProcessInfo.processInfo.activeProcessorCount) cores, \(orders) orders stored")
        print("| measure | " + results.map(\.0).joined(separator: " | ") + " |")
        print("|---|" + results.map { _ in "---:|" }.joined())
        func row(_ label: String, _ value: (Result) -> String) { print("| \(label) | " + results.map { value($0.1) }.joined(separator: " | ") + " |") }
        row("orders in the checkpoint") { "\($0.orders)" }
        row("make a checkpoint (s)") { String(format: "%.1f", $0.make) }
        row("verify it against the database (s)") { String(format: "%.1f", $0.verify) }
        row("inclusion proof, median of 20 (ms)") { String(format: "%.1f (%d steps)", $0.proofMedian, $0.proofSteps) }
        row("next checkpoint, dropping the first's leaves (s)") { String(format: "%.1f", $0.remake) }
        for (name, r) in results {
            print("")
            print("\(name), making: " + r.makePhases.map { String(format: "%@ %.1f s", $0.0, $0.1) }.joined(separator: ", "))
            print("\(name), verifying: " + r.verifyPhases.map { String(format: "%@ %.1f s", $0.0, $0.1) }.joined(separator: ", "))
        }
    }

    /// Fills up to `orders` with copies of the walked orders' rows (`work_orders` only: a checkpoint reads nothing else).
    func copies(_ s: HotlineServices) async throws {
        guard orders > walked else { return }
        try await s.database.execute("CREATE TABLE bench_copies AS SELECT * FROM work_orders")
        var stored = walked
        var k = 0
        while stored < orders {
            k += 1
            try await s.database.execute("UPDATE bench_copies SET number = number + 10000")
            if orders - stored < walked {
                try await s.database.execute("DELETE FROM bench_copies WHERE number IN (SELECT number FROM bench_copies ORDER BY number DESC LIMIT \(walked - (orders - stored)))")
            }
            try await s.database.execute("INSERT INTO work_orders SELECT * FROM bench_copies")
            stored += min(walked, orders - stored)
            progress("copies", stored, orders)
        }
        try await s.database.execute("DROP TABLE bench_copies")
    }

    func measure(_ s: HotlineServices) async throws -> Result {
        var result = Result()
        let key = CheckpointKey()
        let clock = ContinuousClock()
        let makeProfile = PhaseProfile()
        var started = clock.now
        let checkpoint = try await CheckpointStore(database: s.database).make(key: key, at: Date(), profile: makeProfile)
        result.make = milliseconds(clock.now - started) / 1000
        result.orders = checkpoint.orderCount
        result.makePhases = makeProfile.phases.map { ($0.0, $0.1) }
        FileHandle.standardError.write(Data(String(format: "checkpoint %d: %d orders in %.1f s\n", checkpoint.sequence, checkpoint.orderCount, result.make).utf8))

        let verifyProfile = PhaseProfile()
        started = clock.now
        let log = try await s.checkpoints.all()
        guard CheckpointLog.problems(in: log, key: key.publicKey).isEmpty else { throw CommandFailure("the checkpoint log does not verify") }
        let report = try await CheckpointAudit(database: s.database).run(against: checkpoint, profile: verifyProfile)
        result.verify = milliseconds(clock.now - started) / 1000
        result.verifyPhases = verifyProfile.phases.map { ($0.0, $0.1) }
        guard report.isClean else { throw CommandFailure("the checkpoint does not verify: " + report.lines.joined(separator: "; ")) }
        FileHandle.standardError.write(Data(String(format: "verified in %.1f s\n", result.verify).utf8))

        let numbers = try await s.orders.list(OrderFilter(), page: PageRequest(page: 1, size: 20, countsTotal: false), now: Date()).items.map(\.number.rawValue)
        var times: [Double] = []
        for number in numbers {
            started = clock.now
            let proof = try await s.checkpoints.proof(for: number)
            times.append(milliseconds(clock.now - started))
            guard let proof, proof.verifies else { throw CommandFailure("no valid proof for order \(number)") }
            result.proofSteps = proof.path.count
        }
        result.proofMedian = times.sorted()[times.count / 2]

        started = clock.now
        _ = try await s.checkpoints.make(key: key, at: Date())
        result.remake = milliseconds(clock.now - started) / 1000
        return result
    }
}

import ArgumentParser
import Foundation
import HotlineDomain
import HotlineStorage
import Logging

/// `hotline bench`: intake throughput and list/count latency on SQLite and, given a URL, PostgreSQL,
/// side by side on this machine. Each database starts empty (a temporary SQLite file, a fresh PostgreSQL schema).
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure intake throughput and list/count latency.")

    @Option(help: "Orders stored before measuring list and count latency.") var orders: Int = 1_000_000
    @Option(help: "Orders created through the domain and storage for the intake measurement.") var intake: Int = 20_000
    @Option(help: "Concurrent intake streams.") var concurrency: Int = 8
    @Option(help: "Repetitions of each latency query.") var repeats: Int = 50
    @Option(name: .customLong("postgres-url"), help: "Also benchmark this PostgreSQL server (a throwaway schema is created).")
    var postgresURL: String?
    @Flag(help: "Skip SQLite.") var skipSqlite = false
    @Option(help: "Where SQLite's benchmark file goes.") var sqlitePath: String = "data/bench.sqlite"

    func validate() throws {
        guard orders >= intake, intake > 0 else { throw ValidationError("--orders must be at least --intake, and --intake positive") }
        guard concurrency >= 1, repeats >= 1 else { throw ValidationError("--concurrency and --repeats must be positive") }
    }

    func run() async throws {
        var results: [BenchResult] = []
        let calendar = try DatabaseOptions.parse([]).calendar()
        if !skipSqlite {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) }
            results.append(try await BenchRun(name: "SQLite", location: .sqlite(path: sqlitePath), calendar: calendar, options: self).run())
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) }
        }
        if let url = postgresURL {
            let schema = "bench_\(ProcessInfo.processInfo.processIdentifier)"
            let admin = try await HotlineDatabase.open(.postgres(url: url))
            try await admin.execute("CREATE SCHEMA \(schema)")
            await admin.close()
            do {
                results.append(try await BenchRun(name: "PostgreSQL", location: .postgres(url: url, schema: schema), calendar: calendar, options: self).run())
            } catch {
                try? await dropSchema(url: url, schema: schema)
                throw error
            }
            try await dropSchema(url: url, schema: schema)
        }
        BenchResult.printTable(results, options: self)
    }

    func dropSchema(url: String, schema: String) async throws {
        let admin = try await HotlineDatabase.open(.postgres(url: url))
        try? await admin.execute("DROP SCHEMA \(schema) CASCADE")
        await admin.close()
    }
}

struct BenchResult {
    var name: String
    var intakePerSecond: Double
    var intakeSerialPerSecond: Double
    var loadPerSecond: Double
    var stored: Int
    var latencies: [(String, Latency)]

    static func printTable(_ results: [BenchResult], options: Bench) {
        print("")
        print("hotline bench — \(ProcessInfo.processInfo.activeProcessorCount) cores, \(options.orders) orders stored, \(options.repeats) runs per query")
        print("| measure | " + results.map(\.name).joined(separator: " | ") + " |")
        print("|---|" + results.map { _ in "---:|" }.joined())
        func row(_ label: String, _ value: (BenchResult) -> String) { print("| \(label) | " + results.map(value).joined(separator: " | ") + " |") }
        row("intake, \(options.concurrency) streams (orders/s)") { String(format: "%.0f", $0.intakePerSecond) }
        row("intake, 1 stream (orders/s)") { String(format: "%.0f", $0.intakeSerialPerSecond) }
        row("bulk load (orders/s)") { String(format: "%.0f", $0.loadPerSecond) }
        for (index, (label, _)) in (results.first?.latencies ?? []).enumerated() {
            row("\(label) p50 / p95 / p99 (ms)") { r in
                let l = r.latencies[index].1
                return String(format: "%.1f / %.1f / %.1f", l.p50, l.p95, l.p99)
            }
        }
    }
}

struct Latency {
    var p50: Double
    var p95: Double
    var p99: Double

    init(_ samples: [Double]) {
        let sorted = samples.sorted()
        func pick(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int((Double(sorted.count) * q).rounded(.up)) - 1)] }
        p50 = pick(0.5)
        p95 = pick(0.95)
        p99 = pick(0.99)
    }
}

func milliseconds(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
}

func progress(_ label: String, _ done: Int, _ total: Int) {
    let width = 30
    let filled = total == 0 ? width : done * width / total
    let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
    FileHandle.standardError.write(Data("\r\(label) \(bar) \(done)/\(total)".utf8))
    if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
}

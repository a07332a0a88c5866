import ArgumentParser
import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import HotlineText
import Logging

/// `hotline bench-sweep`: the SLA sweeper (时限监控) over a database of many stored orders, on SQLite and, given a URL,
/// PostgreSQL: the first pass over the backlog of open orders, a second pass right after (nothing changed), and a pass a
/// minute later.
struct BenchSweep: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-sweep", abstract: "Measure SLA sweeper passes over many stored orders.")

    @Option(help: "Orders stored: finished ones spread over the past year, and the open ones.") var orders: Int = 1_000_000
    @Option(help: "Of those, orders still open, taken over the last 15 days at every stage with a clock (the backlog).") var open: Int = 100_000
    @Option(help: "Orders swept per transaction.") var batch: Int = 1_000
    @Option(help: "Sweepers side by side (default: 2 on PostgreSQL, 1 on SQLite).") var workers: Int?
    @Option(help: "The open orders: realistic (each at the stage its age implies, most within their limits) or overdue (taken over 15 days and left at their stage, so most are overdue: the stress case).")
    var backlog: Backlog = .realistic

    enum Backlog: String, ExpressibleByArgument, CaseIterable {
        case realistic, overdue
    }
    @Option(name: .customLong("postgres-url"), help: "Also benchmark this PostgreSQL server (a throwaway schema is created).")
    var postgresURL: String?
    @Flag(help: "Skip SQLite.") var skipSqlite = false
    @Option(help: "The SQLite file the passes run on (a copy of the loaded database).") var sqlitePath: String = "data/bench-sweep.sqlite"
    @Option(help: "Where the loaded SQLite database is kept for later runs with the same --orders (default data/bench-sweep-<orders>.cache.sqlite).")
    var cachePath: String?

    func validate() throws {
        guard orders > 0, batch > 0, (0...orders).contains(open) else { throw ValidationError("--orders and --batch must be positive, --open at most --orders") }
    }

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let calendar = try DatabaseOptions.parse([]).calendar()
        var results: [(String, Result)] = []
        if !skipSqlite {
            let cache = cachePath ?? "data/bench-sweep-\(orders)-\(open)-\(backlog.rawValue).cache.sqlite"
            let stamp = cache + ".at"
            let now: Date
            if FileManager.default.fileExists(atPath: cache), let text = try? String(contentsOfFile: stamp, encoding: .utf8), let seconds = Double(text) {
                now = Date(timeIntervalSince1970: seconds)
                FileHandle.standardError.write(Data("== SQLite: reusing \(cache), loaded for \(now.chinaISO8601)\n".utf8))
            } else {
                now = Date()
                try? FileManager.default.removeItem(atPath: cache)
                FileHandle.standardError.write(Data("== SQLite: loading \(orders) orders into \(cache)\n".utf8))
                try await HotlineServices.with(.sqlite(path: cache), calendar: calendar, logger: logger) { s in
                    try await load(s, now: now)
                }
                try String(format: "%.3f", now.timeIntervalSince1970).write(toFile: stamp, atomically: true, encoding: .utf8)
            }
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) }
            try FileManager.default.copyItem(atPath: cache, toPath: sqlitePath)
            // The copy goes to disk before the passes, as a database in service is: otherwise the first checkpoint's
            // fsync would write out gigabytes of the copy inside the pass being timed.
            let copy = try FileHandle(forUpdating: URL(fileURLWithPath: sqlitePath))
            try copy.synchronize()
            try copy.close()
            defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) } }
            results.append(("SQLite", try await HotlineServices.with(.sqlite(path: sqlitePath), calendar: calendar, logger: logger) { s in
                try await passes(s, now: now)
            }))
        }
        if let url = postgresURL {
            // The loaded database is kept as a template (its load time in its comment), so a second run with the same
            // sizes copies it instead of loading again; the passes run on the copy, dropped afterwards.
            let cacheName = "bench_sweep_\(orders)_\(open)_\(backlog.rawValue)_cache"
            let runName = "bench_sweep_run_\(ProcessInfo.processInfo.processIdentifier)"
            let admin = try await HotlineDatabase.open(.postgres(url: url))
            let stamp = try await admin.databaseComment(cacheName)
            let now: Date
            if let stamp, let seconds = Double(stamp) {
                now = Date(timeIntervalSince1970: seconds)
                FileHandle.standardError.write(Data("== PostgreSQL: copying database \(cacheName), loaded for \(now.chinaISO8601)\n".utf8))
            } else {
                now = Date()
                try await admin.execute("DROP DATABASE IF EXISTS \(cacheName)")
                try await admin.execute("CREATE DATABASE \(cacheName)")
                FileHandle.standardError.write(Data("== PostgreSQL: loading \(orders) orders into database \(cacheName)\n".utf8))
                try await HotlineServices.with(.postgres(url: try Self.url(url, database: cacheName)), calendar: calendar, logger: logger) { s in
                    try await load(s, now: now)
                    try await s.database.execute("VACUUM ANALYZE")
                }
                try await admin.execute("COMMENT ON DATABASE \(cacheName) IS '\(String(format: "%.3f", now.timeIntervalSince1970))'")
            }
            try await admin.execute("DROP DATABASE IF EXISTS \(runName)")
            try await admin.execute("CREATE DATABASE \(runName) TEMPLATE \(cacheName)")
            let outcome: Swift.Result<Result, any Error>
            do {
                outcome = .success(try await HotlineServices.with(.postgres(url: try Self.url(url, database: runName)), calendar: calendar, logger: logger) { s in
                    try await passes(s, now: now)
                })
            } catch {
                outcome = .failure(error)
            }
            try? await admin.execute("DROP DATABASE IF EXISTS \(runName)")
            await admin.close()
            results.append(("PostgreSQL", try outcome.get()))
        }
        print("")
        print("hotline bench-sweep — \(ProcessInfo.processInfo.activeProcessorCount) cores, \(orders) orders stored, \(backlog.rawValue) backlog, \(batch) orders per transaction")
        print("| measure | " + results.map(\.0).joined(separator: " | ") + " |")
        print("|---|" + results.map { _ in "---:|" }.joined())
        func row(_ label: String, _ value: (Result) -> String) { print("| \(label) | " + results.map { value($0.1) }.joined(separator: " | ") + " |") }
        row("open orders (a clock running)") { "\($0.open)" }
        for (index, label) in ["first pass, the backlog", "second pass right after", "pass a minute later"].enumerated() {
            row("\(label): seconds") { String(format: "%.3f", $0.passes[index].seconds) }
            row("\(label): orders looked at / marks") { r in
                let s = r.passes[index].summary
                return "\(s.looked) / \(s.warnings + s.overdue + s.urges + s.yellowCards + s.redCards)"
            }
        }
        if let first = results.first?.1.passes.first?.summary {
            print("")
            print("first pass (\(results.first!.0)): \(first.chineseText)")
        }
    }

    /// `url` with its database replaced by `database`.
    static func url(_ url: String, database: String) throws -> String {
        guard var components = URLComponents(string: url) else { throw ValidationError("--postgres-url is not a URL") }
        components.path = "/" + database
        guard let changed = components.string else { throw ValidationError("--postgres-url is not a URL") }
        return changed
    }

    struct Pass {
        var seconds: Double
        var summary: SLASweeper.Summary
    }

    struct Result {
        var open: Int
        var passes: [Pass]
    }

    /// The demo city and `orders` generated orders walked through the real lifecycle: `open` of them taken over the
    /// 15 days before `now` and left at a stage with a running clock (so some are overdue, some in their warning share,
    /// most not yet due), the rest finished, spread over the year before.
    func load(_ s: HotlineServices, now: Date) async throws {
        _ = try await DemoSeeder(services: s).seed(orders: 0, now: now)
        var generator = OrderGenerator(city: try DemoCity.bundled(), context: s.reference.context, seed: 29)
        let today = CivilDay(containing: now)
        let yearAgo = today.adding(days: -366)
        let perDay = max(1, orders / 366 + 1)
        let openPerDay = max(1, open / 15 + 1)
        let openStages: [OrderGenerator.Stage] = [.pendingDispatch, .dispatched, .dispatched, .handling, .handling, .handling, .handling,
                                                  .extensionPending, .returned, .replied, .awaitingCallback, .awaitingCallback]
        let finishedStages: [OrderGenerator.Stage] = [.archived, .archived, .archived, .closed, .closed, .answeredDirectly, .rejected]
        var loaded = 0
        var pending: [Outcome] = []
        var stays = SplitMix64(seed: 31)
        for i in 0..<orders {
            // Every k-th order is an open one, so both kinds are written throughout the load.
            let isOpen = open > 0 && i % max(1, orders / open) == 0 && i / max(1, orders / open) < open
            let outcome: Outcome
            if isOpen {
                let k = i / max(1, orders / open)
                let stage = openStages[i % openStages.count]
                switch backlog {
                case .overdue:
                    let day = today.adding(days: -(k / openPerDay))
                    let at = min(day.at(minutes: 480 + (k % openPerDay) * 600 / openPerDay), now)
                    outcome = try generator.order(number: OrderNumber(day: day, sequence: 500_000 + k % openPerDay), at: at, toward: stage, now: now)
                case .realistic:
                    // Taken long enough ago to have reached its stage (the generator's steps), and then a while in it:
                    // a share of the stage's usual stay, so most orders are within their limits and some are not.
                    let (reach, stay) = Self.realisticStage[stage]!
                    let at = now.addingTimeInterval(-TimeInterval((reach + Int.random(in: 0..<stay, using: &stays)) * 60))
                    outcome = try generator.order(
                        number: OrderNumber(day: CivilDay(containing: at), sequence: 500_000 + k), at: at, toward: stage, now: now)
                }
            } else {
                let day = yearAgo.adding(days: i / perDay)
                let at = day.at(minutes: 480 + (i % perDay) * 600 / perDay)
                outcome = try generator.order(
                    number: OrderNumber(day: day, sequence: i % perDay + 1), at: at, toward: finishedStages[i % finishedStages.count], now: now)
            }
            pending.append(outcome)
            if pending.count == 2_000 || i == orders - 1 {
                try await s.orders.importOrders(pending)
                loaded += pending.count
                pending.removeAll(keepingCapacity: true)
                progress("load  ", loaded, orders)
            }
        }
        try await s.database.execute("ANALYZE")
    }

    /// For the realistic backlog, per stage: the minutes the generator's steps take to reach it (with the optional
    /// sub-dispatch), and the longest stay drawn in it — about its usual limit in wall-clock time (dispatch 2 working
    /// hours, signing 1 working day, handling 1–15 working days, review and callback a day or two).
    static let realisticStage: [OrderGenerator.Stage: (reach: Int, stay: Int)] = [
        .pendingDispatch: (0, 180), .dispatched: (40, 36 * 60), .returned: (160, 180), .handling: (130, 10 * 24 * 60),
        .extensionPending: (730, 24 * 60), .replied: (1_750, 24 * 60), .awaitingCallback: (1_840, 48 * 60),
    ]

    func passes(_ s: HotlineServices, now: Date) async throws -> Result {
        let open = try await SLAStore(database: s.database).clockedCount()
        let profile = PhaseProfile()
        let sweeper = SLASweeper(services: s, batch: batch, workers: workers, profile: profile)
        var passes: [Pass] = []
        for (label, at) in [("first pass", now), ("second pass", now.addingTimeInterval(1)), ("a minute later", now.addingTimeInterval(61))] {
            let clock = ContinuousClock()
            let started = clock.now
            let summary = try await sweeper.sweepOnce(at: at)
            let seconds = milliseconds(clock.now - started) / 1000
            FileHandle.standardError.write(Data(String(format: "%@: %.3f s — %@\n", label, seconds, summary.chineseText).utf8))
            passes.append(Pass(seconds: seconds, summary: summary))
            if passes.count == 1 {
                // Where the first pass's time went, step by step (the steps of a batch, summed over its batches).
                for (name, phase) in profile.phases {
                    FileHandle.standardError.write(Data(String(format: "    %-28@ %7.3f s\n", name as NSString, phase).utf8))
                }
            }
        }
        return Result(open: open, passes: passes)
    }
}

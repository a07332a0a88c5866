import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Logging

/// One database's benchmark: intake through the desk, a bulk load to the target size, then timed queries.
struct BenchRun {
    let name: String
    let location: DatabaseLocation
    let calendar: WorkingCalendar
    let options: Bench

    func run() async throws -> BenchResult {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        return try await HotlineServices.with(location, calendar: calendar, logger: logger) { try await measure($0) }
    }

    func measure(_ s: HotlineServices) async throws -> BenchResult {
        FileHandle.standardError.write(Data("== \(name)\n".utf8))
        _ = try await DemoSeeder(services: s).seed(orders: 0)
        let city = try DemoCity.bundled()
        let now = Date()
        let agent = Actor(userID: "agent", role: .agent, unit: "centre")
        let desk = HotlineApp(services: s).desk

        // Intake: each order is one transaction through the domain and storage.
        var generator = OrderGenerator(city: city, context: s.reference.context, seed: 7)
        let generatorAfterDrafts: OrderGenerator
        let drafts = (0..<options.intake).map { _ in generator.draft().0 }
        generatorAfterDrafts = generator
        let serialCount = min(2_000, options.intake / 4)
        let clock = ContinuousClock()
        let serialTime = try await clock.measure {
            for draft in drafts.prefix(serialCount) { _ = try await desk.intake(draft, by: agent, at: now) }
        }
        let rest = Array(drafts.dropFirst(serialCount))
        let streams = options.concurrency
        let concurrentTime = try await clock.measure {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for stream in 0..<streams {
                    group.addTask {
                        for index in stride(from: stream, to: rest.count, by: streams) { _ = try await desk.intake(rest[index], by: agent, at: now) }
                    }
                }
                try await group.waitForAll()
            }
        }
        progress("intake", options.intake, options.intake)

        // Bulk load: generated orders walked through the real lifecycle, spread over the past year.
        let toLoad = options.orders - options.intake
        let loadTime = try await clock.measure { try await Self.bulkLoad(s, count: toLoad, generator: generatorAfterDrafts, now: now) }
        if s.database.kind == .postgres {
            // What autovacuum does in a running system: set the visibility map so counts can be index-only.
            try await s.database.execute("VACUUM ANALYZE")
        }
        try await s.database.execute("ANALYZE")

        // Latency.
        var handling = OrderFilter()
        handling.statuses = [.handling]
        handling.unit = "dist-jiangcheng"
        var overdue = OrderFilter()
        overdue.overdue = true
        overdue.unit = "dept-hrss"
        let unitHandling = handling
        let unitOverdue = overdue
        let queries: [(String, @Sendable () async throws -> Void)] = [
            ("list: unit + status, first page and total", { _ = try await s.orders.list(unitHandling, page: PageRequest(), now: now) }),
            ("list: overdue for a unit, first page and total", { _ = try await s.orders.list(unitOverdue, page: PageRequest(sort: .due), now: now) }),
            ("list: all orders, newest first page and total", { _ = try await s.orders.list(OrderFilter(), page: PageRequest(), now: now) }),
            ("count: overdue orders per unit", { _ = try await s.orders.overdueCountsByUnit(now: now) }),
            ("read: one order with its events", {
                let number = OrderNumber(day: CivilDay(containing: now), sequence: 1)
                _ = try await s.orders.order(number)
                _ = try await s.orders.events(of: number)
            }),
        ]
        var latencies: [(String, Latency)] = []
        for (label, query) in queries {
            try await query()
            var samples: [Double] = []
            for _ in 0..<options.repeats { samples.append(milliseconds(try await clock.measure { try await query() })) }
            latencies.append((label, Latency(samples)))
        }
        return BenchResult(
            name: name,
            intakePerSecond: Double(rest.count) / max(milliseconds(concurrentTime) / 1000, 1e-9),
            intakeSerialPerSecond: Double(serialCount) / max(milliseconds(serialTime) / 1000, 1e-9),
            loadPerSecond: Double(toLoad) / max(milliseconds(loadTime) / 1000, 1e-9),
            stored: options.orders, latencies: latencies)
    }

    /// Stores `count` generated orders spread over the year before `now`, each walked through the real lifecycle
    /// to a stage that fits its age; the next batch is generated while the current one is written.
    static func bulkLoad(_ s: HotlineServices, count toLoad: Int, generator start: OrderGenerator, now: Date) async throws {
        let startDay = CivilDay(containing: now).adding(days: -366)
        let perDay = max(1, toLoad / 365 + 1)
        @Sendable func generate(_ range: Range<Int>, _ generator: OrderGenerator) throws -> ([Outcome], OrderGenerator) {
            var generator = generator
            let outcomes = try range.map { i in
                let day = startDay.adding(days: i / perDay)
                let at = day.at(minutes: 480 + (i % perDay) * 600 / perDay)
                let stage = generator.randomStage(ageDays: now.timeIntervalSince(at) / 86_400)
                return try generator.order(number: OrderNumber(day: day, sequence: i % perDay + 1), at: at, toward: stage, now: now)
            }
            return (outcomes, generator)
        }
        let batch = 2_000
        var loaded = 0
        var next: Task<([Outcome], OrderGenerator), any Error>? = toLoad > 0 ? Task { try generate(0..<min(batch, toLoad), start) } : nil
        while let pending = next {
            let (outcomes, advanced) = try await pending.value
            let end = loaded + outcomes.count
            next = end < toLoad ? Task { try generate(end..<min(end + batch, toLoad), advanced) } : nil
            try await s.orders.importOrders(outcomes)
            loaded = end
            progress("load  ", loaded, toLoad)
        }
    }
}

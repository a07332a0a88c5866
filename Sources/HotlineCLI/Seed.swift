import ArgumentParser
import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Synchronization

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Fill an empty database with the demo city (units, users, categories, orders).")
    @OptionGroup var db: DatabaseOptions
    @Flag(help: "Seed the demo city 江州市.") var demo = false
    @Option(help: "How many demo orders to generate.") var orders: Int = 300
    @Option(help: "Spread the orders over this many days before now.") var days: Int = 30
    @Option(help: "Spread the orders over this many years before now (instead of --days).") var years: Int?

    func validate() throws {
        guard demo else { throw ValidationError("only --demo seeding exists; pass --demo") }
        guard (0...10_000_000).contains(orders) else { throw ValidationError("--orders must be between 0 and 10000000") }
        guard days >= 1 else { throw ValidationError("--days must be at least 1") }
        if let years { guard (1...10).contains(years) else { throw ValidationError("--years must be between 1 and 10") } }
    }

    func run() async throws {
        let span = years.map { $0 * 365 } ?? days
        let summary = try await db.withServices(creating: true) { services in try await DemoSeed.run(services, orders: orders, days: span) }
        if summary.alreadySeeded { print("\(db.locationDescription) already holds data; nothing seeded") }
    }
}

enum DemoSeed {
    /// Seeds and prints a summary with a bar per status.
    static func run(_ services: HotlineServices, orders: Int, days: Int) async throws -> DemoSeeder.Summary {
        let started = Date()
        // The rate counts from the first batch of orders (the city's units, users and categories come before).
        let firstBatch = Mutex<(at: Date, done: Int)?>(nil)
        let summary = try await DemoSeeder(services: services).seed(orders: orders, days: days) { done, total in
            // Progress with the rate so far and the time left at that rate.
            let first = firstBatch.withLock { value in
                if value == nil { value = (Date(), done) }
                return value!
            }
            let elapsed = Date().timeIntervalSince(first.at)
            let rate = elapsed > 0 ? Double(done - first.done) / elapsed : 0
            let left = rate > 0 ? Double(total - done) / rate : 0
            FileHandle.standardError.write(Data(String(format: "\rseeding orders %d/%d  %.0f a second, %.0f s left   ", done, total, rate, left).utf8))
        }
        guard !summary.alreadySeeded else { return summary }
        FileHandle.standardError.write(Data("\n".utf8))
        say("seeded \(summary.units) units, \(summary.users) users, \(summary.categories) categories, \(summary.catalogueEntries) dispatch-catalogue entries, \(summary.orders) orders in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        say("knowledge base: \(summary.knowledgeEntries) published entries")
        say("reply scripts: \(summary.scripts)")
        say("expert seats: \(summary.expertSeats)")
        if let t = summary.training {
            say(String(format: "models trained in %.1f s on %d finished orders and %d knowledge entries: %d categories, %d detailed categories, %d units",
                       t.seconds, t.orders, t.knowledgeEntries, t.categoryLabels, t.detailedLabels, t.unitLabels))
        }
        let widest = max(1, summary.byStatus.values.max() ?? 1)
        for status in WorkOrderStatus.allCases {
            let n = summary.byStatus[status] ?? 0
            let label = status.chineseName.padding(toLength: 5, withPad: "　", startingAt: 0)
            say("  \(label) \(String(repeating: "█", count: n * 40 / widest)) \(n)")
        }
        return summary
    }
}

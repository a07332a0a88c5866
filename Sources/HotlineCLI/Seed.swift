import ArgumentParser
import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Fill an empty database with the demo city (units, users, categories, orders).")
    @OptionGroup var db: DatabaseOptions
    @Flag(help: "Seed the demo city 江州市.") var demo = false
    @Option(help: "How many demo orders to generate.") var orders: Int = 300
    @Option(help: "Spread the orders over this many days before now.") var days: Int = 30

    func validate() throws {
        guard demo else { throw ValidationError("only --demo seeding exists; pass --demo") }
        guard (0...1_000_000).contains(orders) else { throw ValidationError("--orders must be between 0 and 1000000") }
        guard days >= 1 else { throw ValidationError("--days must be at least 1") }
    }

    func run() async throws {
        let summary = try await db.withServices { services in try await DemoSeed.run(services, orders: orders, days: days) }
        if summary.alreadySeeded { print("\(db.locationDescription) already holds data; nothing seeded") }
    }
}

enum DemoSeed {
    /// Seeds and prints a summary with a bar per status.
    static func run(_ services: HotlineServices, orders: Int, days: Int) async throws -> DemoSeeder.Summary {
        let started = Date()
        let summary = try await DemoSeeder(services: services).seed(orders: orders, days: days) { done, total in
            FileHandle.standardError.write(Data("\rseeding orders \(done)/\(total)".utf8))
        }
        guard !summary.alreadySeeded else { return summary }
        FileHandle.standardError.write(Data("\n".utf8))
        say("seeded \(summary.units) units, \(summary.users) users, \(summary.categories) categories, \(summary.catalogueEntries) dispatch-catalogue entries, \(summary.orders) orders in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        say("knowledge base: \(summary.knowledgeEntries) published entries")
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

import ArgumentParser
import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage

/// `hotline bench-measures`: times every grouping of the measures (考评指标) and the month's ranking over one month and
/// one year ending at the newest order, on a database that already holds orders (e.g. `hotline bench-pages
/// --keep-database`'s file, or a seeded one). Every figure comes from the rollups, so the times should not grow with
/// the number of orders.
struct BenchMeasures: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-measures", abstract: "Time the measures and the ranking over a month and a year.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Runs of each query; the median and the slowest are printed.") var repeats: Int = 5

    func run() async throws {
        try await database.withServices { s in
            let insight = HotlineApp(services: s).insight
            let manager = Actor(userID: "manager", role: .manager)
            let (total, newest) = try await s.measures.orderSpan()
            let now = newest ?? Date()
            let today = CivilDay(containing: now)
            print("orders: \(total), newest accepted \(today), \(database.locationDescription)")
            func time(_ label: String, _ body: () async throws -> Int) async throws {
                var times: [Double] = []
                var rows = 0
                for _ in 0..<max(1, repeats) {
                    let start = ContinuousClock.now
                    rows = try await body()
                    let d = ContinuousClock.now - start
                    times.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
                }
                times.sort()
                print(label.padding(toLength: 22, withPad: " ", startingAt: 0) + String(format: "rows %5d   median %8.1f ms   max %8.1f ms", rows, times[times.count / 2], times.last!))
            }
            for (span, days) in [("month", 30), ("year", 365)] {
                for by in MeasureQuery.Grouping.allCases {
                    let q = MeasureQuery(from: today.adding(days: -(days - 1)), to: today, by: by)
                    try await time("\(span) by \(by.rawValue)") { try await insight.measures(q, for: manager, at: now).rows.count }
                }
            }
            try await time("ranking, this month") { try await insight.ranking(month: nil, for: manager, at: now).rows.count }
            try await time("ranking, last month") {
                try await insight.ranking(month: BenchPages.lastMonth(before: now), for: manager, at: now).rows.count
            }
        }
    }
}

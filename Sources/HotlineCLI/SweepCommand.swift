import ArgumentParser
import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage

/// `hotline sweep --once [--at ISO8601]`: one pass of the SLA sweeper (时限监控), with its summary.
struct Sweep: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the SLA sweeper: warnings, overdue marks, automatic urges and cards (serve runs it every minute).")
    @OptionGroup var db: DatabaseOptions
    @Flag(help: "Run one pass and exit (the only mode; serve runs the sweeper continuously).") var once = false
    @Option(help: "The pass's time (ISO 8601, e.g. 2025-02-05T09:00:00+08:00); defaults to now.") var at: String?

    func run() async throws {
        guard once else { throw ValidationError("hotline sweep runs one pass: give --once (serve runs the sweeper every minute)") }
        var now = Date()
        if let at {
            guard let parsed = ISOTime.parse(at) else { throw ValidationError("--at: expected an ISO 8601 time, e.g. 2025-02-05T09:00:00+08:00") }
            now = parsed
        }
        try await db.withServices { services in
            let started = ContinuousClock.now
            let summary = try await SLASweeper(services: services).sweepOnce(at: now)
            let elapsed = ContinuousClock.now - started
            print(summary.chineseText)
            print(String(format: "looked=%d warnings=%d overdue=%d urges=%d yellow_cards=%d red_cards=%d seconds=%.3f",
                         summary.looked, summary.warnings, summary.overdue, summary.urges, summary.yellowCards, summary.redCards,
                         Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        }
    }
}

import Foundation
import HotlineDomain
import HotlineText
import Testing

private typealias F = Fixtures

/// The simulated day (话务模拟): the same seed gives the same day; peaks where a city hotline has them; holidays and
/// weekends quieter; every call ends one way or the other; events in time order.
@Suite struct CallDaySimulationTests {
    static func run(_ day: String, calls: Int = 3_000, seats: Int = 58, seed: UInt64 = 7) -> (events: [CallEvent], summary: CallDaySimulation.Summary) {
        var settings = CallDaySimulation.Settings()
        settings.calls = calls
        settings.seats = seats
        var rng = SplitMix64(seed: seed)
        return CallDaySimulation(day: CivilDay(iso: day)!, calendar: F.calendar, settings: settings).run(using: &rng)
    }

    @Test func theSameSeedGivesTheSameDay() {
        let a = Self.run("2025-03-04"), b = Self.run("2025-03-04")
        #expect(a.summary == b.summary && a.events == b.events)
        #expect(Self.run("2025-03-04", seed: 8).summary != a.summary)
    }

    @Test func callsPeakInTheMorningAndAfternoonAndEveryCallEnds() {
        let (events, summary) = Self.run("2025-03-04")
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.at <= $1.at }, "in time order")
        #expect((2_700...3_300).contains(summary.offered), "\(summary.offered)")
        #expect(summary.answered + summary.abandoned == summary.offered)
        let perHalf = summary.perInterval.map(\.offered)
        #expect(perHalf[19] > 5 * perHalf[6], "09:30 is a peak, 03:00 is quiet: \(perHalf[19]) vs \(perHalf[6])")
        #expect(Double(perHalf[29]) > 1.3 * Double(perHalf[24]), "the afternoon peak after the lunch dip")
        let offered = Set(events.filter { if case .offered = $0.kind { true } else { false } }.compactMap(\.callID))
        let finished = Set(events.filter {
            switch $0.kind {
            case .ended, .abandoned: true
            default: false
            }
        }.compactMap(\.callID))
        #expect(offered == finished && offered.count == summary.offered)
        #expect(Set(events.map(\.id)).count == events.count, "event ids are unique")
        #expect(events.allSatisfy { (try? $0.validated()) != nil }, "every event passes the API's checks")
    }

    @Test func holidaysAndWeekendsAreQuieterAndTooFewSeatsMakeCallersHangUp() {
        let workday = Self.run("2025-03-04").summary.offered
        let saturday = Self.run("2025-03-08").summary.offered
        let holiday = Self.run("2025-10-02").summary.offered
        #expect(Double(saturday) < 0.8 * Double(workday) && Double(holiday) < 0.6 * Double(workday), "\(workday) \(saturday) \(holiday)")
        // A make-up working day (调休, a Sunday) counts as a working day.
        #expect(CallDaySimulation.dayFactor(CivilDay(iso: "2025-09-28")!, calendar: F.calendar).name == "调休上班")
        let thin = Self.run("2025-03-04", seats: 20).summary
        let full = Self.run("2025-03-04", seats: 58).summary
        #expect(thin.abandoned > 3 * max(1, full.abandoned) && thin.answeredWithin20 < full.answeredWithin20)
    }
}

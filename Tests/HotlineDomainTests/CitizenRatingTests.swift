import Foundation
import HotlineDomain
import Testing

private typealias F = Fixtures

/// 市民评价: the citizen rates once, after the loop closed; their word is the satisfaction measure's verdict, the callback's
/// record stays beside it; a low rating or an unsatisfied complaint is flagged for the supervisors like the callback's.
@Suite struct CitizenRatingTests {
    static let citizen = Actor(userID: "citizen", role: .citizen)

    static func closed(satisfaction: Satisfaction = .basicallySatisfied) throws -> WorkOrder {
        try F.step(try F.awaitingCallback(), .recordCallback(.reached(resolved: true, satisfaction: satisfaction, stars: nil, note: "")), by: F.callbackAgent)
    }

    static func rate(_ order: WorkOrder, _ satisfaction: Satisfaction, stars: Int? = nil, by actor: Actor = citizen) throws -> Outcome {
        try Lifecycle.apply(.rateByCitizen(satisfaction: satisfaction, stars: stars, comment: " 很快 "), to: order, by: actor, at: F.monday, in: F.context)
    }

    @Test func onlyAClosedOrderIsRatedAndOnlyOnce() throws {
        let waiting = try F.awaitingCallback()
        #expect(throws: LifecycleError.illegalTransition(action: .citizenRate, from: .awaitingCallback)) { try Self.rate(waiting, .satisfied) }
        let closed = try Self.closed()
        #expect(closed.status == .closed)
        let rated = try Self.rate(closed, .satisfied, stars: 5)
        #expect(rated.order.citizenRating == CitizenRating(satisfaction: .satisfied, stars: 5, comment: "很快", at: F.monday))
        #expect(rated.order.status == .closed && rated.events.map(\.kind) == [.citizenRated])
        #expect(rated.events[0].details == ["satisfaction": "satisfied", "stars": "5"] && rated.events[0].note == "很快")
        #expect(throws: LifecycleError.invalid(field: "satisfaction", message: "该工单已评价，不能重复评价")) { try Self.rate(rated.order, .unsatisfied) }
        #expect(throws: LifecycleError.invalid(field: "stars", message: "星级应为1至5")) { try Self.rate(closed, .satisfied, stars: 6) }
    }

    @Test func onlyACitizenRates() throws {
        let closed = try Self.closed()
        #expect(throws: LifecycleError.notPermitted(action: .citizenRate, role: .callbackAgent)) { try Self.rate(closed, .satisfied, by: F.callbackAgent) }
    }

    @Test func theCitizensWordIsTheSatisfactionVerdictAndTheCallbackStays() throws {
        let closed = try Self.closed(satisfaction: .basicallySatisfied)
        let before = MeasureFacts.counts(of: closed)
        #expect(before.rated == 1 && before.reached == 1 && before.basicallySatisfied == 1 && before.satisfied == 0)
        let rated = try Self.rate(closed, .unsatisfied).order
        let after = MeasureFacts.counts(of: rated)
        #expect(after.rated == 1 && after.reached == 1 && after.satisfied == 0 && after.basicallySatisfied == 0)
        #expect(rated.callback?.satisfaction == .basicallySatisfied, "the callback agent's record is kept")
        #expect(MeasureFigures(counts: after).satisfactionRate(weight: 1) == 0)
    }

    @Test func aDirectAnswerRatedByItsCitizenCounts() throws {
        let answered = try F.opened(F.draft(kind: .consultation, decision: .answerDirectly("请携带身份证到社保窗口办理。")))
        #expect(answered.status == .closed && MeasureFacts.counts(of: answered).rated == 0)
        let counts = MeasureFacts.counts(of: try Self.rate(answered, .satisfied).order)
        #expect(counts.rated == 1 && counts.satisfied == 1 && counts.reached == 0)
    }

    @Test func aLowRatingOfAComplaintIsFlaggedForTheSupervisors() throws {
        let closed = try Self.closed()
        let outcome = try Self.rate(closed, .unsatisfied, stars: 1)
        #expect(outcome.events.map(\.kind) == [.citizenRated, .supervisionFlagged])
        #expect(outcome.order.supervisionFlag?.rules == [.lowStars, .unsatisfiedComplaint])
    }
}

import Foundation
import HotlineDomain
import Testing

/// Each measure (考评指标) on hand-built orders: the expected figures are counted by hand from the orders below.
@Suite struct MeasureTests {
    typealias F = Fixtures
    static let at = F.monday
    static func hours(_ h: Double) -> Date { at.addingTimeInterval(h * 3600) }
    static func days(_ d: Double) -> Date { at.addingTimeInterval(d * 86_400) }

    static func dispatched(_ lead: UnitID = "dist-east") throws -> WorkOrder {
        try F.step(try F.opened(), .dispatch(lead: lead, assisting: [], note: nil), by: F.dispatcher)
    }
    static func signed(at time: Date) throws -> WorkOrder { try F.step(try dispatched(), .sign, by: F.eastStaff, at: time) }
    static func replied(at time: Date) throws -> WorkOrder {
        try F.step(try signed(at: hours(0.5)), .reply(text: "已更换灯泡。", attachments: []), by: F.eastStaff, at: time)
    }
    static func called(_ resolved: Bool, _ s: Satisfaction, replyAt: Date? = nil) throws -> WorkOrder {
        let passed = try F.step(try replied(at: replyAt ?? hours(1)), .passReview(note: nil), by: F.reviewer, at: hours(2))
        return try F.step(passed, .recordCallback(.reached(resolved: resolved, satisfaction: s, stars: nil, note: "")), by: F.callbackAgent, at: hours(3))
    }
    static func figures(_ orders: [WorkOrder], openOverdue: Int = 0) -> MeasureFigures {
        MeasureFigures(counts: orders.reduce(MeasureCounts()) { $0 + MeasureFacts.counts(of: $1) }, openOverdue: openOverdue)
    }

    @Test func responseRateIsSignedWithinTheSignLimitOverDispatched() throws {
        // Two signed within the hour, one a week late (past the one-working-day limit), one not signed yet: 2 / 4.
        let f = Self.figures([try Self.signed(at: Self.hours(1)), try Self.signed(at: Self.hours(2)), try Self.signed(at: Self.days(7)),
                              try Self.dispatched()])
        #expect(f.counts.dispatched == 4)
        #expect(f.counts.signedOnTime == 2)
        #expect(f.responseRate == 0.5)
    }

    @Test func resolutionRateIsResolvedOverReachedCallbacks() throws {
        // Reached: resolved, resolved, unresolved; one order still waiting for its callback is not reached: 2 / 3.
        let f = Self.figures([try Self.called(true, .satisfied), try Self.called(true, .basicallySatisfied), try Self.called(false, .unsatisfied),
                              try Self.replied(at: Self.hours(1))])
        #expect(f.counts.reached == 3)
        #expect(f.resolutionRate == 2.0 / 3.0)
    }

    @Test func satisfactionRateWeighsBasicallySatisfied() throws {
        // 满意 1, 基本满意 2, 不满意 1 of 4 reached: (1 + 2) / 4 by default, (1 + 0.5 × 2) / 4 with the weight 0.5.
        let f = Self.figures([try Self.called(true, .satisfied), try Self.called(true, .basicallySatisfied),
                              try Self.called(true, .basicallySatisfied), try Self.called(false, .unsatisfied)])
        #expect(f.satisfactionRate(weight: 1) == 0.75)
        #expect(f.satisfactionRate(weight: 0.5) == 0.5)
        #expect(f.satisfactionRate(weight: 0) == 0.25)
    }

    @Test func onTimeRateCountsFinishedOnTimeBothWays() throws {
        // Finished: two replied within the hour, one replied 60 days later (past any handling limit); open overdue: 1.
        let f = Self.figures([try Self.called(true, .satisfied), try Self.called(true, .satisfied),
                              try Self.called(true, .satisfied, replyAt: Self.days(60))], openOverdue: 1)
        #expect(f.counts.finished == 3)
        #expect(f.counts.finishedOnTime == 2)
        #expect(f.onTimeRate == 2.0 / 3.0)
        #expect(f.onTimeRateWithOpen == 0.5)
    }

    @Test func directAnswerRateIsAnsweredOnTheCallOverAccepted() throws {
        // Accepted: one answered directly, two dispatched; the refused order (不予受理) is not accepted: 1 / 3.
        let direct = try F.opened(F.draft(decision: .answerDirectly("按政策可以办理。")))
        let refused = try F.opened(F.draft(decision: .reject(.other, note: "不属于热线受理范围")))
        let f = Self.figures([direct, try Self.dispatched(), try Self.dispatched(), refused])
        #expect(f.counts.received == 4)
        #expect(f.counts.accepted == 3)
        #expect(f.directAnswerRate == 1.0 / 3.0)
    }

    @Test func repeatRateIsRepeatRequestsOverAccepted() throws {
        let earlier = OrderNumber(day: CivilDay(containing: Self.at), sequence: 7)
        let f = Self.figures([try F.opened(F.draft(repeatOf: earlier)), try F.opened(), try F.opened(), try F.opened()])
        #expect(f.repeatRate == 0.25)
    }

    @Test func returnRateIsReturnedOverDispatched() throws {
        let returned = try F.step(try Self.dispatched(), .returnOrder(reason: nil, evidence: "不属于本单位职责范围，应由住建部门办理。"), by: F.eastStaff,
                                  at: Self.hours(1))
        let redispatched = try F.step(returned, .redispatch(lead: "dist-west", assisting: [], note: nil), by: F.dispatcher, at: Self.hours(2))
        let f = Self.figures([redispatched, try Self.dispatched(), try Self.dispatched(), try Self.dispatched()])
        #expect(f.counts.returned == 1)
        #expect(f.returnRate == 0.25)
        // The re-dispatched order now counts under its new lead unit.
        #expect(MeasureFacts(redispatched).unit == "dist-west")
    }

    @Test func redoRateIsRedoneOverDispatched() throws {
        let unsatisfied = try Self.called(false, .unsatisfied)
        let redone = try F.step(unsatisfied, .redo(reason: "市民不满意，重新办理"), by: F.dispatcher, at: Self.hours(4))
        let f = Self.figures([redone, try Self.dispatched()])
        #expect(f.counts.redone == 1)
        #expect(f.redoRate == 0.5)
        // The redo starts a new round: its earlier callback no longer counts.
        #expect(f.counts.reached == 0)
    }

    @Test func unsatisfiedClosuresAreCounted() throws {
        let closed = try F.step(try Self.called(false, .unsatisfied), .closeUnsatisfied(reason: "诉求超出政策范围，已解释"), by: F.dispatcher, at: Self.hours(4))
        let f = Self.figures([closed, try Self.called(false, .unsatisfied), try Self.called(true, .satisfied)])
        #expect(f.counts.unsatisfiedClosed == 1)
        #expect(f.counts.finished == 2)
    }

    @Test func averageHandlingTimeIsInWorkingHours() throws {
        // Dispatched Monday 10:00. Replied 11:00: 1 working hour. Replied Tuesday 10:00: Monday 10–12 and 13–18 (7 h)
        // plus Tuesday 9–10 (1 h) = 8 working hours. Average (1 + 8) / 2 = 4.5.
        let f = Self.figures([try Self.replied(at: Self.hours(1)), try Self.replied(at: Self.hours(24)), try Self.dispatched()])
        #expect(f.counts.handled == 2)
        #expect(f.averageHandlingHours == 4.5)
    }

    @Test func ratesAreNilWithoutADenominator() {
        let f = MeasureFigures(counts: MeasureCounts())
        #expect(f.responseRate == nil && f.resolutionRate == nil && f.satisfactionRate(weight: 1) == nil && f.onTimeRate == nil)
        #expect(f.onTimeRateWithOpen == nil && f.directAnswerRate == nil && f.averageHandlingHours == nil)
        #expect(MeasureFigures(counts: MeasureCounts(), openOverdue: 2).onTimeRateWithOpen == 0)
    }

    @Test func mergedOrdersCountOnlyAsReceived() throws {
        var merged = try F.opened()
        merged.status = .merged
        merged.mergedInto = OrderNumber(day: CivilDay(containing: Self.at), sequence: 9)
        let counts = MeasureFacts.counts(of: merged)
        var expected = MeasureCounts()
        expected.received = 1
        #expect(counts == expected)
    }

    @Test func ordersCountOnTheirAcceptanceDay() throws {
        let order = try Self.called(true, .satisfied)
        #expect(MeasureFacts(order).day == CivilDay(iso: "2025-03-03"))
    }

    @Test func scoreIsTheWeightedMeanLessCardPenalties() {
        var c = MeasureCounts()
        c.dispatched = 4
        c.signedOnTime = 2  // response 0.5
        c.reached = 2
        c.rated = 2
        c.resolved = 2  // resolution 1
        c.satisfied = 1  // satisfaction 0.5
        c.finished = 2
        c.finishedOnTime = 2  // on time with open: 2 / (2 + 2) = 0.5
        let f = MeasureFigures(counts: c, openOverdue: 2)
        // (20 × 0.5 + 30 × 1 + 30 × 0.5 + 20 × 0.5) / 100 × 100 = 65; less one yellow (1) and one red (3) = 61.
        #expect(MeasureSettings.default.score(f, yellowCards: 1, redCards: 1) == 61)
        #expect(MeasureSettings.default.score(MeasureFigures(counts: MeasureCounts()), yellowCards: 0, redCards: 0) == nil)
    }

    @Test func settingsOutOfRangeAreRefusedNamingTheField() {
        #expect(MeasureSettings(basicSatisfactionWeight: 1.5).problem?.field == "basic_satisfaction_weight")
        #expect(MeasureSettings(responseWeight: 0, resolutionWeight: 0, satisfactionWeight: 0, onTimeWeight: 0).problem?.message == "各项权重不能全部为0")
        #expect(MeasureSettings.default.problem == nil)
    }
}

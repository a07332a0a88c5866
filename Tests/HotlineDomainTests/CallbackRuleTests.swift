import Foundation
import HotlineDomain
import Testing

private typealias F = Fixtures

/// The callback rule (回访规则): unanswered calls close the order only after enough tries on enough different days, and a
/// low score or an unsatisfied complaint puts the order under the supervisors' attention (督办关注).
@Suite struct CallbackRuleTests {
    static func context(_ rule: CallbackRule) -> LifecycleContext {
        var context = F.context
        context.callbackRule = rule
        return context
    }

    /// Records an unanswered call at each time, in order; returns the order and the last outcome's events.
    static func unanswered(at times: [String], rule: CallbackRule = .default, from start: WorkOrder? = nil) throws -> (WorkOrder, [WorkOrderEvent]) {
        var order = try start ?? F.awaitingCallback()
        var events: [WorkOrderEvent] = []
        for time in times {
            let outcome = try Lifecycle.apply(.recordCallback(.unreachable(note: "")), to: order, by: F.callbackAgent, at: F.time(time),
                                              in: context(rule))
            order = outcome.order
            events = outcome.events
        }
        return (order, events)
    }

    @Test func threeUnansweredCallsOnOneDayDoNotClose() throws {
        let (order, events) = try Self.unanswered(at: ["2025-03-03T09:00:00", "2025-03-03T14:00:00", "2025-03-03T17:30:00"])
        #expect(order.status == .awaitingCallback)
        #expect(order.timeline.closedAt == nil)
        #expect(order.callbackAttempts == 3)
        #expect(events.map(\.kind) == [.callbackUnreachable])
        #expect(events[0].details["attempts"] == "3")
        #expect(events[0].details["days"] == "1")
        #expect(order.callbackAttemptDays == ["2025-03-03", "2025-03-03", "2025-03-03"])
    }

    @Test func threeUnansweredCallsOnTwoDaysClose() throws {
        let (order, events) = try Self.unanswered(at: ["2025-03-03T09:00:00", "2025-03-03T14:00:00", "2025-03-04T09:00:00"])
        #expect(order.status == .closed)
        #expect(order.timeline.closedAt == F.time("2025-03-04T09:00:00"))
        #expect(events[0].details["attempts"] == "3")
        #expect(events[0].details["days"] == "2")
        #expect(events[0].note == "多次回访未接通")
    }

    @Test func twoCallsOnTwoDaysAreNotYetEnough() throws {
        let (order, _) = try Self.unanswered(at: ["2025-03-03T09:00:00", "2025-03-04T09:00:00"])
        #expect(order.status == .awaitingCallback)
    }

    /// The China calendar day counts: 23:30 and 00:30 China time are two days, though the UTC date is the same.
    @Test func daysAreChinaCalendarDays() throws {
        let (order, events) = try Self.unanswered(at: ["2025-03-03T22:00:00", "2025-03-03T23:30:00", "2025-03-04T00:30:00"])
        #expect(events[0].details["days"] == "2")
        #expect(order.status == .closed)
    }

    @Test(arguments: [
        // attempts, days, the calls' times, closes?
        (2, 1, ["2025-03-03T09:00:00", "2025-03-03T10:00:00"], true),
        (4, 2, ["2025-03-03T09:00:00", "2025-03-03T10:00:00", "2025-03-04T10:00:00"], false),
        (4, 2, ["2025-03-03T09:00:00", "2025-03-03T10:00:00", "2025-03-03T11:00:00", "2025-03-03T12:00:00"], false),
        (3, 3, ["2025-03-03T09:00:00", "2025-03-04T10:00:00", "2025-03-05T10:00:00"], true),
        (3, 3, ["2025-03-03T09:00:00", "2025-03-04T10:00:00", "2025-03-04T11:00:00"], false),
    ])
    func configuredRuleDecides(attempts: Int, days: Int, times: [String], closes: Bool) throws {
        let rule = CallbackRule(unreachableAttempts: attempts, unreachableDays: days)
        let (order, _) = try Self.unanswered(at: times, rule: rule)
        #expect((order.status == .closed) == closes)
    }

    /// A redo starts a new callback round: the earlier round's unanswered calls do not count again.
    @Test func aNewCallbackRoundCountsAfresh() throws {
        let (waiting, _) = try Self.unanswered(at: ["2025-03-03T09:00:00", "2025-03-04T09:00:00"])
        let disputed = try F.step(waiting, .recordCallback(.reached(resolved: false, satisfaction: .basicallySatisfied, stars: nil, note: "")),
                                  by: F.callbackAgent, at: F.time("2025-03-04T15:00:00"))
        var order = try F.step(disputed, .redo(reason: "仍未解决"), by: F.dispatcher, at: F.time("2025-03-04T16:00:00"))
        order = try F.step(order, .sign, by: F.eastStaff, at: F.time("2025-03-05T09:00:00"))
        order = try F.step(order, .reply(text: "已再次派人维修路灯，经现场核实路灯已恢复照明。", attachments: []), by: F.eastStaff,
                           at: F.time("2025-03-05T10:00:00"))
        order = try F.step(order, .passReview(note: nil), by: F.reviewer, at: F.time("2025-03-05T11:00:00"))
        #expect(order.callbackAttempts == 0)
        #expect(order.callbackAttemptDays == nil)
        let (after, events) = try Self.unanswered(at: ["2025-03-05T14:00:00"], from: order)
        #expect(after.status == .awaitingCallback, "one call of the new round, not the third overall")
        #expect(events[0].details["attempts"] == "1")
    }

    @Test(arguments: [1, 2])
    func lowStarsFlagSupervision(stars: Int) throws {
        let outcome = try Lifecycle.apply(.recordCallback(.reached(resolved: true, satisfaction: .basicallySatisfied, stars: stars, note: "")),
                                          to: try F.awaitingCallback(), by: F.callbackAgent, at: F.monday, in: F.context)
        #expect(outcome.order.status == .closed, "the verdict itself closes the loop")
        #expect(outcome.events.map(\.kind) == [.callbackRecorded, .supervisionFlagged])
        let flag = outcome.events[1]
        #expect(flag.actor == .system)
        #expect(flag.details["rule"] == "low_stars")
        #expect(flag.details["stars"] == String(stars))
        #expect(outcome.order.supervisionFlag == SupervisionFlag(rules: [.lowStars], at: F.monday))
    }

    @Test func anUnsatisfiedComplaintFlagsSupervision() throws {
        let outcome = try Lifecycle.apply(.recordCallback(.reached(resolved: true, satisfaction: .unsatisfied, stars: nil, note: "")),
                                          to: try F.awaitingCallback(), by: F.callbackAgent, at: F.monday, in: F.context)
        #expect(outcome.order.status == .callbackDisputed)
        #expect(outcome.events.map(\.kind) == [.callbackRecorded, .supervisionFlagged])
        #expect(outcome.events[1].details["rule"] == "unsatisfied_complaint")
        #expect(outcome.order.supervisionFlag?.rules == [.unsatisfiedComplaint])
    }

    @Test func bothRulesFireTogether() throws {
        let outcome = try Lifecycle.apply(.recordCallback(.reached(resolved: false, satisfaction: .unsatisfied, stars: 1, note: "")),
                                          to: try F.awaitingCallback(), by: F.callbackAgent, at: F.monday, in: F.context)
        #expect(outcome.events[1].details["rule"] == "low_stars,unsatisfied_complaint")
    }

    @Test(arguments: [
        (RequestKind.complaint, Satisfaction.satisfied, 3 as Int?),
        (.complaint, .basicallySatisfied, nil),
        (.complaint, .satisfied, 5),
        (.help, .unsatisfied, nil),
        (.help, .unsatisfied, 3),
    ])
    func otherVerdictsDoNotFlag(kind: RequestKind, satisfaction: Satisfaction, stars: Int?) throws {
        let waiting = try Self.awaitingCallback(kind: kind)
        let outcome = try Lifecycle.apply(.recordCallback(.reached(resolved: true, satisfaction: satisfaction, stars: stars, note: "")),
                                          to: waiting, by: F.callbackAgent, at: F.monday, in: F.context)
        #expect(!outcome.events.map(\.kind).contains(.supervisionFlagged))
        #expect(outcome.order.supervisionFlag == nil)
    }

    @Test func rulesTurnedOffDoNotFlag() throws {
        let rule = CallbackRule(superviseBelowStars: 0, superviseUnsatisfiedComplaints: false)
        let outcome = try Lifecycle.apply(.recordCallback(.reached(resolved: true, satisfaction: .unsatisfied, stars: 1, note: "")),
                                          to: try F.awaitingCallback(), by: F.callbackAgent, at: F.monday, in: Self.context(rule))
        #expect(outcome.order.supervisionFlag == nil)
        #expect(outcome.events.map(\.kind) == [.callbackRecorded])
    }

    @Test func aSupervisorAcknowledgesAFlaggedOrder() throws {
        let flagged = try F.step(try F.awaitingCallback(), .recordCallback(.reached(resolved: true, satisfaction: .satisfied, stars: 1, note: "")),
                                 by: F.callbackAgent)
        #expect(throws: LifecycleError.notPermitted(action: .acknowledgeSupervision, role: .dispatcher)) {
            try F.step(flagged, .acknowledgeSupervision(note: "已核实"), by: F.dispatcher)
        }
        #expect(throws: LifecycleError.invalid(field: "note", message: "不能为空")) {
            try F.step(flagged, .acknowledgeSupervision(note: " "), by: F.supervisor)
        }
        let outcome = try Lifecycle.apply(.acknowledgeSupervision(note: "已电话核实，市民对处理时长不满，不需督办"), to: flagged, by: F.supervisor,
                                          at: F.monday, in: F.context)
        #expect(outcome.order.supervisionFlag == nil)
        #expect(outcome.order.status == .closed)
        #expect(outcome.events.map(\.kind) == [.supervisionAcknowledged])
        #expect(throws: LifecycleError.illegalTransition(action: .acknowledgeSupervision, from: .closed)) {
            try F.step(outcome.order, .acknowledgeSupervision(note: "再次研判"), by: F.supervisor)
        }
    }

    /// An urge (or card, or escalation) is a supervisor acting on the order: it leaves the board.
    @Test func anUrgeEndsTheFlag() throws {
        let rule = CallbackRule(autoRedo: [.unsatisfied])
        let redone = try Lifecycle.apply(.recordCallback(.reached(resolved: true, satisfaction: .unsatisfied, stars: nil, note: "")),
                                         to: try F.awaitingCallback(), by: F.callbackAgent, at: F.monday, in: Self.context(rule)).order
        #expect(redone.status == .dispatched)
        #expect(redone.supervisionFlag != nil)
        let urged = try F.step(redone, .urge(note: "请尽快重新办理"), by: F.supervisor)
        #expect(urged.supervisionFlag == nil)
    }

    @Test func ruleStoredBeforeTheNewFieldsDecodesWithDefaults() throws {
        let old = try JSONDecoder().decode(CallbackRule.self, from: Data(#"{"autoRedo":["unresolved"]}"#.utf8))
        #expect(old == CallbackRule(autoRedo: [.unresolved]))
        #expect(old.unreachableAttempts == 3 && old.unreachableDays == 2 && old.superviseBelowStars == 2 && old.superviseUnsatisfiedComplaints)
    }

    static func awaitingCallback(kind: RequestKind) throws -> WorkOrder {
        var order = try F.opened(F.draft(kind: kind))
        order = try F.step(order, .dispatch(lead: "dist-east", assisting: [], note: nil), by: F.dispatcher)
        order = try F.step(order, .sign, by: F.eastStaff)
        order = try F.step(order, .reply(text: "已派人现场核实并处理完毕，问题已解决，已电话告知市民。", attachments: []), by: F.eastStaff)
        return try F.step(order, .passReview(note: nil), by: F.reviewer)
    }
}

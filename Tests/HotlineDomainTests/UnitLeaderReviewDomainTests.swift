import Foundation
import HotlineDomain
import Testing

/// 单位领导审核 as a rule of the state machine: who passes a staff reply on, what it sets, and what it leaves alone.
@Suite struct UnitLeaderReviewDomainTests {
    typealias F = Fixtures
    static let reviewing: LifecycleContext = {
        var c = F.context
        c.leaderReviewUnits = ["st-east-1"]
        return c
    }()
    static let streetAdmin = Actor(userID: "streetadmin", role: .unitAdmin, unit: "st-east-1")
    static let eastAdmin = Actor(userID: "eastadmin", role: .unitAdmin, unit: "dist-east")
    static let communityAdmin = Actor(userID: "commadmin", role: .unitAdmin, unit: "comm-east-1-1")
    static let westAdmin = Actor(userID: "westadmin", role: .unitAdmin, unit: "dist-west")
    static let streetStaff = Actor(userID: "street1", role: .unitStaff, unit: "st-east-1")

    func apply(_ order: WorkOrder, _ t: Transition, by actor: Actor, at now: Date = F.monday) throws -> Outcome {
        try Lifecycle.apply(t, to: order, by: actor, at: now, in: Self.reviewing)
    }

    /// An order the street leads, signed by its staff.
    func handling() throws -> WorkOrder {
        let dispatched = try apply(try F.opened(), .dispatch(lead: "st-east-1", assisting: [], note: nil), by: F.dispatcher).order
        return try apply(dispatched, .sign, by: Self.streetStaff).order
    }

    @Test func aStaffReplyWaitsWithoutAClockAndTheRoundIsLogged() throws {
        let later = F.time("2025-03-04T15:00:00")
        let outcome = try apply(try handling(), .reply(text: "已更换灯泡，路灯恢复照明。", attachments: []), by: Self.streetStaff, at: later)
        #expect(outcome.order.status == .unitReview && outcome.order.status.isOpen)
        #expect(!WorkOrderStatus.timed.contains(.unitReview))
        #expect(outcome.order.activeDeadline == nil && outcome.order.unitDeadline == nil && !outcome.order.isOverdue(at: .distantFuture))
        #expect(outcome.order.deadlines.reviewBy == nil)
        #expect(outcome.order.timeline.repliedAt == later, "the reply deadline is met when the staff member replied")
        #expect(outcome.events.map(\.kind) == [.replied] && outcome.events[0].toStatus == .unitReview)
        #expect(SLASweep.clocks(of: outcome.order, enteredStatusAt: later).isEmpty)
    }

    @Test func theUnitsAdminOrAnAdminAboveItPassesItOnWithAReviewDeadline() throws {
        let handling = try self.handling()
        let waiting = try apply(handling, .reply(text: "已更换灯泡。", attachments: []), by: Self.streetStaff).order
        let at = F.time("2025-03-05T09:00:00")
        // The review deadline a reply sent at that moment without the unit's review gets.
        let direct = try apply(handling, .reply(text: "已更换灯泡。", attachments: []), by: Self.streetAdmin, at: at).order.deadlines.reviewBy
        for admin in [Self.streetAdmin, Self.eastAdmin] {
            let passed = try apply(waiting, .passUnitReview(note: " 同意 "), by: admin, at: at)
            #expect(passed.order.status == .replied)
            #expect(passed.order.deadlines.reviewBy != nil && passed.order.deadlines.reviewBy == direct)
            #expect(passed.events.map(\.kind) == [.unitReviewPassed] && passed.events[0].note == "同意")
            #expect(passed.order.deadlines.replyBy == waiting.deadlines.replyBy)
        }
        for (actor, expected) in [(Self.communityAdmin, LifecycleError.wrongUnit(action: .passUnitReview)),
                                  (Self.westAdmin, .wrongUnit(action: .passUnitReview)),
                                  (Self.streetStaff, .notPermitted(action: .passUnitReview, role: .unitStaff)),
                                  (F.reviewer, .notPermitted(action: .passUnitReview, role: .reviewer))] {
            #expect(throws: expected, "\(actor.userID)") { try apply(waiting, .passUnitReview(note: nil), by: actor) }
        }
        #expect(throws: LifecycleError.illegalTransition(action: .passReview, from: .unitReview)) {
            try apply(waiting, .passReview(note: nil), by: F.reviewer)
        }
    }

    @Test func sendingBackKeepsTheDeadlineAndNeedsAReason() throws {
        let handling = try self.handling()
        let waiting = try apply(handling, .reply(text: "已更换灯泡。", attachments: []), by: Self.streetStaff).order
        #expect(throws: LifecycleError.invalid(field: "reason", message: "不能为空")) {
            try apply(waiting, .sendBackUnitReview(reason: "  "), by: Self.streetAdmin)
        }
        let back = try apply(waiting, .sendBackUnitReview(reason: "未写明联系市民情况"), by: Self.streetAdmin, at: F.time("2025-03-05T09:00:00"))
        #expect(back.order.status == .handling && back.order.deadlines.replyBy == handling.deadlines.replyBy)
        #expect(back.order.sentBackAt == F.time("2025-03-05T09:00:00"))
        #expect(back.events.map(\.kind) == [.unitReviewSentBack] && back.events[0].note == "未写明联系市民情况")
        #expect(NoticeRule.addressees(of: back.events[0], order: back.order) == [.unit("st-east-1")])
    }

    @Test func anAdminsOwnReplyAndUnitsWithoutTheSettingSkipTheStep() throws {
        let handling = try self.handling()
        #expect(try apply(handling, .reply(text: "已更换灯泡。", attachments: []), by: Self.streetAdmin).order.status == .replied)
        let east = try F.handling()
        #expect(try apply(east, .reply(text: "已更换灯泡。", attachments: []), by: F.eastStaff).order.status == .replied, "dist-east has no setting")
    }
}

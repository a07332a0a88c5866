import Foundation
import HotlineDomain
import Testing

private typealias F = Fixtures

/// The order's record stays complete and true: callbacks that fall short do not close the order, every reply round
/// is in the log, a merge keeps every caller, a pending extension does not vanish silently, and corrections of the
/// category are recorded.
@Suite struct RecordTruthTests {
    static func callback(_ outcome: CallbackOutcome, rule: CallbackRule = .default) throws -> Outcome {
        var context = F.context
        context.callbackRule = rule
        return try Lifecycle.apply(.recordCallback(outcome), to: try F.awaitingCallback(), by: F.callbackAgent, at: F.monday, in: context)
    }

    /// Each reached verdict and where it leaves the order under the default rule (the centre decides every shortfall).
    @Test(arguments: [
        (true, Satisfaction.satisfied, WorkOrderStatus.closed),
        (true, .basicallySatisfied, .closed),
        (true, .unsatisfied, .callbackDisputed),
        (false, .satisfied, .callbackDisputed),
        (false, .basicallySatisfied, .callbackDisputed),
        (false, .unsatisfied, .callbackDisputed),
    ])
    func callbackOutcomeDecidesWhetherTheLoopCloses(resolved: Bool, satisfaction: Satisfaction, status: WorkOrderStatus) throws {
        let outcome = try Self.callback(.reached(resolved: resolved, satisfaction: satisfaction, stars: 3, note: ""))
        #expect(outcome.order.status == status)
        #expect(outcome.order.callback?.stars == 3)
        #expect((outcome.order.timeline.closedAt != nil) == (status == .closed))
        // The fixture's order is a complaint: an unsatisfied caller also puts it under supervision (督办关注).
        #expect(outcome.events.map(\.kind) == (satisfaction == .unsatisfied ? [.callbackRecorded, .supervisionFlagged] : [.callbackRecorded]))
    }

    @Test func unreachableCallbackKeepsWaiting() throws {
        let outcome = try Self.callback(.unreachable(note: "无人接听"))
        #expect(outcome.order.status == .awaitingCallback)
        #expect(outcome.order.callback == nil)
        #expect(outcome.events.map(\.kind) == [.callbackUnreachable])
    }

    @Test func starsOutsideOneToFiveAreRefused() throws {
        #expect(throws: LifecycleError.invalid(field: "stars", message: "评分应为1到5星")) {
            try Self.callback(.reached(resolved: true, satisfaction: .satisfied, stars: 6, note: ""))
        }
    }

    @Test func ruleRedoesUnresolvedCallbacksAutomatically() throws {
        let rule = CallbackRule(autoRedo: [.unresolved])
        let unresolved = try Self.callback(.reached(resolved: false, satisfaction: .basicallySatisfied, stars: nil, note: ""), rule: rule)
        #expect(unresolved.order.status == .dispatched)
        #expect(unresolved.order.redoCount == 1)
        #expect(unresolved.events.map(\.kind) == [.callbackRecorded, .redone])
        #expect(unresolved.events[1].note == "回访未解决，按规则自动重办")
        // Unsatisfied but resolved is not covered by this rule: the centre decides.
        let unsatisfied = try Self.callback(.reached(resolved: true, satisfaction: .unsatisfied, stars: nil, note: ""), rule: rule)
        #expect(unsatisfied.order.status == .callbackDisputed)
    }

    @Test func centreClosesADisputedCallbackOnlyWithAReason() throws {
        let disputed = try Self.callback(.reached(resolved: false, satisfaction: .unsatisfied, stars: nil, note: "")).order
        #expect(throws: LifecycleError.invalid(field: "reason", message: "不能为空")) {
            try F.step(disputed, .closeUnsatisfied(reason: "  "), by: F.dispatcher)
        }
        #expect(throws: LifecycleError.notPermitted(action: .closeUnsatisfied, role: .callbackAgent)) {
            try F.step(disputed, .closeUnsatisfied(reason: "已解释政策"), by: F.callbackAgent)
        }
        let closed = try Lifecycle.apply(.closeUnsatisfied(reason: "诉求超出政策范围，已解释"), to: disputed, by: F.supervisor, at: F.monday, in: F.context)
        #expect(closed.order.status == .closed)
        #expect(closed.order.unsatisfiedClosure == "诉求超出政策范围，已解释")
        #expect(closed.events.map(\.kind) == [.closedUnsatisfied])
    }

    @Test func centreOrdersARedoOfADisputedCallback() throws {
        let disputed = try Self.callback(.reached(resolved: false, satisfaction: .unsatisfied, stars: nil, note: "")).order
        #expect(throws: LifecycleError.notPermitted(action: .redo, role: .callbackAgent), "the centre decides, not the callback agent") {
            try F.step(disputed, .redo(reason: "路灯仍不亮"), by: F.callbackAgent)
        }
        let redone = try F.step(disputed, .redo(reason: "路灯仍不亮"), by: F.dispatcher)
        #expect(redone.status == .dispatched)
        #expect(redone.redoCount == 1)
    }

    @Test func everyReplyRoundIsInTheLog() throws {
        let photo = AttachmentInfo(name: "现场.jpg", contentType: "image/jpeg", size: 10, sha256: String(repeating: "a", count: 64))
        let first = try Lifecycle.apply(.reply(text: "已安排维修。", attachments: [photo]), to: try F.handling(), by: F.eastStaff, at: F.monday, in: F.context)
        #expect(first.events.map(\.kind) == [.replied])
        #expect(first.events[0].note == "已安排维修。")
        #expect(ReplyRecord.attachments(in: first.events[0].details) == [photo])
        let back = try F.step(first.order, .sendBack(reason: "未说明修复时间"), by: F.reviewer)
        let second = try Lifecycle.apply(.reply(text: "已于3月4日更换灯泡。", attachments: []), to: back, by: F.eastStaff, at: F.monday, in: F.context)
        #expect(second.order.reply?.text == "已于3月4日更换灯泡。")
        #expect(second.events[0].note == "已于3月4日更换灯泡。")
    }

    @Test func replyWithdrawsAPendingExtensionWithAnEvent() throws {
        let asked = try F.step(try F.handling(), .requestExtension(workingDays: 3, reason: "需协调"), by: F.eastStaff)
        let outcome = try Lifecycle.apply(.reply(text: "已办结。", attachments: []), to: asked, by: F.eastStaff, at: F.monday, in: F.context)
        #expect(outcome.order.pendingExtension == nil)
        #expect(outcome.events.map(\.kind) == [.extensionWithdrawn, .replied])
    }

    @Test func mergeKeepsEveryCallerAndCarriesTheAnswer() throws {
        let target = try F.dispatched()
        var draft = F.draft()
        draft.caller = Caller(name: "李女士", phone: "13900001111")
        let duplicate = try Intake.open(draft, number: OrderNumber(day: CivilDay(iso: "2025-03-03")!, sequence: 2), earlier: nil,
                                        by: F.agent, at: F.monday, in: F.context).order
        let merged = try Lifecycle.merge(duplicate, into: target, by: F.dispatcher, at: F.monday, note: "同一路灯")
        #expect(merged.source.order.status == .merged)
        #expect(merged.source.order.timeline.closedAt == nil)
        #expect(merged.target.order.mergedCallers.map(\.caller.name) == ["李女士"])
        #expect(merged.target.order.mergedCallers.map(\.order) == [duplicate.number])

        var order = try F.step(merged.target.order, .sign, by: F.eastStaff)
        order = try F.step(order, .reply(text: "已更换灯泡。", attachments: []), by: F.eastStaff)
        let passed = try Lifecycle.apply(.passReview(note: nil), to: order, by: F.reviewer, at: F.monday, in: F.context)
        let carried = Lifecycle.carryAnswer(of: passed, to: [merged.source.order], by: F.reviewer, at: F.monday)
        #expect(carried.count == 1)
        #expect(carried[0].order.status == .awaitingCallback)
        #expect(carried[0].order.reply?.text == "已更换灯泡。")
        #expect(carried[0].events.map(\.kind) == [.mergedAnswer])
        // The merged caller gets their own callback.
        let called = try F.step(carried[0].order, .recordCallback(.reached(resolved: true, satisfaction: .satisfied, stars: 5, note: "")),
                                by: F.callbackAgent)
        #expect(called.status == .closed)
    }

    @Test func mergedOrderCannotBeArchivedBeforeItsAnswer() throws {
        let target = try F.dispatched()
        let duplicate = try Intake.open(F.draft(), number: OrderNumber(day: CivilDay(iso: "2025-03-03")!, sequence: 2), earlier: nil,
                                        by: F.agent, at: F.monday, in: F.context).order
        let merged = try Lifecycle.merge(duplicate, into: target, by: F.dispatcher, at: F.monday, note: nil)
        #expect(throws: LifecycleError.illegalTransition(action: .archive, from: .merged)) {
            try F.step(merged.source.order, .archive, by: F.dispatcher)
        }
    }

    @Test func reclassifyRecordsTheCorrection() throws {
        let outcome = try Lifecycle.apply(.reclassify(categoryCode: "02", reason: "实为社保问题"), to: try F.opened(), by: F.agent, at: F.monday, in: F.context)
        #expect(outcome.order.categoryCode == "02")
        #expect(outcome.events.map(\.kind) == [.reclassified])
        #expect(outcome.events[0].details == ["from": "01.01", "to": "02"])
        #expect(outcome.events[0].note == "实为社保问题")
    }

    @Test func agentsReclassifyOnlyBeforeDispatchDispatchersAfter() throws {
        let dispatched = try F.dispatched()
        #expect(throws: LifecycleError.illegalTransition(action: .reclassify, from: .dispatched)) {
            try F.step(dispatched, .reclassify(categoryCode: "02", reason: "x"), by: F.agent)
        }
        #expect(try F.step(dispatched, .reclassify(categoryCode: "02", reason: "x"), by: F.dispatcher).categoryCode == "02")
        #expect(throws: LifecycleError.unknownCategory("99")) { try F.step(dispatched, .reclassify(categoryCode: "99", reason: "x"), by: F.dispatcher) }
        #expect(throws: LifecycleError.notPermitted(action: .reclassify, role: .unitStaff)) {
            try F.step(dispatched, .reclassify(categoryCode: "02", reason: "x"), by: F.eastStaff)
        }
    }
}

import Foundation
import HotlineDomain
import Testing

/// What a citizen who wrote in through a channel is told (进度告知, ``CitizenNotice``): each step in plain Chinese with
/// the order number, and nothing internal.
@Suite struct ChannelCitizenNoticeTests {
    typealias F = Fixtures
    static let names: [UnitID: String] = ["dist-east": "东区人民政府"]
    /// Staff names, ids and notes that must never reach a citizen.
    static let internals = ["agent1", "disp1", "east1", "rev1", "cb1", "派单员", "内部备注", "请东区今天内处理", "审核意见"]

    func draft(_ channel: Channel = .sms, decision: IntakeDecision = .accept) -> IntakeDraft {
        var d = F.draft(decision: decision)
        d.channel = channel
        return d
    }

    /// Applies `t` and returns the texts its events tell the citizen.
    func told(_ order: WorkOrder, _ t: Transition, by actor: Actor) throws -> (WorkOrder, [String]) {
        let outcome = try Lifecycle.apply(t, to: order, by: actor, at: F.monday, in: F.context)
        return (outcome.order, Self.texts(outcome))
    }

    static func texts(_ outcome: Outcome) -> [String] {
        outcome.events.compactMap { CitizenNotice.text(for: $0, of: outcome.order, among: outcome.events, unitName: { names[$0] }) }
    }

    func opened(_ channel: Channel = .sms, decision: IntakeDecision = .accept) throws -> Outcome {
        try Intake.open(draft(channel, decision: decision), number: OrderNumber(day: CivilDay(containing: F.monday), sequence: 7), earlier: nil,
                        by: F.agent, at: F.monday, in: F.context)
    }

    @Test func theWholeLoopTellsAcceptedDispatchedAnsweredAndClosedWithNothingInternal() throws {
        let intake = try opened()
        var order = intake.order
        var all = Self.texts(intake)
        #expect(all == ["【12345】您的诉求已受理，工单号\(order.number)。我们将尽快转交有关单位办理，办理进展将通过本渠道告知您。"])
        var texts: [String]
        (order, texts) = try told(order, .dispatch(lead: "dist-east", assisting: [], note: "请东区今天内处理"), by: F.dispatcher)
        #expect(texts == ["【12345】您的诉求（工单号\(order.number)）已转交东区人民政府办理。"])
        all += texts
        (order, texts) = try told(order, .sign, by: F.eastStaff)
        #expect(texts.isEmpty, "signing tells the citizen nothing")
        (order, texts) = try told(order, .reply(text: "已更换路灯灯泡，恢复照明。", attachments: []), by: F.eastStaff)
        #expect(texts.isEmpty, "a reply is told only once the centre's review passes it")
        (order, texts) = try told(order, .passReview(note: "审核意见：答复完整"), by: F.reviewer)
        #expect(texts == ["【12345】您的诉求（工单号\(order.number)）答复如下：已更换路灯灯泡，恢复照明。"])
        all += texts
        (order, texts) = try told(order, .recordCallback(.reached(resolved: true, satisfaction: .satisfied, stars: 5, note: "内部备注")), by: F.callbackAgent)
        #expect(order.status == .closed)
        #expect(texts == ["【12345】您的工单\(order.number)已办结，感谢您对12345热线的信任。"])
        all += texts
        for text in all { for word in Self.internals { #expect(!text.contains(word), "\(text) contains \(word)") } }
    }

    @Test func aRefusalTellsTheReasonInTheCitizensWordsAndNotTheNote() throws {
        let intake = try opened(decision: .reject(.emergencyFire, note: "内部备注：来电人情绪激动"))
        #expect(Self.texts(intake) == ["【12345】您的诉求（工单号\(intake.order.number)）不予受理：您反映的情况属于紧急事项，请立即拨打119。"],
                "only the refusal, not an acceptance first")
        let later = try opened()
        let (_, texts) = try told(later.order, .reject(reason: .other, note: "内部备注：重复骚扰"), by: F.dispatcher)
        #expect(texts == ["【12345】您的诉求（工单号\(later.order.number)）不予受理：该事项不属于12345热线受理范围。"])
    }

    @Test func aDirectAnswerIsTheOnlyNotice() throws {
        let intake = try opened(decision: .answerDirectly("社保卡可在任一网点补办。"))
        #expect(Self.texts(intake) == ["【12345】您的诉求（工单号\(intake.order.number)）答复如下：社保卡可在任一网点补办。"])
    }

    @Test func weChatsAcceptanceIsInItsPassiveReplySoOnlyLaterStepsAreSent() throws {
        let intake = try opened(.wechat)
        #expect(Self.texts(intake).isEmpty)
        let (_, texts) = try told(intake.order, .dispatch(lead: "dist-east", assisting: [], note: nil), by: F.dispatcher)
        #expect(texts.count == 1)
    }

    @Test func onlyTheTellingKindsTellAnything() throws {
        let order = try F.awaitingCallback()
        for kind in EventKind.allCases where !CitizenNotice.kinds.contains(kind) {
            let event = WorkOrderEvent(kind: kind, actor: F.supervisor, at: F.monday, fromStatus: .handling, toStatus: .closed, note: "内部备注")
            #expect(CitizenNotice.text(for: event, of: order, among: [event], unitName: { _ in "东区" }) == nil, "\(kind)")
        }
    }
}

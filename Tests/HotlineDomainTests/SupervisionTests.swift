import Foundation
import HotlineDomain
import Testing

/// 督办: urges, cards and escalation are overlays. They never change the status, each is an event, and cards
/// follow the rules: yellow for an overdue, redone or urged order, red only after yellow.
@Suite struct SupervisionTests {
    typealias F = Fixtures

    func apply(_ order: WorkOrder, _ t: Transition, by actor: Actor = F.supervisor, at now: Date = F.monday) throws -> Outcome {
        try Lifecycle.apply(t, to: order, by: actor, at: now, in: F.context)
    }

    @Test func anUrgeIsRecordedWithoutChangingTheStatus() throws {
        let handling = try F.handling()
        let urged = try apply(handling, .urge(note: "请今天内联系市民"))
        #expect(urged.order.status == .handling)
        #expect(urged.order.supervision?.urges == 1)
        #expect(urged.events.map(\.kind) == [.urged])
        #expect(urged.events[0].fromStatus == .handling && urged.events[0].toStatus == .handling)
        #expect(urged.events[0].details["unit"] == "dist-east")
        #expect(throws: LifecycleError.invalid(field: "note", message: "不能为空")) { try apply(handling, .urge(note: "  ")) }
        #expect(throws: LifecycleError.illegalTransition(action: .urge, from: .pendingDispatch)) { try apply(try F.opened(), .urge(note: "x")) }
    }

    @Test func aYellowCardNeedsCauseAndARedCardFollowsAYellowOne() throws {
        let handling = try F.handling()
        // On time, never urged, never redone: no card yet.
        #expect(throws: LifecycleError.cardNotWarranted(.yellow)) { try apply(handling, .issueCard(colour: .yellow, reason: "x")) }
        #expect(throws: LifecycleError.cardNotWarranted(.red)) { try apply(handling, .issueCard(colour: .red, reason: "x")) }
        // Overdue is cause enough.
        let late = try #require(handling.deadlines.replyBy).addingTimeInterval(3600)
        let yellow = try apply(handling, .issueCard(colour: .yellow, reason: "超期未办结"), at: late)
        #expect(yellow.events.map(\.kind) == [.yellowCard])
        #expect(yellow.order.supervision?.yellowCards == 1)
        let red = try apply(yellow.order, .issueCard(colour: .red, reason: "黄牌后仍未办结"), at: late)
        #expect(red.events.map(\.kind) == [.redCard])
        #expect(red.order.supervision == Supervision(urges: 0, yellowCards: 1, redCards: 1, lastAt: late))
        #expect(red.order.status == .handling)
        // An urge is also cause for yellow.
        let urged = try apply(handling, .urge(note: "请加快")).order
        #expect(try apply(urged, .issueCard(colour: .yellow, reason: "催办后无进展")).order.supervision?.yellowCards == 1)
        #expect(throws: LifecycleError.invalid(field: "reason", message: "不能为空")) { try apply(urged, .issueCard(colour: .yellow, reason: "")) }
    }

    @Test func escalationHappensOnceAndOnlyOnOpenOrders() throws {
        let escalated = try apply(try F.handling(), .escalate(reason: "群众反映强烈"))
        #expect(escalated.order.escalated)
        #expect(escalated.events.map(\.kind) == [.escalated])
        #expect(throws: LifecycleError.alreadyEscalated) { try apply(escalated.order, .escalate(reason: "再次")) }
        #expect(try apply(try F.opened(), .escalate(reason: "涉及多个部门")).order.status == .pendingDispatch)
        let closed = try F.step(try F.awaitingCallback(), .close(note: "市民不需回访"), by: F.callbackAgent)
        #expect(throws: LifecycleError.illegalTransition(action: .escalate, from: .closed)) { try apply(closed, .escalate(reason: "x")) }
    }

    @Test func onlySupervisorsSupervise() throws {
        let handling = try F.handling()
        for actor in [F.dispatcher, F.eastStaff, F.reviewer, F.callbackAgent, F.agent] {
            #expect(throws: LifecycleError.notPermitted(action: .urge, role: actor.role)) { try apply(handling, .urge(note: "x"), by: actor) }
            #expect(throws: LifecycleError.notPermitted(action: .issueCard, role: actor.role)) {
                try apply(handling, .issueCard(colour: .yellow, reason: "x"), by: actor)
            }
            #expect(throws: LifecycleError.notPermitted(action: .escalate, role: actor.role)) { try apply(handling, .escalate(reason: "x"), by: actor) }
        }
    }

    @Test func ordersStoredBeforeSupervisionExistedStillDecode() throws {
        let order = try F.handling()
        var object = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(order)) as? [String: Any])
        object.removeValue(forKey: "supervision")
        let decoded = try JSONDecoder().decode(WorkOrder.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(decoded.supervision == nil)
        #expect(decoded == order)
    }
}

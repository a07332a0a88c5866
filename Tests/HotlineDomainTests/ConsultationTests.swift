import Foundation
import HotlineDomain
import Testing

/// 提级规则 and 会商: the system escalates by the configured rule, naming it; a joint consultation on an escalated order
/// dispatches it as decided, and is refused with nothing changed everywhere else.
@Suite struct ConsultationTests {
    typealias F = Fixtures

    static func context(_ rule: EscalationRule) -> LifecycleContext {
        var c = F.context
        c.escalationRule = rule
        return c
    }

    /// Redoes an order after a disputed callback `rounds` times under `rule`; the last outcome.
    func redo(_ rounds: Int, rule: EscalationRule) throws -> Outcome {
        let ctx = Self.context(rule)
        var order = try F.awaitingCallback()
        var last: Outcome?
        for round in 1...rounds {
            if round > 1 {
                order = try Lifecycle.apply(.sign, to: order, by: F.eastStaff, at: F.monday, in: ctx).order
                order = try Lifecycle.apply(.reply(text: "再次维修", attachments: []), to: order, by: F.eastStaff, at: F.monday, in: ctx).order
                order = try Lifecycle.apply(.passReview(note: nil), to: order, by: F.reviewer, at: F.monday, in: ctx).order
            }
            let outcome = try Lifecycle.apply(.redo(reason: "市民反映仍未解决"), to: order, by: F.supervisor, at: F.monday, in: ctx)
            order = outcome.order
            last = outcome
        }
        return try #require(last)
    }

    @Test(arguments: [(2, [false, true, true]), (3, [false, false, true]), (0, [false, false, false])])
    func redosEscalateAtTheConfiguredRound(rounds: Int, expected: [Bool]) throws {
        let rule = EscalationRule(redoRounds: rounds, returningUnits: 3)
        let seen = try (1...3).map { try redo($0, rule: rule).order.escalated }
        #expect(seen == expected)
        if rounds > 0 {
            let fired = try redo(rounds, rule: rule)
            let event = try #require(fired.events.first { $0.kind == .escalated })
            #expect(event.details["rule"] == "redo_rounds_\(rounds)")
            #expect(event.details["redo_count"] == String(rounds))
            #expect(try redo(rounds + 1, rule: rule).events.map(\.kind) == [.redone], "at most once")
        }
    }

    @Test func returnsEscalateAtTheConfiguredNumberOfUnits() throws {
        for (units, expected) in [(2, [false, true]), (0, [false, false])] {
            let ctx = Self.context(EscalationRule(redoRounds: 2, returningUnits: units))
            var order = try F.dispatched()
            var seen: [Bool] = []
            for (lead, actor) in [("dist-west", F.westStaff), ("dist-east", F.eastStaff)] {
                if order.leadUnit != actor.unit {
                    order = try Lifecycle.apply(.redispatch(lead: lead, assisting: [], note: nil), to: order, by: F.dispatcher, at: F.monday, in: ctx).order
                }
                let outcome = try Lifecycle.apply(.returnOrder(reason: "not_our_duty", evidence: "不属于本单位职责"), to: order, by: actor, at: F.monday, in: ctx)
                order = outcome.order
                seen.append(order.escalated)
                if let e = outcome.events.first(where: { $0.kind == .escalated }) { #expect(e.details["rule"] == "returning_units_\(units)") }
            }
            #expect(seen == expected, "returning_units \(units)")
        }
    }

    @Test func theRuleRefusesOutOfRangeNumbersNamingTheField() {
        #expect(throws: LifecycleError.self) { try EscalationRule(redoRounds: -1, returningUnits: 3).validated() }
        do {
            _ = try EscalationRule(redoRounds: 2, returningUnits: 21).validated()
            Issue.record("accepted 21")
        } catch {
            guard case .invalid(let field, _) = error else { Issue.record("\(error)"); return }
            #expect(field == "returning_units")
        }
        #expect(EscalationRule(redoRounds: 0, returningUnits: 0).description.contains("不自动提级"))
    }

    static let decision = ConsultationInput(
        units: ["dist-east", "dept-housing", "dist-west"], meetingAt: F.monday, leadUnit: "dept-housing", assistingUnits: ["dist-east"],
        dueBy: CivilDay(iso: "2025-03-07")!, decision: "由市住建局牵头维修，东区配合")

    func escalated() throws -> WorkOrder {
        try F.step(try F.handling(), .escalate(reason: "多部门职责交叉"), by: F.supervisor)
    }

    @Test func aConsultationDispatchesTheOrderAsDecided() throws {
        let order = try escalated()
        #expect(order.awaitsCoordination)
        let outcome = try Lifecycle.apply(.consult(Self.decision), to: order, by: F.dispatcher, at: F.monday.addingTimeInterval(600), in: F.context)
        let o = outcome.order
        #expect(o.status == .dispatched && o.leadUnit == "dept-housing" && o.assistingUnits == ["dist-east"])
        #expect(o.deadlines.replyBy == CivilDay(iso: "2025-03-08")!.start.addingTimeInterval(-1))
        #expect(o.deadlines.signBy != nil && o.timeline.signedAt == nil)
        #expect(!o.awaitsCoordination)
        #expect(o.consultation?.decision == "由市住建局牵头维修，东区配合")
        let event = try #require(outcome.events.first)
        #expect(outcome.events.map(\.kind) == [.consulted])
        #expect(event.details["units"] == "dist-east,dept-housing,dist-west")
        #expect(event.details["lead_unit"] == "dept-housing" && event.details["assisting_units"] == "dist-east")
        #expect(event.details["due_by"] == "2025-03-07" && event.details["meeting_at"] == F.monday.chinaISO8601)
        #expect(event.note == "由市住建局牵头维修，东区配合")
        #expect(NoticeRule.addressees(of: event, order: o) == [.unit("dept-housing"), .unit("dist-east")])
        // The meeting settled who leads: the lead unit may not return it.
        let signed = try F.step(o, .sign, by: Actor(userID: "h1", role: .unitStaff, unit: "dept-housing"), at: F.monday.addingTimeInterval(900))
        #expect(throws: LifecycleError.self) {
            try F.step(signed, .returnOrder(reason: "not_our_duty", evidence: "不属于本单位职责"), by: Actor(userID: "h1", role: .unitStaff, unit: "dept-housing"),
                       at: F.monday.addingTimeInterval(960))
        }
        #expect(throws: LifecycleError.alreadyConsulted) { try F.step(o, .consult(Self.decision), by: F.supervisor, at: F.monday.addingTimeInterval(700)) }
    }

    @Test func aConsultationIsRefusedWhereItDoesNotApply() throws {
        #expect(throws: LifecycleError.notEscalated) { try F.step(try F.handling(), .consult(Self.decision), by: F.supervisor) }
        let closed = try F.step(try F.awaitingCallback(), .close(note: "市民不需要回访"), by: F.callbackAgent)
        #expect(throws: LifecycleError.illegalTransition(action: .consult, from: .closed)) { try F.step(closed, .consult(Self.decision), by: F.supervisor) }
        let order = try escalated()
        #expect(throws: LifecycleError.notPermitted(action: .consult, role: .unitStaff)) { try F.step(order, .consult(Self.decision), by: F.eastStaff) }
        #expect(throws: LifecycleError.notPermitted(action: .consult, role: .agent)) { try F.step(order, .consult(Self.decision), by: F.agent) }
        func field(_ change: (inout ConsultationInput) -> Void) -> String? {
            var input = Self.decision
            change(&input)
            do {
                _ = try F.step(order, .consult(input), by: F.supervisor)
                return nil
            } catch let error as LifecycleError {
                if case .invalid(let field, _) = error { return field }
                return "\(error)"
            } catch {
                return "\(error)"
            }
        }
        #expect(field { $0.units = ["dist-east"] } == "units")
        #expect(field { $0.units = ["dist-east", "no-such-unit"] } == "units")
        #expect(field { $0.leadUnit = "dist-west"; $0.units = ["dist-east", "dept-housing"] } == "lead_unit")
        #expect(field { $0.assistingUnits = ["st-east-1"] } == "assisting_units")
        #expect(field { $0.meetingAt = F.monday.addingTimeInterval(3600) } == "meeting_at")
        #expect(field { $0.dueBy = CivilDay(iso: "2025-03-02")! } == "due_by")
        #expect(field { $0.dueBy = CivilDay(iso: "2025-03-08")! } == "due_by", "a Saturday")
        #expect(field { $0.decision = "  " } == "decision")
        #expect(field { _ in } == nil)
    }
}

import Foundation
import HotlineDomain
import Testing

/// Who an event tells (消息提醒), as a rule of the domain.
@Suite struct NoticeRuleTests {
    func event(_ kind: EventKind, _ details: [String: String] = [:], to status: WorkOrderStatus = .handling) -> WorkOrderEvent {
        WorkOrderEvent(kind: kind, actor: Fixtures.supervisor, at: Fixtures.monday, fromStatus: .handling, toStatus: status, details: details)
    }

    /// An order the east district passed to its street, which replied.
    func repliedByTheStreet() throws -> WorkOrder {
        var order = try Fixtures.step(try Fixtures.dispatched(), .sign, by: Fixtures.eastStaff)
        order = try Fixtures.step(order, .subDispatch(unit: "st-east-1", note: nil), by: Fixtures.eastStaff)
        return try Fixtures.step(order, .reply(text: "已修复", attachments: []), by: Fixtures.streetStaff)
    }

    @Test func onlyTheNotifyingKindsHaveAddressees() throws {
        let order = try repliedByTheStreet()
        let details = ["unit": "dist-east", "lead_unit": "dist-east", "from": "dist-east"]
        for kind in EventKind.allCases {
            // A reply tells someone only when it waits for the unit's own review (待单位审核).
            let addressees = NoticeRule.addressees(of: event(kind, details, to: kind == .replied ? .unitReview : .handling), order: order)
            #expect(addressees.isEmpty != NoticeRule.kinds.contains(kind), "\(kind)")
        }
    }

    @Test func eachAddresseeOnce() throws {
        let dispatched = try Fixtures.dispatched()
        #expect(NoticeRule.addressees(of: event(.dispatched, ["lead_unit": "dist-east", "assisting_units": "dist-west,dist-east"]), order: dispatched)
            == [.unit("dist-east"), .unit("dist-west")])
        var replied = try Fixtures.step(dispatched, .sign, by: Fixtures.eastStaff)
        replied = try Fixtures.step(replied, .reply(text: "已修复", attachments: []), by: Fixtures.eastStaff)
        #expect(NoticeRule.addressees(of: event(.sentBack), order: replied) == [.unit("dist-east")], "the lead unit replied itself")
        #expect(NoticeRule.addressees(of: event(.sentBack), order: try repliedByTheStreet()) == [.unit("dist-east"), .unit("st-east-1")])
        #expect(NoticeRule.addressees(of: event(.returned, ["unit": "dist-east"]), order: dispatched) == [.role(.dispatcher)])
        #expect(Set(NoticeRule.addressees(of: event(.extensionRequested), order: dispatched)) == [.role(.dispatcher), .role(.supervisor)],
                "those who may decide an extension at the centre")
        #expect(NoticeRule.addressees(of: event(.escalated), order: try Fixtures.opened()).isEmpty, "an escalation before dispatch concerns no unit")
        #expect(NoticeRule.addressees(of: event(.replied, to: .replied), order: replied).isEmpty, "a reply to the centre's review tells no one")
        #expect(NoticeRule.addressees(of: event(.replied, to: .unitReview), order: try repliedByTheStreet()) == [.unitAdmins("dist-east")],
                "a reply waiting for the unit's review tells the lead unit's admins")
        #expect(NoticeRule.addressees(of: event(.unitReviewSentBack), order: try repliedByTheStreet()) == [.unit("dist-east"), .unit("st-east-1")])
    }
}

import Foundation
import HotlineDomain
import HotlineResources

/// A small city and a fixed clock for domain tests.
enum Fixtures {
    static let calendar = try! BundledData.workingCalendar()

    /// Monday 2025-03-03 10:00 China time: an ordinary working morning.
    static let monday = time("2025-03-03T10:00:00")

    static func time(_ text: String) -> Date {
        let parts = text.split(separator: "T")
        let day = CivilDay(iso: parts[0])!
        let hms = parts[1].split(separator: ":").map { Int($0)! }
        return day.at(minutes: hms[0] * 60 + hms[1]).addingTimeInterval(TimeInterval(hms[2]))
    }

    static let units = UnitHierarchy(parents: [
        "centre": nil, "dept-housing": nil, "dist-east": nil, "st-east-1": "dist-east", "comm-east-1-1": "st-east-1", "dist-west": nil,
    ])

    static let context = LifecycleContext(calendar: calendar, units: units, categories: ["01", "01.01", "01.01.01", "02"])

    static let agent = Actor(userID: "agent1", role: .agent)
    static let dispatcher = Actor(userID: "disp1", role: .dispatcher)
    static let eastStaff = Actor(userID: "east1", role: .unitStaff, unit: "dist-east")
    static let westStaff = Actor(userID: "west1", role: .unitStaff, unit: "dist-west")
    static let streetStaff = Actor(userID: "street1", role: .unitStaff, unit: "st-east-1")
    static let reviewer = Actor(userID: "rev1", role: .reviewer)
    static let callbackAgent = Actor(userID: "cb1", role: .callbackAgent)
    static let supervisor = Actor(userID: "sup1", role: .supervisor)

    static func draft(kind: RequestKind = .complaint, lanes: [Lane] = [], decision: IntakeDecision = .accept, repeatOf: OrderNumber? = nil) -> IntakeDraft {
        IntakeDraft(
            channel: .phone, caller: Caller(name: "张先生", phone: "13812345678"), kind: kind, categoryCode: "01.01",
            title: "小区路灯不亮", content: "东区幸福路12号小区路灯已经坏了一周，晚上出行不便。",
            location: Location(address: "幸福路12号", district: "东区"), lanes: lanes, repeatOf: repeatOf, decision: decision)
    }

    static func opened(_ draft: IntakeDraft = draft(), at now: Date = monday) throws -> WorkOrder {
        try Intake.open(draft, number: OrderNumber(day: CivilDay(containing: now), sequence: 1), earlier: nil, by: agent, at: now, in: context).order
    }

    static func step(_ order: WorkOrder, _ t: Transition, by actor: Actor, at now: Date = monday) throws -> WorkOrder {
        try Lifecycle.apply(t, to: order, by: actor, at: now, in: context).order
    }

    /// An order dispatched to the east district at `monday`.
    static func dispatched() throws -> WorkOrder {
        try step(try opened(), .dispatch(lead: "dist-east", assisting: [], note: nil), by: dispatcher)
    }

    static func handling() throws -> WorkOrder { try step(try dispatched(), .sign, by: eastStaff) }

    static func awaitingCallback() throws -> WorkOrder {
        let replied = try step(try handling(), .reply(text: "已更换灯泡。", attachments: []), by: eastStaff)
        return try step(replied, .passReview(note: nil), by: reviewer)
    }
}

import Foundation

/// What a joint consultation (会商) decided, as the supervisor or dispatcher records it: the units that met, when, which
/// unit leads from now on, which assist, by which date the lead unit replies, and a summary of the decision.
public struct ConsultationInput: Sendable, Equatable {
    public var units: [UnitID]
    public var meetingAt: Date
    public var leadUnit: UnitID
    public var assistingUnits: [UnitID]
    /// The day by which the lead unit replies (答复期限): its last second, like every working-day deadline.
    public var dueBy: CivilDay
    public var decision: String

    public init(units: [UnitID], meetingAt: Date, leadUnit: UnitID, assistingUnits: [UnitID], dueBy: CivilDay, decision: String) {
        self.units = units
        self.meetingAt = meetingAt
        self.leadUnit = leadUnit
        self.assistingUnits = assistingUnits
        self.dueBy = dueBy
        self.decision = decision
    }
}

/// 会商 as the order keeps it.
public struct Consultation: Sendable, Equatable, Codable {
    public var units: [UnitID]
    public var meetingAt: Date
    public var leadUnit: UnitID
    public var assistingUnits: [UnitID]
    public var dueBy: CivilDay
    public var decision: String
    /// When it was recorded.
    public var at: Date
}

extension Step {
    /// The statuses a joint consultation may decide from: wherever the centre or a unit holds the order before a reply
    /// is under review or callback (待派单, 退单, 待签收, 办理中, 回访不满意待研判). An order under review or waiting for
    /// its callback already has its answer; the centre decides it there first.
    static let consultable: [WorkOrderStatus] = [.pendingDispatch, .returned, .dispatched, .handling, .callbackDisputed]

    /// The most units a consultation may name.
    static let consultationUnitLimit = 20

    /// 会商: records the joint consultation on an escalated order and dispatches the order as decided: the lead unit
    /// gets it (待签收, a fresh sign deadline, the reply due by the end of the decided day, no return
    /// window: the meeting settled who leads), the assisting units are attached as 协办 and see it. The order leaves
    /// the centre's coordination queue.
    mutating func consult(_ input: ConsultationInput) throws(LifecycleError) {
        guard Self.consultable.contains(order.status) else { throw .illegalTransition(action: .consult, from: order.status) }
        guard order.escalated else { throw .notEscalated }
        guard order.consultation == nil else { throw .alreadyConsulted }
        var involved: [UnitID] = []
        for unit in input.units.map({ $0.trimmingCharacters(in: .whitespaces) }) where !unit.isEmpty && !involved.contains(unit) {
            guard ctx.units.contains(unit) else { throw .invalid(field: "units", message: "参会单位中有不存在的单位：\(unit)") }
            involved.append(unit)
        }
        guard involved.count >= 2 else { throw .invalid(field: "units", message: "会商须有至少2个参会单位") }
        guard involved.count <= Self.consultationUnitLimit else {
            throw .invalid(field: "units", message: "参会单位不能超过\(Self.consultationUnitLimit)个")
        }
        guard input.meetingAt <= now else { throw .invalid(field: "meeting_at", message: "会商时间不能晚于现在，请在会商后记录") }
        // Meeting times are given to the minute: one in the minute the order was taken is not before it.
        guard input.meetingAt.addingTimeInterval(60) > order.timeline.createdAt else {
            throw .invalid(field: "meeting_at", message: "会商时间不能早于工单受理时间")
        }
        let lead = input.leadUnit.trimmingCharacters(in: .whitespaces)
        guard !lead.isEmpty else { throw .invalid(field: "lead_unit", message: "请选择主办单位") }
        guard ctx.units.contains(lead) else { throw .invalid(field: "lead_unit", message: "主办单位不存在：\(lead)") }
        guard involved.contains(lead) else { throw .invalid(field: "lead_unit", message: "主办单位须是参会单位之一") }
        var assisting: [UnitID] = []
        for unit in input.assistingUnits.map({ $0.trimmingCharacters(in: .whitespaces) }) where !unit.isEmpty && unit != lead && !assisting.contains(unit) {
            guard ctx.units.contains(unit) else { throw .invalid(field: "assisting_units", message: "协办单位不存在：\(unit)") }
            guard involved.contains(unit) else { throw .invalid(field: "assisting_units", message: "协办单位须是参会单位") }
            assisting.append(unit)
        }
        let today = CivilDay(containing: now)
        guard input.dueBy >= today else { throw .invalid(field: "due_by", message: "办理期限不能早于今天") }
        guard input.dueBy.ordinal - today.ordinal <= 366 else { throw .invalid(field: "due_by", message: "办理期限不能超过一年") }
        guard ctx.calendar.isWorkingDay(input.dueBy) else {
            let name = ctx.calendar.holidayName(input.dueBy).map { "（\($0)）" } ?? ""
            throw .invalid(field: "due_by", message: "办理期限 \(input.dueBy) 不是工作日\(name)，请选择工作日")
        }
        // The last second of the day, like every deadline counted in working days.
        let replyBy = input.dueBy.adding(days: 1).start.addingTimeInterval(-1)
        let decision = try Self.requiredText(input.decision, field: "decision")

        order.consultation = Consultation(units: involved, meetingAt: input.meetingAt, leadUnit: lead, assistingUnits: assisting,
                                          dueBy: input.dueBy, decision: decision, at: now)
        order.leadUnit = lead
        order.assistingUnits = assisting
        order.subUnits = []
        order.pendingExtension = nil
        order.sentBackAt = nil
        order.reply = nil
        order.callback = nil
        order.callbackAttempts = 0
        order.unsatisfiedClosure = nil
        order.timeline.dispatchedAt = now
        order.timeline.signedAt = nil
        order.deadlines.dispatchBy = nil
        order.deadlines.reviewBy = nil
        order.deadlines.callbackBy = nil
        order.deadlines.signBy = ctx.deadline(.sign, for: order, from: now)
        order.deadlines.replyBy = replyBy
        // Closed as of the decision (a second before it), as when the centre refuses a return.
        order.deadlines.returnAllowedUntil = now.addingTimeInterval(-1)
        var details = [
            "units": involved.joined(separator: ","), "meeting_at": input.meetingAt.chinaISO8601, "lead_unit": lead,
            "due_by": input.dueBy.description, "reply_by": replyBy.chinaISO8601,
        ]
        if !assisting.isEmpty { details["assisting_units"] = assisting.joined(separator: ",") }
        move(to: .dispatched, .consulted, note: decision, details: details)
    }
}

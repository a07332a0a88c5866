import Foundation

extension Step {
    mutating func reject(reason: RejectionReason, note: String) throws(LifecycleError) {
        try require(.pendingDispatch)
        let clean = reason == .other
            ? try Self.requiredText(note, field: "note") : try Self.optionalText(note, field: "note") ?? ""
        order.rejection = Rejection(reason: reason, note: clean)
        order.timeline.closedAt = now
        move(to: .rejected, .rejected, note: clean.isEmpty ? nil : clean, details: ["reason": reason.rawValue])
    }

    mutating func answerDirectly(_ answer: String) throws(LifecycleError) {
        try require(.pendingDispatch)
        order.directAnswer = try Self.requiredText(answer, field: "answer", limit: TextLimits.reply)
        order.timeline.closedAt = now
        move(to: .closed, .answeredDirectly, note: order.directAnswer)
    }

    /// 派单 and 改派: sets the lead and assisting units and starts the sign, handling and return clocks.
    mutating func dispatch(lead: UnitID, assisting: [UnitID], note: String?, kind: EventKind) throws(LifecycleError) {
        let units = ctx.units
        for unit in [lead] + assisting where !units.contains(unit) { throw .unknownUnit(unit) }
        var helpers: [UnitID] = []
        for unit in assisting where unit != lead && !helpers.contains(unit) { helpers.append(unit) }
        let cleanNote = try Self.optionalText(note, field: "note")
        order.leadUnit = lead
        order.assistingUnits = helpers
        order.subUnits = []
        order.pendingExtension = nil
        order.timeline.dispatchedAt = now
        order.timeline.signedAt = nil
        order.deadlines.signBy = ctx.deadline(.sign, for: order, from: now)
        order.deadlines.replyBy = ctx.deadline(.handling, for: order, from: now)
        order.deadlines.returnAllowedUntil = ctx.deadline(.returnWindow, for: order, from: now)
        var details = ["lead_unit": lead, "reply_by": order.deadlines.replyBy!.chinaISO8601]
        if !helpers.isEmpty { details["assisting_units"] = helpers.joined(separator: ",") }
        move(to: .dispatched, kind, note: cleanNote, details: details)
    }
}

/// What the agent decided at intake (受理结论).
public enum IntakeDecision: Sendable, Equatable {
    /// Accept and queue for dispatch.
    case accept
    /// 直接答复: resolved on the call.
    case answerDirectly(String)
    /// 不予受理.
    case reject(RejectionReason, note: String)

    /// Accepting and answering on the call both need the request's category; a refusal is classified by its reason.
    public var needsCategory: Bool {
        if case .reject = self { return false }
        return true
    }
}

/// Everything the agent (or a channel) records when a request comes in.
public struct IntakeDraft: Sendable, Equatable {
    public var channel: Channel
    public var caller: Caller
    public var kind: RequestKind
    public var categoryCode: String?
    public var title: String
    public var content: String
    public var location: Location
    public var lanes: [Lane]
    public var tags: [String]
    public var repeatOf: OrderNumber?
    public var decision: IntakeDecision
    /// The knowledge entry whose answer a direct answer used (采用知识库答案), recorded on the event.
    public var knowledgeEntry: Int64? = nil
    /// Files the citizen sent with the request (photos from the portal or the app).
    public var attachments: [AttachmentInfo] = []

    public init(
        channel: Channel, caller: Caller, kind: RequestKind, categoryCode: String? = nil, title: String, content: String,
        location: Location, lanes: [Lane] = [], tags: [String] = [], repeatOf: OrderNumber? = nil, decision: IntakeDecision = .accept,
        knowledgeEntry: Int64? = nil
    ) {
        self.channel = channel
        self.caller = caller
        self.kind = kind
        self.categoryCode = categoryCode
        self.title = title
        self.content = content
        self.location = location
        self.lanes = lanes
        self.tags = tags
        self.repeatOf = repeatOf
        self.decision = decision
        self.knowledgeEntry = knowledgeEntry
    }
}

/// 受理: turns a draft into a new order.
public enum Intake {
    /// Opens a new order numbered `number`. `earlier` is the order named by `draft.repeatOf`, if any: when it
    /// carries a final reply, the same facts are not accepted again and the new order is rejected.
    public static func open(
        _ draft: IntakeDraft, number: OrderNumber, earlier: WorkOrder?, by actor: Actor, at now: Date, in context: LifecycleContext
    ) throws(LifecycleError) -> Outcome {
        guard Action.create.isAllowed(for: actor.role) else { throw .notPermitted(action: .create, role: actor.role) }
        let order = try validated(draft, number: number, at: now, in: context)
        var step = Step(order: order, actor: actor, now: now, action: .create, context: context)
        step.order.deadlines.dispatchBy = context.deadline(.dispatch, for: order, from: now)
        step.order.version = 1
        step.events.append(
            WorkOrderEvent(kind: .created, actor: actor, at: now, fromStatus: nil, toStatus: .pendingDispatch,
                details: ReplyRecord.attachmentDetails(draft.attachments).merging(["channel": draft.channel.rawValue, "kind": draft.kind.rawValue]) { $1 }))
        if !draft.attachments.isEmpty { step.order.intakeAttachments = draft.attachments }
        var decision = draft.decision
        if let earlier, earlier.finalReply {
            decision = .reject(.finalReplyGiven, note: "同一事实已于工单\(earlier.number)作最终答复")
        }
        switch decision {
        case .accept: break
        case .answerDirectly(let answer):
            guard Action.answerDirectly.isAllowed(for: actor.role) else { throw .notPermitted(action: .answerDirectly, role: actor.role) }
            try step.answerDirectly(answer)
            if let entry = draft.knowledgeEntry, let last = step.events.indices.last { step.events[last].details["knowledge"] = String(entry) }
        case .reject(let reason, let note):
            guard Action.reject.isAllowed(for: actor.role) || reason == .finalReplyGiven else {
                throw .notPermitted(action: .reject, role: actor.role)
            }
            try step.reject(reason: reason, note: note)
        }
        return step.outcome
    }

    static func validated(_ d: IntakeDraft, number: OrderNumber, at now: Date, in context: LifecycleContext) throws(LifecycleError) -> WorkOrder {
        let title = try Step.requiredText(d.title, field: "title", limit: TextLimits.title)
        let content = try Step.requiredText(d.content, field: "content", limit: TextLimits.content)
        let name = try Step.optionalText(d.caller.name, field: "caller.name", limit: TextLimits.name) ?? "匿名"
        // 匿名反映 keeps no phone at all, so that no phone number can ever find the order. A request through a channel that
        // knows its sender by account (WeChat, app, mailbox) may come without a phone: its answers go back through the channel.
        let accountOnly = d.channel.knowsSenderByAccount && d.caller.phone.allSatisfy(\.isWhitespace)
        let phone: String
        if d.caller.isAnonymous || accountOnly {
            phone = ""
        } else {
            guard let typed = Caller.normalisedPhone(d.caller.phone) else { throw .invalid(field: "caller.phone", message: "电话号码格式不正确") }
            phone = typed
        }
        if let id = d.caller.idNumber, !id.isEmpty,
            !(id.count == 18 && id.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isLetter) }))
        {
            throw .invalid(field: "caller.id_number", message: "身份证号或统一社会信用代码应为18位")
        }
        let address = try Step.optionalText(d.location.address, field: "location.address", limit: TextLimits.address) ?? ""
        if let lat = d.location.latitude, !(-90...90).contains(lat) { throw .invalid(field: "location.latitude", message: "纬度超出范围") }
        if let lon = d.location.longitude, !(-180...180).contains(lon) { throw .invalid(field: "location.longitude", message: "经度超出范围") }
        guard d.tags.count <= TextLimits.tags else { throw .invalid(field: "tags", message: "标签不能超过\(TextLimits.tags)个") }
        let tags = try d.tags.map { tag throws(LifecycleError) in try Step.requiredText(tag, field: "tags", limit: TextLimits.tag) }
        if let code = d.categoryCode { try context.requireOffered(category: code) }
        // Every order the hotline takes on, or answers on the call, is classified: the figures by category count
        // them all. A refusal is classified by its reason (转119, 已进入诉讼程序…), so it may come without one.
        // Requests citizens send themselves (portal, app, WeChat, SMS, mailbox, Open311) arrive unclassified and are classified by
        // the centre (改分类) before dispatch.
        if d.categoryCode == nil, d.decision.needsCategory, !d.channel.isSelfService {
            throw .invalid(field: "category_code", message: "请选择诉求分类")
        }
        var caller = d.caller
        caller.name = name
        caller.phone = phone
        if caller.idNumber?.isEmpty == true { caller.idNumber = nil }
        var location = d.location
        location.address = address
        var order = WorkOrder(
            number: number, channel: d.channel, caller: caller, kind: d.kind, categoryCode: d.categoryCode, title: title,
            content: content, location: location, lanes: Array(Set(d.lanes)).sorted(), tags: tags.reduce(into: []) { if !$0.contains($1) { $0.append($1) } },
            status: .pendingDispatch, leadUnit: nil, assistingUnits: [], subUnits: [], deadlines: Deadlines(),
            timeline: Timeline(createdAt: now), redoCount: 0, returnCount: 0, escalated: false, finalReply: false,
            repeatOf: d.repeatOf, mergedInto: nil, mergedOrders: [], rejection: nil, directAnswer: nil, reply: nil,
            pendingExtension: nil, extensionCount: 0, callback: nil, callbackAttempts: 0, version: 0)
        if caller.type == .enterprise && !order.lanes.contains(.businessEnvironment) {
            order.lanes = (order.lanes + [.businessEnvironment]).sorted()
        }
        return order
    }
}

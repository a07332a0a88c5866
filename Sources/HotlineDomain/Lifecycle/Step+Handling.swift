import Foundation

extension Step {
    mutating func sign() throws(LifecycleError) {
        try require(.dispatched)
        try requireOwnUnit()
        order.timeline.signedAt = now
        move(to: .handling, .signed, details: ["unit": actor.unit ?? ""])
    }

    /// 退单: only within the return window after dispatch, with a reason from the admins' list and evidence. A nil
    /// reason is the old free-text return: it is filed under 其他 without 其他's longer-explanation minimum.
    mutating func returnOrder(reason code: String?, evidence: String) throws(LifecycleError) {
        try require(.dispatched, .handling)
        try requireOwnUnit()
        let list = ctx.returnReasons
        let chosen: ReturnReason
        if let code {
            guard !code.isEmpty else { throw .invalid(field: "reason", message: "请选择退单原因") }
            guard let found = list.reason(code), found.active else { throw .invalid(field: "reason", message: "不是可选的退单原因，请从清单中选择") }
            chosen = found
        } else {
            chosen = list.reason(ReturnReasonList.otherCode) ?? ReturnReason(code: ReturnReasonList.otherCode, name: "其他")
        }
        let clean = try Self.requiredText(evidence, field: "evidence")
        if code == ReturnReasonList.otherCode, clean.count < ReturnReasonList.otherMinimumEvidence {
            throw .invalid(field: "evidence", message: "选择“\(chosen.name)”时须详细说明，不少于\(ReturnReasonList.otherMinimumEvidence)字")
        }
        if let until = order.deadlines.returnAllowedUntil, now > until { throw .returnWindowClosed(until: until) }
        order.returnCount += 1
        order.subUnits = []
        order.pendingExtension = nil
        order.sentBackAt = nil
        order.deadlines.dispatchBy = ctx.deadline(.dispatch, for: order, from: now)
        var returning = order.returningUnits ?? []
        if let unit = order.leadUnit, !unit.isEmpty, !returning.contains(unit) { returning.append(unit) }
        order.returningUnits = returning
        move(to: .returned, .returned, note: clean,
             details: ["unit": order.leadUnit ?? "", "reason": chosen.code, "reason_name": chosen.name])
        // 提级督办 by the system once enough different units have returned the order and no lead unit is found
        // (巴彦淖尔's rule) as the escalation rule (提级规则) counts them; at most once, like every escalation.
        let rule = ctx.escalationRule
        if rule.escalatesAfter(returningUnits: returning.count) && !order.escalated {
            order.escalated = true
            events.append(WorkOrderEvent(kind: .escalated, actor: .system, at: now, fromStatus: .returned, toStatus: .returned,
                                         note: "\(returning.count)个单位先后退单，仍未找到承办单位，自动提级督办",
                                         details: ["rule": rule.returnRuleName, "returning_units": returning.joined(separator: ",")]))
        }
    }

    /// 驳回退单: the centre finds the return unfounded and sends the order back to the unit that returned it. The unit
    /// carries on where it was (handling if it had signed, else waiting for its signature); its reply deadline runs on
    /// from the original dispatch, since the time of an unfounded return is the unit's; it may not return the order
    /// again (its return window closes), and a sign deadline starts afresh if it had not signed.
    mutating func rejectReturn(reason: String) throws(LifecycleError) {
        try require(.returned)
        let clean = try Self.requiredText(reason, field: "reason")
        guard let unit = order.leadUnit else { throw .illegalTransition(action: action, from: order.status) }
        order.deadlines.dispatchBy = nil
        // Closed as of the refusal (a second before it, so that a return at the same instant is refused too).
        order.deadlines.returnAllowedUntil = now.addingTimeInterval(-1)
        var details = ["unit": unit]
        if order.timeline.signedAt == nil { order.deadlines.signBy = ctx.deadline(.sign, for: order, from: now) }
        if let due = order.deadlines.replyBy { details["reply_by"] = due.chinaISO8601 }
        move(to: order.timeline.signedAt == nil ? .dispatched : .handling, .returnRejected, note: clean, details: details)
    }

    /// 下派: the lead unit passes the order down its own subtree; it stays responsible.
    mutating func subDispatch(to unit: UnitID, note: String?) throws(LifecycleError) {
        try require(.handling)
        try requireOwnUnit(allowSubUnits: true)
        guard ctx.units.contains(unit) else { throw .unknownUnit(unit) }
        let from = actor.unit ?? order.leadUnit ?? ""
        guard ctx.units.isDescendant(unit, of: from) else { throw .notSubordinate(unit) }
        let cleanNote = try Self.optionalText(note, field: "note")
        if !order.subUnits.contains(unit) { order.subUnits.append(unit) }
        move(to: .handling, .subDispatched, note: cleanNote, details: ["unit": unit, "from": from])
    }

    mutating func requestExtension(days: Int, reason: String) throws(LifecycleError) {
        try require(.handling)
        try requireOwnUnit()
        guard order.pendingExtension == nil else { throw .extensionAlreadyPending }
        guard (1...30).contains(days) else { throw .invalid(field: "working_days", message: "延期天数应在1到30个工作日之间") }
        let clean = try Self.requiredText(reason, field: "reason")
        order.pendingExtension = ExtensionRequest(unit: order.leadUnit ?? "", workingDays: days, reason: clean, requestedAt: now)
        move(to: .handling, .extensionRequested, note: clean, details: ["working_days": String(days)])
    }

    /// 同意延期: moves the reply deadline by the requested working days.
    mutating func approveExtension(note: String?) throws(LifecycleError) {
        try require(.handling)
        guard let request = order.pendingExtension else { throw .noPendingExtension }
        let cleanNote = try Self.optionalText(note, field: "note")
        let base = order.deadlines.replyBy ?? now
        order.deadlines.replyBy = ctx.calendar.deadline(from: base, workingDays: request.workingDays)
        order.pendingExtension = nil
        order.extensionCount += 1
        move(to: .handling, .extensionApproved, note: cleanNote,
             details: ["working_days": String(request.workingDays), "reply_by": order.deadlines.replyBy!.chinaISO8601])
    }

    mutating func denyExtension(reason: String) throws(LifecycleError) {
        try require(.handling)
        guard order.pendingExtension != nil else { throw .noPendingExtension }
        let clean = try Self.requiredText(reason, field: "reason")
        order.pendingExtension = nil
        move(to: .handling, .extensionDenied, note: clean)
    }

    /// 答复: the lead unit, or a unit it passed the order down to, replies with the result.
    mutating func reply(text: String, attachments: [AttachmentInfo]) throws(LifecycleError) {
        try require(.handling)
        try requireOwnUnit(allowSubUnits: true)
        let clean = try Self.requiredText(text, field: "text", limit: TextLimits.reply)
        guard attachments.count <= TextLimits.attachments else {
            throw .invalid(field: "attachments", message: "附件不能超过\(TextLimits.attachments)个")
        }
        for a in attachments where a.name.isEmpty || a.size < 0 {
            throw .invalid(field: "attachments", message: "附件信息不完整")
        }
        let reply = Reply(unit: actor.unit ?? order.leadUnit ?? "", text: clean, attachments: attachments, at: now)
        // Replying ends the handling the extension was asked for: the request is withdrawn, and the log says so.
        if let pending = order.pendingExtension {
            order.pendingExtension = nil
            move(to: .handling, .extensionWithdrawn, note: "答复时撤回未审批的延期申请",
                 details: ["working_days": String(pending.workingDays)])
        }
        order.reply = reply
        order.sentBackAt = nil
        order.timeline.repliedAt = now
        // The unit's handling time (办理用时) in working time, from the latest dispatch; the measures average it.
        order.handlingSeconds = order.timeline.dispatchedAt.map { ctx.calendar.workingSeconds(from: $0, to: now) }
        // 单位领导审核: a staff member's reply to an order whose lead unit reviews its replies waits for one of the unit's
        // admins; the reply deadline counts as met now, and the centre's review clock starts only when the admin passes it.
        if actor.role == .unitStaff, let lead = order.leadUnit, ctx.leaderReviewUnits.contains(lead) {
            order.deadlines.reviewBy = nil
            move(to: .unitReview, .replied, note: clean, details: ReplyRecord.details(of: reply))
            return
        }
        order.deadlines.reviewBy = ctx.deadline(.review, for: order, from: now)
        // The full text and the files' digests go into the log: a later round replaces `order.reply`, never the record.
        move(to: .replied, .replied, note: clean, details: ReplyRecord.details(of: reply))
    }

    /// Only an admin of the lead unit, or of a unit above it, reviews the lead unit's replies (单位领导审核).
    func requireLeadUnitOrAbove() throws(LifecycleError) {
        guard actor.role.isUnitRole else { return }
        guard let unit = actor.unit, let lead = order.leadUnit else { throw .wrongUnit(action: action) }
        guard unit == lead || ctx.units.isDescendant(lead, of: unit) else { throw .wrongUnit(action: action) }
    }

    /// 单位审核通过: the reply goes on to the centre exactly as a reply without the unit's review does.
    mutating func passUnitReview(note: String?) throws(LifecycleError) {
        try require(.unitReview)
        try requireLeadUnitOrAbove()
        let cleanNote = try Self.optionalText(note, field: "note")
        order.deadlines.reviewBy = ctx.deadline(.review, for: order, from: now)
        move(to: .replied, .unitReviewPassed, note: cleanNote, details: ["unit": order.leadUnit ?? ""])
    }

    /// 单位审核退回: back to handling with the admin's reason; the reply deadline is left as it was and the reply round
    /// stays in the log.
    mutating func sendBackUnitReview(reason: String) throws(LifecycleError) {
        try require(.unitReview)
        try requireLeadUnitOrAbove()
        let clean = try Self.requiredText(reason, field: "reason")
        order.sentBackAt = now
        move(to: .handling, .unitReviewSentBack, note: clean, details: ["unit": order.leadUnit ?? ""])
    }

    mutating func passReview(note: String?) throws(LifecycleError) {
        try require(.replied)
        let cleanNote = try Self.optionalText(note, field: "note")
        order.deadlines.callbackBy = ctx.deadline(.callback, for: order, from: now)
        startCallbackRound()
        move(to: .awaitingCallback, .reviewPassed, note: cleanNote)
    }

    mutating func sendBack(reason: String) throws(LifecycleError) {
        try require(.replied)
        let clean = try Self.requiredText(reason, field: "reason")
        order.sentBackAt = now
        move(to: .handling, .sentBack, note: clean)
    }
}

extension Step {
    /// 改分类: corrects the category. Agents may do so before dispatch; dispatchers while the loop is open.
    /// Deadlines already running stay as they are; the correction counts for training the category model.
    mutating func reclassify(to code: String, reason: String) throws(LifecycleError) {
        guard order.status.isOpen, order.status != .merged else { throw .illegalTransition(action: .reclassify, from: order.status) }
        if actor.role == .agent { try require(.pendingDispatch) }
        let clean = try Self.requiredText(reason, field: "reason")
        try ctx.requireOffered(category: code)
        guard code != order.categoryCode else { throw .invalid(field: "category_code", message: "新分类与当前分类相同") }
        var details = ["to": code]
        if let from = order.categoryCode { details["from"] = from }
        order.categoryCode = code
        move(to: order.status, .reclassified, note: clean, details: details)
    }
}

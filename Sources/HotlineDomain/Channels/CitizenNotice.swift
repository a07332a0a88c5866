/// What a citizen who wrote in through a channel (短信, 微信, App, 市长信箱) is told of their order's progress, in plain
/// Chinese (进度告知): accepted with the order number, passed to a unit, the answer the centre approved, closed, or not
/// accepted with the reason in the words the agent would use. Nothing else is ever told: no internal notes, no staff
/// names, no other caller's data — only the order number, a unit's name and the answer text given for the citizen.
public enum CitizenNotice {
    /// The event kinds that tell the citizen something.
    public static let kinds: Set<EventKind> = [
        .created, .rejected, .answeredDirectly, .dispatched, .redispatched, .reviewPassed, .mergedAnswer, .closed, .closedUnsatisfied,
        .callbackRecorded, .callbackUnreachable,
    ]

    /// The text for `event` of `order` (the order as the change left it), or nil when the event tells the citizen
    /// nothing. `unitName` gives a unit's name for a dispatch. An intake that ends at once (a refusal, an answer on the
    /// spot) tells only its end, not the acceptance, and WeChat's acceptance is already in its passive reply.
    public static func text(for event: WorkOrderEvent, of order: WorkOrder, among events: [WorkOrderEvent], unitName: (UnitID) -> String?) -> String? {
        let number = order.number
        switch event.kind {
        case .created:
            guard order.channel != .wechat, !events.contains(where: { $0.kind == .rejected || $0.kind == .answeredDirectly }) else { return nil }
            return "【12345】您的诉求已受理，工单号\(number)。我们将尽快转交有关单位办理，办理进展将通过本渠道告知您。"
        case .rejected:
            guard let reason = order.rejection?.reason else { return nil }
            return "【12345】您的诉求（工单号\(number)）不予受理：\(reason.answer)"
        case .answeredDirectly:
            guard let answer = order.directAnswer else { return nil }
            return "【12345】您的诉求（工单号\(number)）答复如下：\(answer)"
        case .dispatched, .redispatched:
            let name = event.details["lead_unit"].flatMap(unitName) ?? "有关单位"
            return "【12345】您的诉求（工单号\(number)）已转交\(name)办理。"
        case .reviewPassed:
            guard let reply = order.reply else { return nil }
            return "【12345】您的诉求（工单号\(number)）答复如下：\(reply.text)"
        case .mergedAnswer:
            guard let answer = order.reply?.text ?? order.directAnswer else { return nil }
            return "【12345】您的诉求（工单号\(number)）与同类诉求合并办理，答复如下：\(answer)"
        // 办结: by the callback (satisfied, or unreachable after the rule's tries), or by the centre.
        case .closed, .closedUnsatisfied, .callbackRecorded, .callbackUnreachable:
            // A direct answer closes the order in the same change; its answer already told the citizen.
            guard event.toStatus == .closed, !events.contains(where: { $0.kind == .answeredDirectly || $0.kind == .mergedAnswer }) else { return nil }
            return "【12345】您的工单\(number)已办结，感谢您对12345热线的信任。"
        default:
            return nil
        }
    }
}

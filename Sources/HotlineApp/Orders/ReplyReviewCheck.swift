import Foundation
import HotlineDomain
import HotlineStorage
import HotlineText

/// A reply refused by a blocking review rule (拦截): every failed rule with its Chinese explanation, the blocking
/// ones first. Nothing of the reply is stored.
public struct ReplyReviewRefusal: Error, Equatable, Sendable {
    public var failed: [ReplyRuleResult]

    /// One sentence naming every failure, as a form shows it.
    public var message: String {
        "答复未通过审核规则，未保存：" + failed.map { ($0.severity == .block ? "" : "（提醒）") + ($0.message ?? "") }.joined(separator: "；")
    }
}

extension WorkOrderDesk {
    /// The review rules' verdicts on `text` as a reply to `order` by `unit` at `now` (答复自检, and again for the
    /// centre's review): every enabled rule, passed or not, in rule order.
    public func replyReview(of text: String, to order: WorkOrder, unit: UnitID?, at now: Date) -> [ReplyRuleResult] {
        Self.replyReview(of: text, to: order, unitName: unit.flatMap { reference.names.units[$0] }, rules: reference.context.replyRules, at: now)
    }

    static func replyReview(of text: String, to order: WorkOrder, unitName: String?, rules: ReplyReviewRules, at now: Date) -> [ReplyRuleResult] {
        let subject = ReplyReviewSubject(reply: text, request: order.title + "\n" + order.content, kind: order.kind, unitName: unitName, now: now)
        return rules.check(subject) { TextSimilarity.cosine($0, $1) }
    }

    /// The verdicts on the order's current reply, when it has one: what the reviewer sees beside the reply round.
    public func currentReplyReview(of order: WorkOrder, at now: Date) -> [ReplyRuleResult] {
        guard let reply = order.reply else { return [] }
        return replyReview(of: reply.text, to: order, unit: reply.unit.isEmpty ? nil : reply.unit, at: now)
    }

    /// Refuses the reply when a blocking rule fails; otherwise returns the verdicts.
    static func requirePassing(_ results: [ReplyRuleResult]) throws(ReplyReviewRefusal) {
        guard results.contains(where: \.blocks) else { return }
        let failed = results.filter { !$0.passed }
        throw ReplyReviewRefusal(failed: failed.filter(\.blocks) + failed.filter { !$0.blocks })
    }
}

extension WorkOrderDesk.Warning {
    /// A review rule that failed with 提醒: shown, the reply stands.
    public init(rule result: ReplyRuleResult) {
        self.init(code: "reply_rule_" + result.id.rawValue, message: result.message ?? result.id.description)
    }
}

import Foundation

/// The escalation rule (提级规则): when the system escalates an order by itself (提级督办). After `redoRounds` redos
/// (重办) of the same order, and when `returningUnits` different units have returned it without a lead unit being found
/// (巴彦淖尔's rule). Zero turns that trigger off; a supervisor may still escalate by hand.
public struct EscalationRule: Sendable, Equatable, Codable {
    /// Redos after which the order is escalated; 0 = never by redos.
    public var redoRounds: Int
    /// Different units returning the order after which it is escalated; 0 = never by returns.
    public var returningUnits: Int

    public init(redoRounds: Int = 2, returningUnits: Int = 3) {
        self.redoRounds = redoRounds
        self.returningUnits = returningUnits
    }

    /// The default: two redos, or three different units returning the order.
    public static let `default` = EscalationRule()

    /// The largest number either trigger may be set to.
    public static let maximum = 20

    /// The rule if both parts are in range, else the field at fault with a plain-Chinese message.
    public func validated() throws(LifecycleError) -> EscalationRule {
        guard (0...Self.maximum).contains(redoRounds) else {
            throw .invalid(field: "redo_rounds", message: "重办次数应为0到\(Self.maximum)之间的整数（0表示不按重办提级）")
        }
        guard (0...Self.maximum).contains(returningUnits) else {
            throw .invalid(field: "returning_units", message: "退单单位数应为0到\(Self.maximum)之间的整数（0表示不按退单提级）")
        }
        return self
    }

    /// Whether an order redone `count` times is escalated by this rule.
    public func escalatesAfter(redos count: Int) -> Bool { redoRounds > 0 && count >= redoRounds }

    /// Whether an order returned by `count` different units is escalated by this rule.
    public func escalatesAfter(returningUnits count: Int) -> Bool { returningUnits > 0 && count >= returningUnits }

    /// The rule as an automatic escalation's event names it (`rule`), e.g. `redo_rounds_2`.
    public var redoRuleName: String { "redo_rounds_\(redoRounds)" }
    /// The rule as an automatic escalation by returns names it, e.g. `returning_units_3`.
    public var returnRuleName: String { "returning_units_\(returningUnits)" }

    /// In plain Chinese: when orders are escalated by themselves.
    public var description: String {
        var parts: [String] = []
        if redoRounds > 0 { parts.append("同一工单重办\(redoRounds)次") }
        if returningUnits > 0 { parts.append("\(returningUnits)个不同单位先后退单、仍未找到承办单位") }
        guard !parts.isEmpty else { return "不自动提级，只由督办员手动提级督办" }
        return parts.joined(separator: "或") + "时自动提级督办，进入中心协调督办队列"
    }
}

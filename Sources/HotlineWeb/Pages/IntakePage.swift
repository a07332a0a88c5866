import Foundation
import HotlineDomain
import HotlineStorage

/// 受理台: look the caller up by phone, then take the request; the assistant panel fills in as the agent types.
struct IntakePage: Sendable {
    struct Option: Sendable {
        var value: String
        var label: String
    }
    struct OrderLink: Sendable {
        var number: String
        var href: String
        var title: String
        var status: String
    }
    struct Profile: Sendable {
        var summary: String
        var restriction: String?
        var openOrders: [OrderLink]
        var pastOrders: [OrderLink]
        var hasOpenOrders: Bool
        var hasPastOrders: Bool
        /// 来电人画像 (the caller's orders over time, topics, units, callbacks, restrictions, tags).
        var panel: CallerProfilePanel? = nil

        init(summary: String, restriction: String?, openOrders: [OrderLink], pastOrders: [OrderLink]) {
            self.summary = summary
            self.restriction = restriction
            self.openOrders = openOrders
            self.pastOrders = pastOrders
            hasOpenOrders = !openOrders.isEmpty
            hasPastOrders = !pastOrders.isEmpty
        }
    }

    var title = "受理工单"
    var user: PageUser?
    var phone: String
    /// The caller's name from their latest order, filled in for the agent to confirm.
    var callerName: String = ""
    var error: String?
    var profile: Profile?
    var channels: [Option]
    var kinds: [Option]
    var categories: [Option]
    /// The 不予受理 reasons for the decision on the form.
    var rejectionReasons: [Option] = IntakePage.rejectionReasons
    var districts: [Option]
    /// 转专家坐席 (with the call being handled), for agents and dispatchers.
    var expertHref: String? = nil


    static let channels = Channel.allCases.map { Option(value: $0.rawValue, label: $0.chineseName) }
    static let kinds = RequestKind.allCases.map { Option(value: $0.rawValue, label: $0.chineseName) }
    /// 不予受理原因, the emergency numbers named.
    static let rejectionReasons = RejectionReason.allCases.map {
        Option(value: $0.rawValue, label: $0.chineseName + ($0.redirectNumber.map { "（转\($0)）" } ?? ""))
    }

    /// The first three levels of the category tree in use (retired ones are not offered), each with its path:
    /// "城乡建设 / 市政设施 / 路灯".
    static func categories(_ nodes: [CategoryNode]) -> [Option] {
        let byCode = Dictionary(uniqueKeysWithValues: nodes.map { ($0.code, $0) })
        func path(_ n: CategoryNode) -> String { n.parentCode.flatMap { byCode[$0] }.map { path($0) + " / " + n.name } ?? n.name }
        return nodes.filter { $0.level <= 3 && !$0.retired }.map { Option(value: $0.code, label: path($0)) }
    }
}

import Foundation
import HotlineDomain
import HotlineStorage

/// 督办看板: what is overdue and where, which orders are escalated, and the urges and cards given lately.
struct SupervisionPage: Sendable {
    /// The roles that watch the board (the supervisor acts on it; the manager reads it).
    static let roles: Set<Role> = [.supervisor, .manager]

    struct UnitRow: Sendable {
        var unit: String
        var overdue: String
        var overdueHref: String
        var urges: String
        var yellowCards: String
        var redCards: String
        var hot: Bool
    }
    struct OrderRow: Sendable {
        var number: String
        var href: String
        var title: String
        var status: String
        var unit: String
        var when: String
        var note: String?
        var mark: String
        var red: Bool
        var yellow: Bool
    }

    var title = "督办看板"
    var user: PageUser?
    /// The page's own path, which its live-update stream watches.
    var livePath: String = ""
    var tiles: [QueueTile]
    var units: [UnitRow]
    var hasUnits: Bool
    var overdue: [OrderRow]
    var hasOverdue: Bool
    var escalated: [OrderRow]
    var hasEscalated: Bool
    var recent: [OrderRow]
    var hasRecent: Bool
    var since: String

    static let fixture = SupervisionPage(
        user: .fixture, livePath: "/supervision",
        tiles: [QueueTile(label: "超期在办", count: "37", hint: "超过签收或办理时限", urgent: true, href: "/orders?overdue=true"),
                QueueTile(label: "提级督办中", count: "2", hint: "重办两次或督办员提级", urgent: true),
                QueueTile(label: "本月黄牌", count: "5", hint: "自本月1日起", urgent: false),
                QueueTile(label: "本月红牌", count: "1", hint: "自本月1日起", urgent: true)],
        units: [UnitRow(unit: "东区人民政府", overdue: "21", overdueHref: "/orders?overdue=true&unit=dist-east", urges: "4", yellowCards: "3", redCards: "1", hot: true),
                UnitRow(unit: "市住房和城乡建设局", overdue: "9", overdueHref: "/orders?overdue=true&unit=dept-housing", urges: "0", yellowCards: "0", redCards: "0", hot: false)],
        hasUnits: true,
        overdue: [OrderRow(number: "20250303000001", href: "/orders/20250303000001", title: "小区路灯不亮", status: "办理中", unit: "东区人民政府",
                           when: "超期 2 个工作日", note: nil, mark: "", red: false, yellow: false)],
        hasOverdue: true,
        escalated: [OrderRow(number: "20250301000007", href: "/orders/20250301000007", title: "噪音扰民反复投诉", status: "已派单", unit: "西区人民政府",
                             when: "2025-03-04 09:30", note: "重办2次，自动提级督办", mark: "提级", red: false, yellow: false)],
        hasEscalated: true,
        recent: [OrderRow(number: "20250303000001", href: "/orders/20250303000001", title: "小区路灯不亮", status: "办理中", unit: "东区人民政府",
                          when: "2025-03-05 10:00", note: "催办后仍未处理", mark: "黄牌警示", red: false, yellow: true)],
        hasRecent: true, since: "2025-03-01")
}

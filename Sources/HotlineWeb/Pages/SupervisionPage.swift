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
    /// 协调督办: escalated orders waiting for a joint consultation (会商), oldest first.
    var coordination: [OrderRow] = []
    var hasCoordination = false
    var coordinationHref = ""

}

import Foundation
import HotlineDomain
import HotlineStorage

/// 工单列表: one queue or filter, a page at a time, sortable, with the working time left on each deadline.
struct OrderListPage: Sendable {
    struct Row: Sendable {
        var number: String
        var href: String
        var title: String
        var status: String
        var kind: String
        var unit: String
        var phone: String
        var created: String
        var due: String
        var overdue: Bool
        /// For returned orders: the unit's reason (退单理由).
        var reason: String? = nil
        /// 绿色通道, 营商环境.
        var lanes: [LaneBadge] = []
    }
    struct SortLink: Sendable {
        var label: String
        var href: String
        var current: Bool
    }

    /// 筛选: the search and filter form, with the list's current values.
    struct Filters: Sendable {
        struct Check: Sendable {
            var name: String
            var label: String
            var checked: Bool
        }
        struct Hidden: Sendable {
            var name: String
            var value: String
        }
        var q: String
        var statuses: [PageOption]
        var units: [PageOption]
        var categories: [PageOption]
        var kinds: [PageOption]
        var channels: [PageOption]
        var lanes: [PageOption]
        var overdue: [PageOption]
        var dueSoon: Bool
        var from: String
        var to: String
        var marks: [Check]
        /// What the list has that the form does not show (a sort, a lead unit, a phone), kept when filtering again.
        var hidden: [Hidden]
        /// 清除筛选: the list without any condition.
        var clear: String
        /// Whether any condition is set (the form opens by itself then).
        var active: Bool
    }

    var title = "工单列表"
    var user: PageUser?
    /// The page's own path, which its live-update stream watches.
    var livePath: String = ""
    var heading: String
    var totalText: String
    var sorts: [SortLink]
    var rows: [Row]
    var page: Int
    var previous: String?
    var next: String?
    /// Lists of returned orders show each unit's reason.
    var showsReasons: Bool = false
    var filters: Filters? = nil
    /// 导出 CSV of exactly this list, for the roles that may export.
    var exportHref: String? = nil


    /// Working time left before `due`, or how far past it (in working hours).
    static func timeLeft(_ due: Date?, now: Date, calendar: WorkingCalendar) -> (text: String, overdue: Bool) {
        guard let due else { return ("—", false) }
        if due > now {
            return (String(format: "剩余 %.1f 工作小时", Double(calendar.workingSeconds(from: now, to: due)) / 3600), false)
        }
        return (String(format: "超期 %.1f 工作小时", Double(calendar.workingSeconds(from: due, to: now)) / 3600), true)
    }
}

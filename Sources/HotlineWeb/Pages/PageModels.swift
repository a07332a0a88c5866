import HotlineApp
import HotlineDomain
import HotlineStorage
import HTTPTypes

/// The signed-in user as every page's header shows them, with the CSRF token their forms carry.
struct PageUser: Sendable {
    struct Link: Sendable {
        var label: String
        var href: String
    }

    var displayName: String
    var roleName: String
    var unitName: String?
    var csrf: String
    /// The pages this role works in.
    var links: [Link] = []
    /// 消息提醒: the bell's unread count ("3", "99+"), nil when nothing is unread, and the bell's spoken label.
    var noticeCount: String? = nil
    var bellLabel = "消息提醒"
    /// 来电弹屏: an agent's pages open the intake desk when the call-centre system reports a call they answered.
    var screenPop = false

    /// The header's bell for `unread` notices (counted up to 100).
    mutating func bell(unread: Int) {
        noticeCount = Self.noticeCount(unread)
        bellLabel = noticeCount.map { "消息提醒，\($0)条未读" } ?? "消息提醒"
    }

    static func noticeCount(_ unread: Int) -> String? { unread <= 0 ? nil : unread > 99 ? "99+" : String(unread) }

    static func links(for role: Role) -> [Link] {
        var links = [Link(label: "工作台", href: WebRoutes.home)]
        if Action.create.isAllowed(for: role), role != .citizen { links.append(Link(label: "受理", href: WebRoutes.intake)) }
        if Capability.viewOrders.isAllowed(for: role) { links.append(Link(label: "工单", href: WebRoutes.orders)) }
        if Capability.searchKnowledge.isAllowed(for: role), role != .system { links.append(Link(label: "知识库", href: WebRoutes.knowledge)) }
        if Capability.readScripts.isAllowed(for: role), role != .system { links.append(Link(label: "话术", href: WebRoutes.scripts)) }
        if Capability.readCases.isAllowed(for: role), role != .system { links.append(Link(label: "案例", href: WebRoutes.cases)) }
        if ExpertDesk.readers.contains(role) { links.append(Link(label: "专家坐席", href: WebRoutes.experts)) }
        if Capability.viewPerformance.isAllowed(for: role) || Capability.viewOwnPerformance.isAllowed(for: role), role != .system {
            links.append(Link(label: role == .agent ? "我的绩效" : "绩效", href: WebRoutes.performance))
        }
        if SupervisionPage.roles.contains(role) { links.append(Link(label: "督办", href: WebRoutes.supervision)) }
        if Capability.viewMeasures.isAllowed(for: role), role != .system { links.append(Link(label: "考评", href: WebRoutes.insightMeasures)) }
        if MapPage.roles.contains(role) { links.append(Link(label: "地图", href: WebRoutes.insightMap)) }
        if Capability.viewHotTopics.isAllowed(for: role), role != .system { links.append(Link(label: "热点", href: WebRoutes.insightTopics)) }
        if Capability.viewScreen.isAllowed(for: role), role != .system { links.append(Link(label: "大屏", href: WebRoutes.screen)) }
        if QualityTab.shown(for: role) { links.append(Link(label: "质检", href: WebRoutes.quality)) }
        if Capability.viewSchedules.isAllowed(for: role), role != .system {
            links.append(Link(label: role == .agent ? "我的排班" : "排班", href: WebRoutes.schedules))
        }
        if Capability.viewStaffing.isAllowed(for: role), role != .system { links.append(Link(label: "人力预测", href: WebRoutes.staffing)) }
        if Capability.manageUnits.isAllowed(for: role), role != .system { links.append(Link(label: "系统管理", href: WebRoutes.admin)) }
        // Admins reach 限制呼入 from 系统管理; supervisors, who restrict callers too, from here.
        if role == .supervisor { links.append(Link(label: "限制呼入", href: WebRoutes.adminRestrictions)) }
        return links
    }
}

/// A lane (绿色通道, 营商环境) as a badge: its name in words, its colour from `lane-…` in app.css.
struct LaneBadge: Sendable {
    var label: String
    var style: String

    static func badges(_ lanes: [Lane]) -> [LaneBadge] {
        lanes.map { lane in
            switch lane {
            case .urgentLivelihood: LaneBadge(label: lane.chineseName, style: "lane-urgent")
            case .businessEnvironment: LaneBadge(label: lane.chineseName, style: "lane-business")
            }
        }
    }
}

/// 登录页.
struct LoginPage: Sendable {
    var title = "登录"
    var user: PageUser? = nil
    var error: String?
    var username: String
    var next: String

}

/// One queue on a role's home page: how many orders wait in it.
struct QueueTile: Sendable, Equatable {
    var label: String
    var count: String
    var hint: String
    var urgent: Bool
    /// The list page of this queue, when it is a list of orders.
    var href: String? = nil
}

/// 首页: the role's own queues and counts.
struct HomePage: Sendable {
    var title = "工作台"
    var user: PageUser?
    var greeting: String
    var summary: String
    var queues: [QueueTile]
    /// For those who keep the calendar: years about to be computed on the provisional calendar (临时日历).
    var calendarWarnings: [String] = []
    var calendarHref: String = WebRoutes.adminCalendar
    /// For managers and supervisors: the city's figures, trend, ranking and hot topics; for a unit admin its own place.
    var insight: ManagerHome? = nil

}

/// 出错页: what went wrong, in the console's frame instead of raw JSON.
struct ErrorPage: Sendable {
    var title = "出错了"
    var user: PageUser?
    var heading: String
    var message: String


    static func heading(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 403: "没有权限"
        case 404: "找不到页面或工单"
        case 409: "操作与当前状态不符"
        case 422: "填写有误"
        case 429: "操作过于频繁"
        default: "出错了"
        }
    }
}

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
        // The call centre's pages: one link to 话务中心 when a role has several, else the one page itself.
        let centre = CallCentreHub.cards(for: role)
        if centre.count == 1, let only = centre.first { links.append(Link(label: only.short, href: only.href)) }
        if centre.count > 1 { links.append(Link(label: "话务中心", href: WebRoutes.callCentre)) }
        if SupervisionPage.roles.contains(role) { links.append(Link(label: "督办", href: WebRoutes.supervision)) }
        if Capability.viewMeasures.isAllowed(for: role), role != .system { links.append(Link(label: "考评", href: WebRoutes.insightMeasures)) }
        if MapPage.roles.contains(role) { links.append(Link(label: "地图", href: WebRoutes.insightMap)) }
        if Capability.viewHotTopics.isAllowed(for: role), role != .system { links.append(Link(label: "热点", href: WebRoutes.insightTopics)) }
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

/// 话务中心: the call centre's pages a role may open — the big screen, staffing, schedules, quality, expert seats,
/// performance — as the hub's cards and the nav's one link.
struct CallCentreHub: Sendable {
    struct Card: Sendable {
        var title: String
        /// The nav's label when the card is a role's only one.
        var short: String
        var text: String
        var href: String
    }

    var title = "话务中心"
    var user: PageUser?
    var cards: [Card]

    static func cards(for role: Role) -> [Card] {
        guard role != .system, role != .citizen else { return [] }
        var cards: [Card] = []
        if Capability.viewScreen.isAllowed(for: role) {
            cards.append(Card(title: "话务大屏", short: "大屏", text: "今日来电、接通率、排队与坐席状态，实时刷新，供大厅显示屏使用。", href: WebRoutes.screen))
        }
        if Capability.viewStaffing.isAllowed(for: role) {
            cards.append(Card(title: "人力预测", short: "人力预测", text: "按历史话务预测每半小时来电量，按爱尔朗C公式测算所需坐席，并与排班对照。", href: WebRoutes.staffing))
        }
        if Capability.viewSchedules.isAllowed(for: role) {
            cards.append(role == .agent
                ? Card(title: "我的排班", short: "我的排班", text: "本周和下周的班次、休息与备班。", href: WebRoutes.schedules)
                : Card(title: "排班", short: "排班", text: "班组、班次、备班与休息，按时段对照所需人数标出缺口。", href: WebRoutes.schedules))
        }
        if QualityTab.shown(for: role) {
            cards.append(role == .agent
                ? Card(title: "我的质检", short: "质检", text: "质检评分、确认结果或提出申诉。", href: WebRoutes.quality)
                : Card(title: "质检", short: "质检", text: "抽检通话和工单、按评分表评分、申诉裁定与质检统计。", href: WebRoutes.quality))
        }
        if ExpertDesk.readers.contains(role) {
            cards.append(Card(title: "专家坐席", short: "专家坐席", text: "驻场部门的政策专员解答话务员转来的问题，解答可转为知识草稿。", href: WebRoutes.experts))
        }
        if Capability.viewPerformance.isAllowed(for: role) {
            cards.append(Card(title: "坐席绩效", short: "绩效", text: "话务员和班组的接听量、处理时长、直接答复率、质检与满意度，每周服务之星。", href: WebRoutes.performance))
        } else if Capability.viewOwnPerformance.isAllowed(for: role) {
            cards.append(Card(title: "我的绩效", short: "我的绩效", text: "本周的各项指标与目标对照，以及本周服务之星。", href: WebRoutes.performance))
        }
        return cards
    }
}

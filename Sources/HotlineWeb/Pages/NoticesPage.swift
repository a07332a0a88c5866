import Foundation
import HotlineApp

/// 消息提醒: the signed-in user's notices, newest first, unread ones marked; each opens its order (and is read then).
struct NoticesPage: Sendable {
    struct Row: Sendable {
        var when: String
        var kind: String
        var number: String
        var title: String
        var sentence: String
        var unread: Bool
        /// The form that marks the notice read and goes to its order.
        var openAction: String
    }

    /// A filter of the list: all notices, or only the unread ones.
    struct Tab: Sendable {
        var label: String
        var href: String
        var current: Bool
    }

    /// 热点预警: a newly rising topic told to managers and supervisors; opening it marks it read.
    struct TopicAlert: Sendable {
        var label: String
        var size: String
        var scope: String
        var href: String
        var unread: Bool
    }

    var title = "消息提醒"
    var topicAlerts: [TopicAlert] = [] { didSet { hasTopicAlerts = !topicAlerts.isEmpty } }
    var hasTopicAlerts = false
    var user: PageUser?
    /// The page's own path, which its live-update stream watches.
    var livePath: String = WebRoutes.notices
    var summary: String
    var done: String?
    var error: String?
    var tabs: [Tab]
    var rows: [Row]
    var emptyText: String
    /// 全部标为已读, up to the newest notice shown (nil when nothing is unread).
    var markAllUpTo: String?
    var csrf: String
    var page: String
    var previous: String?
    var next: String?

    /// The line above the list: how many messages are unread.
    static func summary(unread: Int) -> String {
        unread == 0 ? "没有未读消息。" : "未读 \(PageUser.noticeCount(unread) ?? "0") 条。"
    }

    init(user: PageUser, notices: NoticePage, unreadOnly: Bool, done: String? = nil, error: String? = nil) {
        self.user = user
        self.done = done
        self.error = error
        csrf = user.csrf
        summary = Self.summary(unread: notices.unread)
        tabs = [
            Tab(label: "全部消息", href: WebRoutes.notices, current: !unreadOnly),
            Tab(label: "只看未读", href: WebRoutes.notices + "?unread=true", current: unreadOnly),
        ]
        rows = notices.notices.map { n in
            Row(when: n.at.chinaShort, kind: n.kindName, number: n.order.description, title: n.title, sentence: n.sentence, unread: !n.read,
                openAction: WebRoutes.noticeOpen(String(n.id)))
        }
        emptyText = unreadOnly ? "没有未读消息。" : "暂无消息。催办、黄牌红牌、审核退回、退单、延期审批结果和新派工单会在这里提醒。"
        markAllUpTo = notices.unread > 0 ? notices.notices.first.map { String($0.id) } ?? "" : nil
        page = String(notices.page)
        func link(_ page: Int) -> String {
            var items: [String] = []
            if unreadOnly { items.append("unread=true") }
            if page > 1 { items.append("page=\(page)") }
            return WebRoutes.notices + (items.isEmpty ? "" : "?" + items.joined(separator: "&"))
        }
        previous = notices.page > 1 ? link(notices.page - 1) : nil
        next = notices.hasMore ? link(notices.page + 1) : nil
    }
}

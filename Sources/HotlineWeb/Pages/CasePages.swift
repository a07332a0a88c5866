import Foundation
import HotlineDomain
import HotlineStorage

/// 典型案例库: cases by words, tags, matter and marking date, newest first, a page at a time.
struct CaseListPage: Sendable {
    struct Row: Sendable {
        var title: String
        var href: String
        var tags: [String]
        var category: String
        var orderTitle: String
        var note: String
        var marked: String
        var retired: Bool
    }

    var title = "典型案例库"
    var user: PageUser?
    var notice: String?
    var query: String
    var tags: [PageOption]
    var categories: [PageOption]
    var from: String
    var to: String
    /// Markers: 在用 / 已撤销 / 全部.
    var isMarker: Bool
    var states: [PageOption]
    var lead: String
    var rows: [Row]
    var emptyText: String
    var page: Int
    var previous: String?
    var next: String?
}

/// One case: why it is typical and what to learn, the order's request and answer with the caller masked, the link to
/// the order for readers who may open it, and the retire form for markers.
struct CasePage: Sendable {
    var title: String
    var user: PageUser?
    var notice: String?
    var error: String?
    var heading: String
    var retired: String?
    var tags: [String]
    var note: String
    var facts: [OrderDetailPage.Fact]
    var orderTitle: String
    var orderContent: String
    var answer: String?
    var retireAction: String?
    var backHref = WebRoutes.cases
}

/// 标为典型案例: the form for a finished order.
struct CaseFormPage: Sendable {
    struct Tag: Sendable {
        var value: String
        var label: String
        var checked: Bool
    }

    var title = "标为典型案例"
    var user: PageUser?
    var error: String?
    var orderNumber: String
    var orderHref: String
    var orderTitle: String
    var orderSummary: String
    var titleValue: String
    var tags: [Tag]
    var note: String
    var action = WebRoutes.casesNew
}

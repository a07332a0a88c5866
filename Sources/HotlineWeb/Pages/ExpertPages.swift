import Foundation
import HotlineDomain

/// 专家坐席: the seats (who answers what, when, whether staffed now) and the user's consultations — their own
/// questions (agents, dispatchers), their seats' (specialists), every one (supervisors, managers, admins).
struct ExpertsPage: Sendable {
    struct Seat: Sendable {
        var name: String
        var unit: String
        var matters: String
        var hours: String
        var specialists: String
        var note: String
        var staffed: Bool
        var retired: Bool
        var waiting: String?
        var askHref: String?
        var editHref: String?
    }

    struct Row: Sendable {
        var href: String
        var question: String
        var seat: String
        var asker: String
        var asked: String
        var how: String
        var status: String
        var waiting: Bool
    }

    var title = "专家坐席"
    var user: PageUser?
    var notice: String?
    var lead: String
    var seats: [Seat]
    var newSeatHref: String?
    var listHeading: String
    var rows: [Row]
    var emptyText: String
    var states: [PageOption]
    var filterAction = WebRoutes.experts
}

/// 转专家坐席: the question form, the seat serving the matter first.
struct ExpertAskPage: Sendable {
    var title = "转专家坐席"
    var user: PageUser?
    var error: String?
    var seats: [PageOption]
    var categories: [PageOption]
    var question: String
    var orderNumber: String
    var callID: String
    var hasCall: Bool
    var threeWay: Bool
    var lead: String
    var action = WebRoutes.expertsAsk
    var backHref = WebRoutes.experts
}

/// One consultation: the question, how it came (转接, 三方通话, 留言), the answer; the answer form for the seat's
/// specialists; 转为知识草稿 for an answer without a draft.
struct ExpertConsultationPage: Sendable {
    var title = "专家会商"
    var user: PageUser?
    var notice: String?
    var error: String?
    var heading: String
    var status: String
    var waiting: Bool
    var question: String
    var facts: [OrderDetailPage.Fact]
    var answer: String?
    var answeredBy: String?
    var draftHref: String?
    var answerAction: String?
    var answerText: String
    var draftAction: String?
    var backHref = WebRoutes.experts
}

/// A seat's settings for managers.
struct ExpertSeatFormPage: Sendable {
    struct Choice: Sendable {
        var value: String
        var label: String
        var checked: Bool
    }

    var title: String
    var user: PageUser?
    var error: String?
    var heading: String
    var action: String
    var name: String
    var units: [PageOption]
    var matters: [Choice]
    var hours: String
    var specialists: [Choice]
    var note: String
    var editing: Bool
    var active: Bool
    var backHref = WebRoutes.experts
}

import Foundation
import HotlineDomain
import HotlineStorage

/// A link of the knowledge pages (filters, category tree, pages); `current` marks where the reader is.
struct KnowledgeLink: Sendable, Equatable {
    var label: String
    var href: String
    var current: Bool = false
}

/// 知识库: the search box, browsing by category, and for editors the status filter and their own drafts.
struct KnowledgeListPage: Sendable {
    struct Row: Sendable {
        var title: String
        var href: String
        /// HTML-safe excerpt with `<mark>` around the words searched for (ranked search).
        var snippet: String?
        /// The answer's opening words, when there is no snippet.
        var excerpt: String
        var category: String
        var unit: String
        var effective: String
        var expires: String
        var status: String
        /// `status-…` in app.css.
        var statusStyle: String
    }

    var title = "知识库"
    var user: PageUser?
    var heading: String
    var notice: String?
    var lead: String
    var query: String
    var categories: [PageOption]
    /// Editors only: the statuses to filter by, and their own drafts.
    var isEditor: Bool
    var statuses: [PageOption]
    var mine: Bool
    /// Editors: 全部 / 草稿 / 待审核 / 已发布 / 已下线 with counts.
    var statusTabs: [KnowledgeLink]
    /// The category path down to the one chosen (全部分类 first), and the categories one level below it.
    var breadcrumb: [KnowledgeLink]
    var subcategories: [KnowledgeLink]
    var hasSubcategories: Bool
    var rows: [Row]
    var emptyText: String
    var page: Int
    var previous: String?
    var next: String?
    var newHref: String
    var importHref: String

    /// The heading of a list: the home tiles' names for the editors' queues.
    static func heading(query: String, status: KnowledgeStatus?, mine: Bool, categoryName: String?) -> String {
        if !query.isEmpty { return "知识检索" }
        var heading: String
        switch status {
        case .draft?: heading = mine ? "我的知识草稿" : "知识草稿"
        case .inReview?: heading = mine ? "我提交的待审核知识" : "知识待审核"
        case .published?: heading = "已发布知识"
        case .retired?: heading = "已下线知识"
        case nil: heading = mine ? "我编辑的知识" : "知识库"
        }
        if let categoryName { heading += "：" + categoryName }
        return heading
    }

    /// The status a reader is shown for an entry: the working status for editors; for everyone else whether the
    /// approved answer applies today (已发布, 未生效, 已失效).
    static func status(_ stored: KnowledgeStore.Stored, content: KnowledgeContent, editor: Bool, now: Date) -> (label: String, style: String) {
        if let from = content.effectiveFrom, now < from { return (editor ? stored.entry.status.chineseName + "（未生效）" : "未生效", "status-waiting") }
        if let to = content.expiresAt, to <= now { return (editor ? stored.entry.status.chineseName + "（已失效）" : "已失效", "status-retired") }
        guard editor else { return ("已发布", "status-published") }
        switch stored.entry.status {
        case .draft: return (stored.entry.published == nil ? "草稿" : "草稿（已发布版本在用）", "status-draft")
        case .inReview: return (stored.entry.published == nil ? "待审核" : "待审核（已发布版本在用）", "status-review")
        case .published: return ("已发布", "status-published")
        case .retired: return ("已下线", "status-retired")
        }
    }

    /// 生效 / 失效 as dates.
    static func day(_ date: Date?, none: String) -> String { date.map { CivilDay(containing: $0).description } ?? none }
}

/// 知识条目: the entry, its history with review comments, feedback counts, and the steps the reader may take now.
struct KnowledgeEntryPage: Sendable {
    struct Fact: Sendable {
        var label: String
        var value: String
        var href: String? = nil
    }
    struct HistoryRow: Sendable {
        var at: String
        var who: String
        var action: String
        var version: String
        var status: String
        var note: String?
        /// A reviewer's rejection, shown so that the editor sees what to change.
        var isRejection: Bool
    }
    /// A step of the review loop as a form; `needsNote` steps take a required reason.
    struct ActionForm: Sendable {
        var name: String
        var action: String
        var hint: String
        var hasNote: Bool
        var needsNote: Bool
        var noteLabel: String
        var noteID: String
        /// `primary` or `danger`.
        var style: String
    }

    var title: String
    var user: PageUser?
    var notice: String?
    var error: String?
    var heading: String
    var status: String
    var statusStyle: String
    var facts: [Fact]
    var questions: [String]
    var hasQuestions: Bool
    var answer: String
    var keywords: String?
    /// Editors, while a new wording is under way: what agents are shown meanwhile.
    var publishedNote: String?
    var publishedAnswer: String?
    /// The latest review comment the editor has to act on (审核退回).
    var reviewComment: String?
    var isEditor: Bool
    var history: [HistoryRow]
    var editHref: String?
    var actions: [ActionForm]
    /// Why a step is not offered to this reader (e.g. their own wording cannot be approved by them).
    var unavailable: [String]
    var hasUnavailable: Bool
    var backHref: String
}

/// 新建 / 修改知识条目: the entry's fields as the API names them; questions one per line.
struct KnowledgeFormPage: Sendable {
    var title: String
    var user: PageUser?
    var heading: String
    var error: String?
    var action: String
    var submitLabel: String
    var titleValue: String
    var questions: String
    var answer: String
    var categories: [PageOption]
    var units: [PageOption]
    var keywords: String
    var effectiveFrom: String
    var expiresAt: String
    /// 转为知识草稿: the finished order the draft comes from.
    var sourceOrder: String?
    var sourceText: String?
    var sourceHref: String?
    var cancelHref: String
}

/// 导入知识: a CSV file or pasted text, every row or none, submitted for review.
struct KnowledgeImportPage: Sendable {
    var title = "导入知识"
    var user: PageUser?
    var notice: String?
    var error: String?
    /// The form posts as multipart with its CSRF token in the URL, checked before the body is read.
    var action: String
    var csv: String
    var reviewHref: String
}

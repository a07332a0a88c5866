import Foundation
import HotlineDomain
import HotlineStorage

/// 话术库: the scripts by words, matter and situation; editors' new-script button and the retired ones.
struct ScriptListPage: Sendable {
    struct Row: Sendable {
        var title: String
        var href: String
        var situation: String
        var category: String
        var text: String
        var tags: String
        var retired: Bool
    }

    var title = "话术库"
    var user: PageUser?
    var notice: String?
    var query: String
    var categories: [PageOption]
    var situations: [PageOption]
    var isEditor: Bool
    /// Editors: 在用 / 已停用 / 全部.
    var states: [PageOption]
    var rows: [Row]
    var emptyText: String
    var page: Int
    var previous: String?
    var next: String?
    var newHref = WebRoutes.scriptsNew
}

/// One script: its words, matter, situation, tags, and for editors the history and the edit, retire and restore forms.
struct ScriptPage: Sendable {
    struct HistoryRow: Sendable {
        var at: String
        var who: String
        var action: String
        var version: String
        var text: String
        var note: String?
    }

    var title: String
    var user: PageUser?
    var notice: String?
    var error: String?
    var heading: String
    var retired: Bool
    var facts: [OrderDetailPage.Fact]
    var text: String
    var isEditor: Bool
    var editHref: String?
    /// The retire form (a reason required) for a script in use, the restore form for a retired one.
    var retireAction: String?
    var restoreAction: String?
    var history: [HistoryRow]
    var backHref = WebRoutes.scripts
}

/// The new-script and edit forms.
struct ScriptFormPage: Sendable {
    var title: String
    var user: PageUser?
    var heading: String
    var error: String?
    var action: String
    var submitLabel: String
    var titleValue: String
    var categories: [PageOption]
    var situations: [PageOption]
    var text: String
    var tags: String
    var cancelHref: String
}

extension ScriptPage {
    /// Where a script's matter is shown: the category's path, or 通用.
    static func matter(_ code: String?, paths: [String: String]) -> String {
        code.map { paths[$0] ?? $0 } ?? "通用（所有事项）"
    }
}

import HotlineDomain
import HotlineStorage

/// 限制呼入: the restrictions in force (the phone masked for roles that may not see it whole), the form to restrict a
/// number and, on each row, the form to lift it with a reason. Admins reach it from 系统管理, supervisors from their
/// header.
struct AdminRestrictionsPage: Sendable {
    struct Row: Sendable {
        var id: String
        var phone: String
        var reason: String
        var by: String
        var since: String
        var until: String
        var liftAction: String
    }

    var title = "限制呼入"
    var user: PageUser?
    var sections: [AdminSection]
    /// Whether to show the administration navigation (admins) or none (supervisors).
    var adminNav: Bool
    var notice: String?
    var error: String?
    var totalText: String
    var rows: [Row]
    var phone: String = ""
    var reason: String = ""
    var endsOn: String = ""
    /// The date picker's bounds: today and the longest restriction's last day.
    var firstDay: String
    var lastDay: String
    var hint: String
}

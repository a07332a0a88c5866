import HotlineDomain
import HotlineStorage

/// 派单目录: entries (category × district or city-wide → unit), the form to set or remove one, the change history.
struct AdminCataloguePage: Sendable {
    struct Row: Sendable {
        var categoryCode: String
        var categoryName: String
        /// The district as shown (全市 for city-wide) and as posted ('' for city-wide).
        var districtName: String
        var district: String
        var unitName: String
    }

    struct Change: Sendable {
        var at: String
        var actor: String
        var category: String
        var district: String
        var old: String
        var new: String
        var note: String?
    }

    var title = "派单目录"
    var user: PageUser?
    var sections: [AdminSection]
    var notice: String?
    var error: String?
    var totalText: String
    var rows: [Row]
    var categories: [PageOption]
    var districts: [PageOption]
    var units: [PageOption]
    var note: String
    var history: [Change]
    var page: Int
    var previous: String?
    var next: String?

}


import Foundation
import HotlineStorage

/// Every page path of the web console, in one place.
public enum WebRoutes {
    public static let home = "/"
    public static let login = "/login"
    public static let logout = "/logout"
    public static let assets = "/assets"
    public static let orders = "/orders"
    public static let intake = "/intake"
    /// 督办看板.
    public static let supervision = "/supervision"
    /// Server-sent events with the signed-in user's queue counts.
    public static let liveQueues = "/live/queues"
    /// Server-sent events that tell an open list, order page or board that what it shows has changed.
    public static let livePage = "/live/page"
    /// 消息提醒: the signed-in user's notices; marking them read; opening one (marks it read, then its order).
    public static let notices = "/notices"
    public static let noticesRead = notices + "/read"
    public static func noticeOpen(_ id: String) -> String { notices + "/" + id + "/open" }
    public static func order(_ number: String) -> String { orders + "/" + number }
    public static func attachment(_ number: String, _ sha256: String) -> String { order(number) + "/attachments/" + sha256 }
    /// 查看完整号码: shows the caller's full phone or ID number once, audited.
    public static func reveal(_ number: String) -> String { order(number) + "/reveal" }

    /// The list page of a filter (status, overdue, unit), with a sort and a page.
    static func orders(_ f: OrderFilter, dueSoon: Bool = false, sort: OrderSort? = nil, page: Int? = nil) -> String {
        var items: [(String, String)] = []
        if !f.statuses.isEmpty { items.append(("status", f.statuses.map(\.rawValue).joined(separator: ","))) }
        if let o = f.overdue { items.append(("overdue", o ? "true" : "false")) }
        if dueSoon { items.append(("due_soon", "true")) }
        if let u = f.unit { items.append(("unit", u)) }
        if let c = f.categoryCode { items.append(("category", c)) }
        if let k = f.kind { items.append(("kind", k.rawValue)) }
        if let c = f.channel { items.append(("channel", c.rawValue)) }
        if let q = f.text { items.append(("q", q)) }
        if let s = sort { items.append(("sort", s.rawValue)) }
        if let p = page, p > 1 { items.append(("page", String(p))) }
        guard !items.isEmpty else { return orders }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_.,"))
        return orders + "?" + items.map { $0 + "=" + ($1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") }.joined(separator: "&")
    }
    public static func asset(_ name: String) -> String { assets + "/" + name }

    /// Pages anyone may open without signing in; every other page sends the browser to the login page.
    public static let open: Set<String> = ["GET " + login, "POST " + login, "GET " + assets + "/{name}"]

    /// Where to go after logging in: only a path of this site, never another origin. Refused (home instead):
    /// anything that does not start with one `/`, control characters and whitespace (browsers drop tabs and
    /// newlines, so `/\t/evil.example` would become `//evil.example`), backslashes (read as `/`), and the same
    /// tricks percent-encoded, checked again after decoding.
    public static func safeNext(_ next: String?) -> String {
        guard let next, next.count <= 200, isSitePath(next), let decoded = next.removingPercentEncoding, isSitePath(decoded) else { return home }
        return next
    }

    static func isSitePath(_ path: String) -> Bool {
        guard path.hasPrefix("/"), !path.hasPrefix("//") else { return false }
        return !path.unicodeScalars.contains { scalar in
            scalar == "\\" || scalar.properties.generalCategory == .control || scalar.properties.isWhitespace
                || scalar.properties.generalCategory == .format
        }
    }
}

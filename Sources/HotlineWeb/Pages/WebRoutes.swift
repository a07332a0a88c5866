import Foundation
import HotlineDomain
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
    /// 考评指标 and 考评排名 with its export.
    public static let insightMeasures = "/insight/measures"
    public static let insightRanking = "/insight/ranking"
    public static let insightRankingExport = "/insight/ranking/export"
    /// Server-sent events with the signed-in user's queue counts.
    public static let liveQueues = "/live/queues"
    /// 话务大屏, for a wall display.
    public static let screen = "/screen"
    /// Prometheus metrics (a `metrics:read` key or an admin).
    public static let metrics = "/metrics"
    /// 话务中心: the call centre's pages for the role.
    public static let callCentre = "/callcentre"
    /// 坐席绩效 and 服务之星 (`?week=` a day of the week); the managers' targets form posts to `performanceTargets`.
    public static let performance = "/performance"
    public static let performanceTargets = performance + "/targets"
    /// Server-sent events of the calls the signed-in agent answers (来电弹屏).
    public static let liveCalls = "/live/calls"
    /// Server-sent events that tell an open list, order page or board that what it shows has changed.
    public static let livePage = "/live/page"
    /// 消息提醒: the signed-in user's notices; marking them read; opening one (marks it read, then its order).
    public static let notices = "/notices"
    public static let noticesRead = notices + "/read"
    public static func noticeOpen(_ id: String) -> String { notices + "/" + id + "/open" }
    public static func order(_ number: String) -> String { orders + "/" + number }
    /// 热点预警: the current hot topics; one topic with its orders; refreshing them now; their thresholds.
    public static let insightTopics = "/insight/topics"
    public static func insightTopic(_ id: String) -> String { insightTopics + "/" + id }
    public static let insightTopicsRefresh = insightTopics + "/refresh"
    public static let insightTopicsSettings = insightTopics + "/settings"
    /// 报告: the stored reports (POST: a special report); one report, `?format=xlsx|pdf|csv&table=…` its files.
    public static let insightReports = "/insight/reports"
    public static func insightReport(_ id: String) -> String { insightReports + "/" + id }
    public static func attachment(_ number: String, _ sha256: String) -> String { order(number) + "/attachments/" + sha256 }
    /// 查看完整号码: shows the caller's full phone or ID number once, audited.
    public static func reveal(_ number: String) -> String { order(number) + "/reveal" }

    /// 导出 CSV of a list: the same query as the list.
    public static let ordersExport = "/orders/export"

    /// The list page of a filter (every field `OrderQuery` reads), with a sort and a page; `base` gives the export's path.
    static func orders(_ f: OrderFilter, dueSoon: Bool = false, sort: OrderSort? = nil, page: Int? = nil, base: String = orders) -> String {
        var items: [(String, String)] = []
        if !f.statuses.isEmpty { items.append(("status", f.statuses.map(\.rawValue).joined(separator: ","))) }
        if let o = f.overdue { items.append(("overdue", o ? "true" : "false")) }
        if dueSoon { items.append(("due_soon", "true")) }
        if let u = f.unit { items.append(("unit", u)) }
        if let u = f.leadUnit { items.append(("lead_unit", u)) }
        if let c = f.categoryCode { items.append(("category", c)) }
        if let k = f.kind { items.append(("kind", k.rawValue)) }
        if let c = f.channel { items.append(("channel", c.rawValue)) }
        if let l = f.lane { items.append(("lane", l.rawValue)) }
        for (on, name) in [(f.extensionPending, "extension_pending"), (f.sentBack, "sent_back"), (f.redone, "redone"), (f.urged, "urged"),
                           (f.carded, "carded"), (f.supervisionFlagged, "supervision_flagged")] where on {
            items.append((name, "true"))
        }
        if f.awaitsCoordination { items.append(("escalated", "pending")) }
        if let from = f.createdFrom { items.append(("from", dateParameter(from, inclusiveEnd: false))) }
        if let to = f.createdTo { items.append(("to", dateParameter(to, inclusiveEnd: true))) }
        if let q = f.text { items.append(("q", q)) }
        if let p = f.callerPhone { items.append(("phone", p)) }
        if let s = sort { items.append(("sort", s.rawValue)) }
        if let p = page, p > 1 { items.append(("page", String(p))) }
        guard !items.isEmpty else { return base }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_.,"))
        return base + "?" + items.map { $0 + "=" + ($1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") }.joined(separator: "&")
    }

    /// A period bound as the query gives it: a date when it falls on midnight (the end bound names the last day it
    /// includes), the exact time otherwise.
    static func dateParameter(_ date: Date, inclusiveEnd: Bool) -> String {
        let day = CivilDay(containing: date)
        guard day.start == date else { return date.chinaISO8601 }
        return (inclusiveEnd ? day.adding(days: -1) : day).description
    }
    public static func asset(_ name: String) -> String { assets + "/" + name }
    /// Leaflet from Debian's libjs-leaflet, served by the platform (地图).
    public static let leaflet = assets + "/leaflet"
    /// 工单地图: orders and hot spots by district and street.
    public static let insightMap = "/insight/map"
    /// 驻场分析: the ranking of departments and matters, the stationings; recording and removing one.
    public static let insightSpecialists = "/insight/specialists"
    public static func insightSpecialistRemove(_ id: String) -> String { insightSpecialists + "/" + id + "/remove" }

    /// 知识库: search and browse; editors' drafts, review and import.
    public static let knowledge = "/knowledge"
    public static let knowledgeNew = knowledge + "/new"
    public static let knowledgeImport = knowledge + "/import"
    public static func knowledgeEntry(_ id: String) -> String { knowledge + "/" + id }
    public static func knowledgeEdit(_ id: String) -> String { knowledgeEntry(id) + "/edit" }
    /// A step of the review loop: submit, approve, reject, retire (and edit, posted from the edit form).
    public static func knowledgeAction(_ id: String, _ action: String) -> String { knowledgeEntry(id) + "/" + action }
    /// The new-entry form filled from a finished order (转为知识草稿).
    public static func knowledgeDraft(fromOrder number: String) -> String { knowledgeNew + "?from_order=" + number }

    /// The knowledge list of a search, category, status or an editor's own entries, with a page.
    static func knowledgeList(query: String? = nil, category: String? = nil, status: KnowledgeStatus? = nil, mine: Bool = false, page: Int? = nil) -> String {
        var items: [(String, String)] = []
        if let q = query, !q.isEmpty { items.append(("q", q)) }
        if let c = category { items.append(("category", c)) }
        if let s = status { items.append(("status", s.rawValue)) }
        if mine { items.append(("mine", "true")) }
        if let p = page, p > 1 { items.append(("page", String(p))) }
        guard !items.isEmpty else { return knowledge }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        return knowledge + "?" + items.map { $0 + "=" + ($1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") }.joined(separator: "&")
    }

    /// 话术库: the list with its search; a new script; one script with its history; its edit form; retire and restore.
    /// 专家坐席: the seats and the user's consultations; a seat's settings; asking; one consultation.
    public static let experts = "/experts"
    public static let expertSeatNew = experts + "/seats/new"
    public static func expertSeat(_ id: String) -> String { experts + "/seats/" + id }
    public static let expertsAsk = experts + "/ask"
    public static func expertConsultation(_ id: String) -> String { experts + "/consultations/" + id }
    public static func answerConsultation(_ id: String) -> String { expertConsultation(id) + "/answer" }
    public static func consultationDraft(_ id: String) -> String { expertConsultation(id) + "/knowledge-draft" }
    public static let scripts = "/scripts"
    public static let scriptsNew = scripts + "/new"
    public static func script(_ id: String) -> String { scripts + "/" + id }
    public static func scriptEdit(_ id: String) -> String { script(id) + "/edit" }
    public static func scriptAction(_ id: String, _ action: String) -> String { script(id) + "/" + action }

    /// 典型案例库: the library with its search; marking an order (`?order=`); one case; retiring it.
    public static let cases = "/cases"
    public static let casesNew = cases + "/new"
    public static func casesNew(order number: String) -> String { casesNew + "?order=" + number }
    public static func typicalCase(_ id: String) -> String { cases + "/" + id }
    public static func retireCase(_ id: String) -> String { typicalCase(id) + "/retire" }

    /// 质检: the role's first tab; batches (POST draws one); one batch; one inspection and its steps; the agent's own;
    /// the appeals to decide; the scoring forms (new, one with its versions); the trends.
    public static let quality = "/quality"
    public static let qualityBatches = quality + "/batches"
    public static func qualityBatch(_ id: String) -> String { qualityBatches + "/" + id }
    public static func qualityInspection(_ id: String) -> String { quality + "/inspections/" + id }
    public static func qualityAction(_ id: String, _ action: String) -> String { qualityInspection(id) + "/" + action }
    public static let qualityMine = quality + "/mine"
    public static let qualityAppeals = quality + "/appeals"
    public static let qualityForms = quality + "/forms"
    public static let qualityFormsNew = qualityForms + "/new"
    public static func qualityForm(_ id: String) -> String { qualityForms + "/" + id }
    public static let qualityTrends = quality + "/trends"
    /// 排班: the week grid (POST saves its cells); a day's coverage; one cell edited in full; teams and shifts; copying a
    /// week; calling a standby agent in. 人力预测: the forecast and requirement of a day.
    public static let schedules = "/schedules"
    public static let scheduleDay = schedules + "/day"
    public static let scheduleCell = schedules + "/cell"
    public static let scheduleSetup = schedules + "/setup"
    public static let scheduleTeams = schedules + "/teams"
    public static let scheduleShifts = schedules + "/shifts"
    public static let scheduleCopyWeek = schedules + "/copy-week"
    public static let scheduleCallIn = schedules + "/call-in"
    public static let staffing = "/staffing"

    /// A page of a list with its query items (empty values left out).
    static func list(_ base: String, _ items: [(String, String?)]) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        let kept = items.compactMap { k, v in v.flatMap { $0.isEmpty ? nil : k + "=" + ($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") } }
        return kept.isEmpty ? base : base + "?" + kept.joined(separator: "&")
    }

    /// Pages anyone may open without signing in; every other page sends the browser to the login page.
    public static let open: Set<String> = [
        "GET " + login, "POST " + login, "GET " + assets + "/{name}", "GET " + leaflet + "/{name}", "GET " + leaflet + "/images/{name}",
    ]

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

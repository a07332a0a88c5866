import Foundation
import HotlineDomain
import HotlineStorage
import Hummingbird

/// The query string of GET /api/v1/orders (and of the console's list and its filter form):
/// `status` (comma list), `unit`, `lead_unit`, `category`, `kind`, `channel`, `lane`, `overdue`, `due_soon`, `from`, `to`
/// (a date alone in `to` takes that whole day), `q`, `phone`, the marks `extension_pending`, `sent_back`, `redone`,
/// `urged`, `carded`, `supervision_flagged` (true or false), `escalated=pending` (待协调督办), `page`, `page_size`, `sort`
/// (newest | oldest | due | urgent).
struct OrderQuery {
    var filter = OrderFilter()
    var page = PageRequest()
    /// `due_soon=true`: due by the end of the next working day (needs the calendar, so `resolved` turns it into a time).
    var dueSoon = false

    /// The end of the next working day: what "due soon" (即将超期) means.
    static func dueSoonLimit(now: Date, calendar: WorkingCalendar) -> Date { calendar.deadline(from: now, workingDays: 1) }

    /// The filter with "due soon" turned into a time.
    func resolved(now: Date, calendar: WorkingCalendar) -> OrderFilter {
        var f = filter
        if dueSoon { f.dueBefore = Self.dueSoonLimit(now: now, calendar: calendar) }
        return f
    }

    init(_ params: Parameters) throws {
        func value(_ key: String) -> String? {
            guard let v = params.get(key), !v.isEmpty else { return nil }
            return v
        }
        func parse<T: RawRepresentable<String>>(_ key: String, _ text: String) throws -> T {
            guard let v = T(rawValue: text) else { throw APIError.invalid(key, "未知取值 \(text)") }
            return v
        }
        if let s = value("status") {
            filter.statuses = try s.split(separator: ",").map { try parse("status", String($0)) as WorkOrderStatus }
        }
        filter.unit = value("unit")
        filter.categoryCode = value("category")
        if let k = value("kind") { filter.kind = try parse("kind", k) as RequestKind }
        if let c = value("channel") { filter.channel = try parse("channel", c) as Channel }
        if let o = value("overdue") {
            guard let flag = Bool(o) else { throw APIError.invalid("overdue", "应为 true 或 false") }
            filter.overdue = flag
        }
        func flag(_ key: String) throws -> Bool? {
            guard let text = value(key) else { return nil }
            guard let flag = Bool(text) else { throw APIError.invalid(key, "应为 true 或 false") }
            return flag
        }
        if let d = try flag("due_soon") { dueSoon = d }
        filter.leadUnit = value("lead_unit")
        if let l = value("lane") { filter.lane = try parse("lane", l) as Lane }
        filter.extensionPending = try flag("extension_pending") ?? false
        filter.sentBack = try flag("sent_back") ?? false
        filter.redone = try flag("redone") ?? false
        filter.urged = try flag("urged") ?? false
        filter.carded = try flag("carded") ?? false
        // 待协调督办: `escalated=pending` (escalated, open, no joint consultation yet).
        if let e = value("escalated") {
            guard e == "pending" else { throw APIError.invalid("escalated", "应为 pending（待协调督办）") }
            filter.awaitsCoordination = true
        }
        filter.supervisionFlagged = try flag("supervision_flagged") ?? false
        if let f = value("from") {
            guard let d = ISOTime.parse(f) else { throw APIError.invalid("from", "应为ISO 8601日期") }
            filter.createdFrom = d
        }
        if let t = value("to") {
            guard let d = ISOTime.parse(t) else { throw APIError.invalid("to", "应为ISO 8601日期") }
            // A date alone means up to the end of that day.
            filter.createdTo = CivilDay(iso: t).map { $0.adding(days: 1).start } ?? d
        }
        if let from = filter.createdFrom, let to = filter.createdTo, to <= from {
            throw APIError.invalid("to", "受理日期的结束日不能早于开始日")
        }
        if let q = value("q") {
            guard q.count <= 100 else { throw APIError.invalid("q", "检索词不能超过100字") }
            filter.text = q
        }
        filter.callerPhone = value("phone")
        var pageNumber = 1
        var size = 20
        if let p = value("page") {
            guard let n = Int(p), n >= 1, n <= 100_000 else { throw APIError.invalid("page", "应为正整数") }
            pageNumber = n
        }
        if let s = value("page_size") {
            guard let n = Int(s), (1...PageRequest.maximumSize).contains(n) else {
                throw APIError.invalid("page_size", "应在1到\(PageRequest.maximumSize)之间")
            }
            size = n
        }
        let sort = try value("sort").map { try parse("sort", $0) as OrderSort } ?? .newest
        page = PageRequest(page: pageNumber, size: size, sort: sort)
    }
}

import ArgumentParser
import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import HotlineText
import HotlineWeb
import Hummingbird
import Logging
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `hotline bench-pages`: server render time of the console's pages with many orders stored, measured through
/// a real server on loopback (request in, HTML out), signed in as the users who work those pages.
struct BenchPages: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-pages", abstract: "Measure web console page render times.")

    @Option(help: "Orders stored.") var orders: Int = 1_000_000
    @Option(help: "Requests per page.") var repeats: Int = 200
    @Option(help: "Knowledge entries stored (the demo's, repeated).") var knowledge: Int = 20_000
    @Option(help: "Port of the in-process server.") var port: Int = 18_181
    @Option(help: "Where the benchmark's SQLite file goes.") var sqlitePath: String = "data/bench-pages.sqlite"
    @Flag(help: "Keep the loaded database afterwards (to look into a query).") var keepDatabase = false
    @Flag(help: "Use --sqlite-path as it is, seeded beforehand by `hotline seed --demo` (e.g. 10,000,000 orders over 3 years), and keep it.")
    var seeded = false
    @Option(name: .customLong("database-url"), help: "A PostgreSQL database seeded beforehand by `hotline seed --demo`, used as it is.")
    var databaseURL: String?

    func run() async throws {
        let reuse = seeded || databaseURL != nil
        if !reuse { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) } }
        defer { if !keepDatabase && !reuse { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) } } }
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let calendar = try DatabaseOptions.parse([]).calendar()
        let location: DatabaseLocation = databaseURL.map { .postgres(url: $0) } ?? .sqlite(path: sqlitePath)
        let opening = Date()
        try await HotlineServices.with(location, calendar: calendar, logger: logger) { s in
            let now = Date()
            var stored = orders
            if reuse {
                let (total, newest) = try await s.measures.orderSpan()
                guard total > 0 else { throw ValidationError("the database holds no orders; seed it first with `hotline seed --demo`") }
                stored = total
                progress(String(format: "opened %d seeded orders (newest %@) in %.1f s", total, newest.map { CivilDay(containing: $0).description } ?? "-",
                                Date().timeIntervalSince(opening)))
            } else {
                _ = try await DemoSeeder(services: s).seed(orders: 0, now: now)
                let generator = OrderGenerator(city: try DemoCity.bundled(), context: s.reference.context, seed: 13)
                try await BenchRun.bulkLoad(s, count: orders, generator: generator, now: now)
                try await s.database.execute("ANALYZE")
            }
            let indexing = Date()
            try await s.loadIndexes(now: now)
            progress(String(format: "indexes loaded in %.1f s", Date().timeIntervalSince(indexing)))
            let app = try buildApplication(services: s, server: ServerConfiguration(port: port), logger: logger)
            let server = Task { try await app.runService() }
            defer { server.cancel() }
            let base = "http://127.0.0.1:\(port)"
            try await waitForServer(base)

            var pending = OrderFilter()
            pending.statuses = [.pendingDispatch]
            // Supervision on the overdue orders (urges on 200, a yellow card on every other one), and a reply with a
            // 500 KB photo, so that the board and the attachment route have something to serve.
            var overdue = OrderFilter()
            overdue.statuses = [.dispatched, .handling]
            overdue.overdue = true
            let supervisor = Actor(userID: "supervisor", role: .supervisor)
            let desk = HotlineApp(services: s).desk
            for (i, item) in try await s.orders.list(overdue, page: PageRequest(size: 200, sort: .due), now: now).items.enumerated() {
                _ = try await desk.apply(.urge(note: "请加快办理"), to: item.number, by: supervisor, at: now)
                if i % 2 == 0 { _ = try await desk.apply(.issueCard(colour: .yellow, reason: "催办后仍超期"), to: item.number, by: supervisor, at: now) }
            }
            // 消息提醒: a district with more notices than the bell counts (1,000 urges on its orders).
            var district = OrderFilter()
            district.statuses = [.dispatched, .handling]
            district.unit = "dist-jiangcheng"
            for page in 1...10 {
                for item in try await s.orders.list(district, page: PageRequest(page: page, size: 100, countsTotal: false), now: now).items {
                    _ = try await desk.apply(.urge(note: "请加快办理"), to: item.number, by: supervisor, at: now)
                }
            }
            var handling = OrderFilter()
            handling.statuses = [.handling]
            guard let replied = try await s.orders.list(handling, page: PageRequest(size: 1), now: now).items.first, let lead = replied.leadUnit else {
                throw ValidationError("no order in handling to reply to")
            }
            let photo = try AttachmentUpload(name: "现场照片.jpg", data: Data([0xFF, 0xD8, 0xFF, 0xE0] + (0..<500_000).map { UInt8(truncatingIfNeeded: $0) }))
            _ = try await desk.reply(replied.number, text: "已处理，附现场照片。", files: [photo], by: Actor(userID: "bench", role: .unitStaff, unit: lead), at: now)
            let photoPath = "/orders/\(replied.number)/attachments/\(photo.info.sha256 ?? "")"
            // A few restricted callers (限制呼入) for the administration page to list.
            for i in 0..<20 {
                _ = try await s.restrictions.restrict(
                    phone: "1390000\(String(format: "%04d", i))", reason: "反复无理占线", days: 30, by: supervisor, at: now,
                    audit: AuditEntry(at: now, actor: supervisor, action: .callerRestricted, client: "bench"))
            }
            let someOrders = try await s.orders.list(OrderFilter(), page: PageRequest(size: 100), now: now).items.map(\.number.description)
            let knowledgePages = try await Self.loadKnowledge(s, count: knowledge, now: now)
            // Finished orders an agent may turn into knowledge drafts (转为知识草稿).
            var finished = OrderFilter()
            finished.statuses = [.closed]
            let closedOrders = try await s.orders.list(finished, page: PageRequest(size: 20, countsTotal: false), now: now).items.map(\.number.description)
            // 热点预警: the stored topics of the recent orders, as the server's refresh leaves them.
            let topicsStarted = Date()
            _ = try await HotlineApp(services: s).topics.refresh(at: now)
            let topicPaths = try await s.hotTopics.current(limit: 20).map { "/insight/topics/\($0.id)" }
            progress(String(format: "hot-topic refresh: %.1f s, %d topics", Date().timeIntervalSince(topicsStarted), topicPaths.count))
            var pages: [(String, String, [String])] = [
                ("home, dispatcher", "dispatcher", ["/"]),
                ("home, district unit", "jiangcheng", ["/"]),
                ("list: pending dispatch, first page", "dispatcher", ["/orders?status=pending_dispatch"]),
                ("list: unit's overdue, by deadline", "jiangcheng", ["/orders?status=dispatched,handling&overdue=true&sort=due"]),
                ("list: all orders, page 50", "supervisor", ["/orders?page=50"]),
                ("order page, 100 different orders", "supervisor", someOrders.map { "/orders/" + $0 }),
                ("order page with dispatch advice", "dispatcher",
                 try await s.orders.list(pending, page: PageRequest(size: 50), now: now).items.map { "/orders/" + $0.number.description }),
                ("intake desk with caller profile", "agent", ["/intake?phone=13800000000"]),
                ("supervision board", "supervisor", ["/supervision"]),
                ("measures by unit, this month", "manager", ["/insight/measures?by=unit"]),
                ("measures by category, a year", "manager", ["/insight/measures?by=category&from=" + CivilDay(containing: now).adding(days: -364).description]),
                ("measures trend by month, a year", "manager", ["/insight/measures?by=month&from=" + CivilDay(containing: now).adding(days: -364).description]),
                ("unit ranking, this month", "manager", ["/insight/ranking"]),
                ("unit ranking, last month", "manager", ["/insight/ranking?month=" + Self.lastMonth(before: now)]),
                ("notices, district unit", "jiangcheng", ["/notices"]),
                ("notices, unread only, page 3", "jiangcheng", ["/notices?unread=true&page=3"]),
                ("live check: bell count", "jiangcheng", ["/live/queues?tiles=none&max_events=1"]),
                ("live check: pending list", "dispatcher", ["/live/page?max_events=1&path=%2Forders%3Fstatus%3Dpending_dispatch"]),
                ("live check: order page", "supervisor", someOrders.map { "/live/page?max_events=1&path=%2Forders%2F" + $0 }),
                ("live check: supervision board", "supervisor", ["/live/page?max_events=1&path=%2Fsupervision"]),
                ("reply photo, 500 KB", "supervisor", [photoPath]),
                ("home, supervisor", "supervisor", ["/"]),
                ("queue: 延期待审批", "dispatcher", ["/orders?status=handling&extension_pending=true"]),
                ("queue: unit's 审核退回", "jiangcheng", ["/orders?status=handling&unit=dist-jiangcheng&sent_back=true"]),
                ("queue: unit's 被催办", "jiangcheng", ["/orders?status=dispatched,handling&unit=dist-jiangcheng&urged=true"]),
                ("list: filtered by status, kind and lane", "supervisor", ["/orders?status=handling&kind=complaint&lane=urgent_livelihood"]),
                ("list: filtered by period, 紧急优先", "supervisor",
                 ["/orders?status=pending_dispatch,dispatched,handling&from=\(CivilDay(containing: now).adding(days: -7))&sort=urgent"]),
                ("list: filtered by words", "supervisor", ["/orders?status=handling&kind=complaint&q=%E8%B7%AF%E7%81%AF"]),
                ("export: filtered list as CSV", "supervisor", ["/orders/export?status=handling&kind=complaint&lane=urgent_livelihood"]),
                ("admin: units", "admin", ["/admin/units"]),
                ("admin: users", "admin", ["/admin/users"]),
                ("admin: dispatch catalogue", "admin", ["/admin/catalogue"]),
                ("admin: calendar", "admin", ["/admin/calendar?year=2025"]),
                ("admin: category tree", "admin", ["/admin/categories"]),
                ("admin: one category", "admin", s.reference.categories.prefix(50).map { "/admin/categories/" + $0.code }),
                ("admin: time limits", "admin", ["/admin/time-limits"]),
                ("admin: restricted callers", "admin", ["/admin/restrictions"]),
                ("admin: SLA rule (时限监控规则)", "admin", ["/admin/sla-rule"]),
                ("list: review overdue, by deadline", "reviewer", ["/orders?status=replied&overdue=true&sort=due"]),
                ("list: every stage overdue, by deadline", "supervisor", ["/orders?overdue=true&sort=due"]),
                ("home, reviewer", "reviewer", ["/"]),
                ("home, callback agent", "callback", ["/"]),
                ("home, knowledge editor", "editor", ["/"]),
                ("queue: unit's 重办", "jiangcheng", ["/orders?status=dispatched,handling&unit=dist-jiangcheng&redone=true"]),
                ("queue: unit's 被亮牌", "jiangcheng", ["/orders?status=dispatched,handling&unit=dist-jiangcheng&carded=true"]),
                ("list: callback overdue, by deadline", "callback", ["/orders?status=awaiting_callback&overdue=true&sort=due"]),
                ("转为知识草稿 form, agent", "agent", closedOrders.map { "/knowledge/new?from_order=" + $0 }),
                ("hot topics (热点预警)", "supervisor", ["/insight/topics"]),
                ("home, manager (rates, trend, ranking, topics)", "manager", ["/"]),
                ("specialist analysis (驻场分析), 90 days", "manager", ["/insight/specialists"]),
                ("specialist API, a year", "manager", ["/api/v1/specialists?from=" + CivilDay(containing: now).adding(days: -364).description]),
            ] + knowledgePages + Self.insightPages(s, now: now, callers: try await s.orders.list(OrderFilter(), page: PageRequest(size: 50), now: now).items.map(\.callerPhone))
            if !topicPaths.isEmpty { pages.append(("one hot topic with its orders", "supervisor", topicPaths)) }
            // 报告: this month's report generated (timed), then its stored page and the list.
            let reportStarted = Date()
            let reportID = try await HotlineApp(services: s).reports.generateSpecial(
                .init(title: "bench", from: CivilDay(containing: now).adding(days: -29).description, to: CivilDay(containing: now).description),
                by: Actor(userID: "bench", role: .manager), at: now)
            progress(String(format: "report (30 days) generated: %.1f s", Date().timeIntervalSince(reportStarted)))
            pages.append(("reports list (报告)", "manager", ["/insight/reports"]))
            pages.append(("one report, 30 days", "manager", ["/insight/reports/\(reportID)"]))
            pages += try await Self.qualityPages(s, now: now)
            pages.append(contentsOf: Self.schedulePages(now: now))
            print("")
            print("hotline bench-pages — \(ProcessInfo.processInfo.activeProcessorCount) cores, \(s.database.kind == .sqlite ? "SQLite" : "PostgreSQL"), \(stored) orders\(reuse ? " (seeded)" : ""), \(repeats) requests per page")
            print("| page | p50 (ms) | p95 (ms) | p99 (ms) |")
            print("|---|---:|---:|---:|")
            var cookies: [String: String] = [:]
            for (label, user, paths) in pages {
                if cookies[user] == nil { cookies[user] = try await logIn(base, user) }
                let cookie = cookies[user]!
                _ = try await fetch(base + paths[0], cookie: cookie)
                var samples: [Double] = []
                for i in 0..<repeats {
                    let started = ContinuousClock.now
                    let status = try await fetch(base + paths[i % paths.count], cookie: cookie)
                    guard status == 200 else { throw ValidationError("\(paths[i % paths.count]) answered \(status)") }
                    samples.append(milliseconds(ContinuousClock.now - started))
                }
                let l = Latency(samples)
                print(String(format: "| %@ | %.1f | %.1f | %.1f |", label, l.p50, l.p95, l.p99))
            }

        }
    }

    /// 质检: a batch of 20 orders and 20 calls of the last week drawn (timed) and half of it scored; then the inspector's
    /// batches, the batch and one inspection, the agent's own, the supervisor's appeals, the trends and the forms.
    static func qualityPages(_ s: HotlineServices, now: Date) async throws -> [(String, String, [String])] {
        let quality = HotlineApp(services: s).quality
        guard let inspector = try await s.directory.user("inspector") else { return [] }
        let started = Date()
        let batch = try await quality.draw(.init(rule: "random", calls: 20, orders: 20, seed: 1), by: inspector, at: now)
        progress(String(format: "quality batch drawn (%d targets): %.2f s", batch.drawn, Date().timeIntervalSince(started)))
        let inspections = try await quality.batch(batch.id, for: inspector).inspections
        let form = try await quality.forms(for: inspector).first
        for i in inspections.prefix(inspections.count / 2) where form != nil {
            _ = try await quality.score(i.id, .init(scores: form!.content.items.map { $0.weight - 2 }), by: inspector, at: now)
        }
        var pages: [(String, String, [String])] = [
            ("质检: batches", "inspector", ["/quality/batches"]), ("质检: one batch", "inspector", ["/quality/batches/\(batch.id)"]),
            ("质检: trends, 12 weeks", "manager", ["/quality/trends"]), ("质检: appeals", "supervisor", ["/quality/appeals"]),
            ("质检: my inspections", "agent", ["/quality/mine"]), ("质检: forms", "admin", ["/quality/forms"]),
        ]
        if !inspections.isEmpty {
            pages.append(("质检: one inspection", "inspector", inspections.prefix(20).map { "/quality/inspections/\($0.id)" }))
        }
        return pages
    }

    /// The month before `now`'s, as `YYYY-MM`: a whole month of orders whatever day the benchmark runs on.
    static func lastMonth(before now: Date) -> String {
        let c = CivilDay(containing: now).components
        let last = CivilDay(year: c.year, month: c.month, day: 1)!.adding(days: -1).components
        return String(format: "%04d-%02d", last.year, last.month)
    }

    /// The map (地图) and the caller profile (来电人画像): the page, its data for the default month and a year of open orders,
    /// and profiles of 50 callers by phone.
    static func insightPages(_ s: HotlineServices, now: Date, callers: [String]) -> [(String, String, [String])] {
        let today = CivilDay(containing: now)
        return [
            ("map page (工单地图), last 30 days", "manager", ["/insight/map"]),
            ("map data API, last 30 days", "manager", ["/api/v1/map"]),
            ("map data API, a year of open orders", "supervisor", ["/api/v1/map?from=\(today.adding(days: -365))&to=\(today)&status=open"]),
            ("caller profile API (来电人画像), 50 callers", "agent", callers.map { "/api/v1/callers/profile?phone=" + $0 }),
        ]
    }

    /// Stores `count` knowledge entries (the demo's published ones repeated, a few left in review and as drafts) and
    /// returns the knowledge pages to measure.
    static func loadKnowledge(_ s: HotlineServices, count: Int, now: Date) async throws -> [(String, String, [String])] {
        let pool = try await s.knowledge.store.servable().compactMap(\.entry.published)
        guard !pool.isEmpty else { throw ValidationError("the demo seed has no knowledge") }
        var entries: [KnowledgeContent] = []
        entries.reserveCapacity(count)
        while entries.count < count {
            var c = pool[entries.count % pool.count]
            c.title = String((c.title + "（\(entries.count / pool.count + 1)）").prefix(KnowledgeWorkflow.titleLimit))
            entries.append(c)
        }
        for start in stride(from: 0, to: entries.count, by: 2_000) {
            try await s.knowledge.store.insertPublished(Array(entries[start..<min(start + 2_000, entries.count)]), by: .system, at: now, note: "benchmark")
        }
        let editor = Actor(userID: "editor", role: .knowledgeEditor, unit: "centre")
        for c in pool.prefix(20) { _ = try await s.knowledge.store.create(c, by: editor, at: now) }
        _ = try await s.knowledge.store.createForReview(Array(pool.prefix(20)), by: editor, at: now, note: "benchmark")
        try await s.database.refreshPlannerStatistics(full: true)
        try await s.knowledge.reload()
        let ids = try await s.knowledge.store.browse(KnowledgeFilter(servedOnly: true), limit: 50, offset: 0).map { "/knowledge/\($0.entry.id)" }
        let queries = ["社保卡丢了怎么补办", "公积金提取需要什么材料", "路灯不亮找谁修", "孩子上学积分怎么算", "医保报销比例"].map {
            "/knowledge?q=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }
        let category = pool.compactMap(\.categoryCode).first.map { String($0.prefix(2)) } ?? "02"
        return [
            ("knowledge: search, agent", "agent", queries),
            ("knowledge: browse, first page", "agent", ["/knowledge"]),
            ("knowledge: browse by category", "agent", ["/knowledge?category=" + category]),
            ("knowledge: browse, page 50", "agent", ["/knowledge?page=50"]),
            ("knowledge: in review, editor", "editor", ["/knowledge?status=in_review"]),
            ("knowledge: my drafts, editor", "editor", ["/knowledge?status=draft&mine=true"]),
            ("knowledge: entry page, editor", "editor", ids),
            ("knowledge: entry page, agent", "agent", ids),
            ("knowledge: new entry form", "editor", ["/knowledge/new"]),
        ]
    }

    /// A client without a cookie jar that never follows redirects: each request is measured as exactly the page
    /// asked for, as exactly the user whose cookie it carries (a redirect to the login page counts as a failure).
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        return URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }()

    final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest,
            completionHandler: @escaping (URLRequest?) -> Void
        ) {
            completionHandler(nil)
        }
    }

    func waitForServer(_ base: String) async throws {
        for _ in 0..<100 {
            if (try? await fetch(base + "/api/v1/health", cookie: nil)) == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ValidationError("the benchmark server did not start")
    }

    func logIn(_ base: String, _ user: String) async throws -> String {
        var request = URLRequest(url: URL(string: base + "/api/v1/auth/session")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data("{\"username\": \"\(user)\", \"password\": \"\(DemoSeeder.demoPassword)\"}".utf8)
        request.httpShouldHandleCookies = false
        let (_, response) = try await Self.session.data(for: request)
        guard let http = response as? HTTPURLResponse, let cookie = http.value(forHTTPHeaderField: "Set-Cookie")?.split(separator: ";").first else {
            throw ValidationError("cannot sign in as \(user)")
        }
        return String(cookie)
    }

    func fetch(_ url: String, cookie: String?) async throws -> Int {
        var request = URLRequest(url: URL(string: url)!)
        request.httpShouldHandleCookies = false
        if let cookie { request.setValue(cookie, forHTTPHeaderField: "Cookie") }
        let (data, response) = try await Self.session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        if status != 200, let text = String(data: data, encoding: .utf8), let start = text.range(of: "<main") {
            print("\(url) answered \(status): " + text[start.lowerBound...].prefix(400).replacingOccurrences(of: "\n", with: " "))
        }
        return status
    }
}

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
    @Option(help: "Port of the in-process server.") var port: Int = 18_181
    @Option(help: "Where the benchmark's SQLite file goes.") var sqlitePath: String = "data/bench-pages.sqlite"
    @Flag(help: "Keep the loaded database afterwards (to look into a query).") var keepDatabase = false

    func run() async throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) }
        defer { if !keepDatabase { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) } } }
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let calendar = try DatabaseOptions.parse([]).calendar()
        try await HotlineServices.with(.sqlite(path: sqlitePath), calendar: calendar, logger: logger) { s in
            let now = Date()
            _ = try await DemoSeeder(services: s).seed(orders: 0, now: now)
            let generator = OrderGenerator(city: try DemoCity.bundled(), context: s.reference.context, seed: 13)
            try await BenchRun.bulkLoad(s, count: orders, generator: generator, now: now)
            try await s.database.execute("ANALYZE")
            try await s.loadIndexes(now: now)
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
            let someOrders = try await s.orders.list(OrderFilter(), page: PageRequest(size: 100), now: now).items.map(\.number.description)
            let pages: [(String, String, [String])] = [
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
                ("notices, district unit", "jiangcheng", ["/notices"]),
                ("notices, unread only, page 3", "jiangcheng", ["/notices?unread=true&page=3"]),
                ("live check: bell count", "jiangcheng", ["/live/queues?tiles=none&max_events=1"]),
                ("live check: pending list", "dispatcher", ["/live/page?max_events=1&path=%2Forders%3Fstatus%3Dpending_dispatch"]),
                ("live check: order page", "supervisor", someOrders.map { "/live/page?max_events=1&path=%2Forders%2F" + $0 }),
                ("live check: supervision board", "supervisor", ["/live/page?max_events=1&path=%2Fsupervision"]),
                ("reply photo, 500 KB", "supervisor", [photoPath]),
                ("admin: units", "admin", ["/admin/units"]),
                ("admin: users", "admin", ["/admin/users"]),
                ("admin: dispatch catalogue", "admin", ["/admin/catalogue"]),
                ("admin: calendar", "admin", ["/admin/calendar?year=2025"]),
            ]
            print("")
            print("hotline bench-pages — \(ProcessInfo.processInfo.activeProcessorCount) cores, SQLite, \(orders) orders, \(repeats) requests per page")
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

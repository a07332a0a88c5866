import ArgumentParser
import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import HotlineWeb
import Hummingbird
import Logging
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `hotline bench-channels`: intake through each channel end to end over HTTP on loopback — the citizen portal
/// (multipart form with a verified phone's session), Open311 (`POST requests.json`, form-encoded with an `api_key`), and
/// the gateways: SMS, WeChat (XML, SHA-1 signature), app and mayor's mailbox (JSON, HMAC-SHA256) — beside the staff
/// API's `POST /api/v1/orders`, in one run against one in-process server. Every request is a new message from a new
/// sender and a new client address (the server trusts `X-Forwarded-For` here, as behind a proxy), so the rate limits
/// stay on and never refuse one. The portal's sessions are opened beforehand, as a verified code would open them.
struct BenchChannels: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-channels", abstract: "Measure intake through each channel gateway over HTTP.")

    @Option(help: "Requests per entry point.") var requests: Int = 2_000
    @Option(help: "Requests in flight at once.") var concurrency: Int = 16
    @Option(help: "Port of the in-process server.") var port: Int = 18_182
    @Option(help: "Where the benchmark's SQLite file goes.") var sqlitePath: String = "data/bench-channels.sqlite"
    @Option(name: .customLong("database-url"), help: "An empty PostgreSQL database to run against instead of SQLite.") var databaseURL: String?

    static let key = "bench-gateway-key-0123456789"
    static let token = "benchToken2025"

    func run() async throws {
        if databaseURL == nil { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) } }
        defer { if databaseURL == nil { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) } } }
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let calendar = try DatabaseOptions.parse([]).calendar()
        let location: DatabaseLocation = databaseURL.map { .postgres(url: $0) } ?? .sqlite(path: sqlitePath)
        try await HotlineServices.with(location, calendar: calendar, logger: logger) { s in
            let now = Date()
            _ = try await DemoSeeder(services: s).seed(orders: 0, now: now)
            try await s.loadIndexes(now: now)
            for channel in Channel.gateways {
                try await s.channelGateways.setGateway(
                    channel, enabled: true, outboundURL: "", inboundSecret: channel == .wechat ? Self.token : Self.key, outboundSecret: nil,
                    by: "bench", at: now, audit: AuditEntry(at: now, actor: .system, action: .channelGatewayChanged, target: channel.rawValue))
            }
            let app = try buildApplication(services: s, server: ServerConfiguration(port: port, trustForwardedFor: true), logger: logger)
            let server = Task { try await app.runService() }
            defer { server.cancel() }
            let base = "http://127.0.0.1:\(port)"
            try await waitForServer(base)
            let token = try await logIn(base, "agent")
            let category = s.reference.context.categories.sorted().last ?? "01"
            let admin = try await logIn(base, "admin")
            let open311Key = try await issueKey(base, admin: admin, for: "agent")
            let service = s.reference.categories.first { node in !node.retired && !s.reference.categories.contains { $0.parentCode == node.code } }?.code ?? category
            let access = CitizenAccessStore(database: s.database)
            var sessions: [String] = []
            for i in 0..<requests { sessions.append(try await access.openSession(for: Self.portalPhone(i), at: now, lifetime: 3_600)) }
            let portalSessions = sessions
            print("hotline bench-channels: \(requests) requests per entry point, \(concurrency) in flight, \(s.database.kind == .postgres ? "PostgreSQL" : "SQLite")")
            print("")
            print("| entry point | requests/s | p50 (ms) | p99 (ms) | refused |")
            print("|---|---|---|---|---|")
            let entries: [(String, @Sendable (Int) throws -> URLRequest)] = [
                ("staff API POST /api/v1/orders", { try Self.staff(base, token: token, category: category, i: $0) }),
                ("portal POST /portal/submit (multipart)", { Self.portal(base, session: portalSessions[$0 % portalSessions.count], i: $0) }),
                ("Open311 POST /open311/v2/requests.json", { Self.open311(base, key: open311Key, service: service, i: $0) }),
                ("SMS POST /api/v1/channels/sms", { Self.json(base, .sms, i: $0) }),
                ("WeChat POST /api/v1/channels/wechat (XML)", { Self.wechat(base, i: $0) }),
                ("app POST /api/v1/channels/app", { Self.json(base, .app, i: $0) }),
                ("mailbox POST /api/v1/channels/mailbox", { Self.json(base, .mailbox, i: $0) }),
            ]
            for (offset, (label, make)) in entries.enumerated() {
                let (rate, latency, refused) = try await measure(first: offset * 1_000_000, make)
                print(String(format: "| %@ | %.0f | %.1f | %.1f | %d |", label, rate, latency.p50, latency.p99, refused))
            }
            let (stored, _) = try await s.measures.orderSpan()
            print("")
            print("orders stored: \(stored) (expected \(requests * entries.count))")
        }
    }

    /// Runs `requests` requests, `concurrency` at a time; the rate over the wall time, each request's latency, and how
    /// many were not answered 2xx.
    func measure(first: Int, _ make: @escaping @Sendable (Int) throws -> URLRequest) async throws -> (Double, Latency, Int) {
        let clock = ContinuousClock()
        let streams = concurrency, total = requests
        var samples: [Double] = []
        var refused = 0
        let wall = try await clock.measure {
            try await withThrowingTaskGroup(of: ([Double], Int).self) { group in
                for stream in 0..<streams {
                    group.addTask {
                        var mine: [Double] = [], bad = 0
                        for i in stride(from: stream, to: total, by: streams) {
                            let request = try make(first + i)
                            var status = 0
                            let took = try await clock.measure {
                                let (_, response) = try await BenchPages.session.data(for: request)
                                status = (response as? HTTPURLResponse)?.statusCode ?? 0
                            }
                            mine.append(milliseconds(took))
                            if !(200..<300).contains(status) { bad += 1 }
                        }
                        return (mine, bad)
                    }
                }
                for try await (mine, bad) in group {
                    samples += mine
                    refused += bad
                }
            }
        }
        return (Double(total) / (milliseconds(wall) / 1000), Latency(samples), refused)
    }

    static let texts = ["幸福路12号小区路灯坏了一周，晚上出行不便。", "人民路公交站台顶棚破损，下雨无处避雨，请尽快维修。", "小区楼下餐馆油烟扰民，请相关部门查处。"]

    /// A distinct client address per request, so the per-address budgets never refuse the benchmark.
    static func address(_ i: Int) -> String { "10.\(i / 65_536 % 256).\(i / 256 % 256).\(i % 256)" }

    static func request(_ url: String, body: Data, type: String, i: Int) -> URLRequest {
        var r = URLRequest(url: URL(string: url)!)
        r.httpMethod = "POST"
        r.httpBody = body
        r.setValue(type, forHTTPHeaderField: "Content-Type")
        r.setValue(address(i), forHTTPHeaderField: "X-Forwarded-For")
        r.httpShouldHandleCookies = false
        return r
    }

    static func staff(_ base: String, token: String, category: String, i: Int) throws -> URLRequest {
        let body: [String: Any] = [
            "channel": "phone", "caller": ["name": "市民", "phone": String(format: "139%08d", i % 100_000_000)], "kind": "complaint",
            "category_code": category, "title": "路灯不亮", "content": texts[i % texts.count], "location": ["address": "幸福路12号"],
        ]
        var r = request(base + APIRoutes.orders, body: try JSONSerialization.data(withJSONObject: body), type: "application/json", i: i)
        r.setValue("Bearer " + token, forHTTPHeaderField: "Authorization")
        return r
    }

    static func portalPhone(_ i: Int) -> String { String(format: "137%08d", i % 100_000_000) }

    /// 我要反映 as the browser sends it: a multipart form with the session's cookie and form token.
    static func portal(_ base: String, session: String, i: Int) -> URLRequest {
        let boundary = "----HotlineBench\(i)"
        var body = Data()
        for (name, value) in [("_csrf", PortalRoutes.formToken(forSession: session)), ("kind", "complaint"), ("content", texts[i % texts.count]),
                              ("address", "幸福路12号")] {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        var r = request(base + PortalRoutes.submit, body: body, type: "multipart/form-data; boundary=" + boundary, i: i)
        r.setValue("hotline_citizen=" + session, forHTTPHeaderField: "Cookie")
        return r
    }

    /// GeoReport v2's `POST requests.json`, form-encoded, with the key in the body.
    static func open311(_ base: String, key: String, service: String, i: Int) -> URLRequest {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let fields = [("api_key", key), ("service_code", service), ("description", texts[i % texts.count]), ("lat", "30.59"), ("long", "114.30"),
                      ("phone", String(format: "136%08d", i % 100_000_000)), ("first_name", "市民")]
        let text = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
        return request(base + "/open311/v2/requests.json", body: Data(text.utf8), type: "application/x-www-form-urlencoded", i: i)
    }

    static func json(_ base: String, _ channel: Channel, i: Int) -> URLRequest {
        let phone = String(format: "138%08d", i % 100_000_000)
        let fields: [String: Any] =
            switch channel {
            case .sms: ["message_id": "sms-\(i)", "phone": phone, "text": texts[i % texts.count]]
            case .app: ["message_id": "app-\(i)", "user_id": "user-\(i)", "phone": phone, "text": texts[i % texts.count]]
            default: ["message_id": "mail-\(i)", "email": "c\(i)@example.cn", "subject": "关于路灯的来信",
                      "body": String(repeating: texts[i % texts.count], count: 20)]
            }
        let body = try! JSONSerialization.data(withJSONObject: fields)
        let timestamp = String(Int64(Date().timeIntervalSince1970))
        var r = request(base + APIRoutes.channel(channel.rawValue), body: body, type: "application/json", i: i)
        r.setValue(timestamp, forHTTPHeaderField: "X-Hotline-Timestamp")
        r.setValue(ChannelSignature.hmac(body, timestamp: timestamp, secret: key), forHTTPHeaderField: "X-Hotline-Signature")
        return r
    }

    static func wechat(_ base: String, i: Int) -> URLRequest {
        let timestamp = String(Int64(Date().timeIntervalSince1970)), nonce = String(i)
        let query = "?signature=\(ChannelSignature.wechat(token: token, timestamp: timestamp, nonce: nonce))&timestamp=\(timestamp)&nonce=\(nonce)"
        let xml = "<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[openid-\(i)]]></FromUserName>"
            + "<CreateTime>\(timestamp)</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[\(texts[i % texts.count])]]></Content>"
            + "<MsgId>\(6_200_000_000_000_000_000 + i)</MsgId></xml>"
        return request(base + APIRoutes.channel("wechat") + query, body: Data(xml.utf8), type: "text/xml", i: i)
    }

    func waitForServer(_ base: String) async throws {
        for _ in 0..<100 {
            var r = URLRequest(url: URL(string: base + APIRoutes.health)!)
            r.httpShouldHandleCookies = false
            if let (_, response) = try? await BenchPages.session.data(for: r), (response as? HTTPURLResponse)?.statusCode == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ValidationError("the benchmark server did not start")
    }

    /// An API key of the `open311` scope for `user`, issued by the admin through the API.
    func issueKey(_ base: String, admin: String, for user: String) async throws -> String {
        let body = try JSONSerialization.data(withJSONObject: ["user_id": user, "label": "bench Open311", "scopes": ["open311"], "days": 1])
        var r = Self.request(base + APIRoutes.apiKeys, body: body, type: "application/json", i: 0)
        r.setValue("Bearer " + admin, forHTTPHeaderField: "Authorization")
        let (data, _) = try await BenchPages.session.data(for: r)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        guard let key = (object?["token"] ?? object?["key"]) as? String else { throw ValidationError("cannot issue an Open311 key: \(String(decoding: data, as: UTF8.self))") }
        return key
    }

    func logIn(_ base: String, _ user: String) async throws -> String {
        let body = Data("{\"username\": \"\(user)\", \"password\": \"\(DemoSeeder.demoPassword)\"}".utf8)
        let (data, _) = try await BenchPages.session.data(for: Self.request(base + APIRoutes.login, body: body, type: "application/json", i: 0))
        guard let token = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["token"] as? String else {
            throw ValidationError("cannot log in as \(user)")
        }
        return token
    }
}

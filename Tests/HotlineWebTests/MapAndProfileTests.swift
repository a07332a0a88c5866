import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
@testable import HotlineWeb
import Hummingbird
import HummingbirdTesting
import Testing

/// 工单地图 and 来电人画像 through the composition root, on every test database: counts by district and street over
/// the shapes a deployment gives, points and hot spots, filters, refusals that name the field and change nothing, the
/// page with and without Leaflet, and the profile's privacy rules.
@Suite struct MapAndProfileTests {
    let console = ConsoleTests()

    /// Shapes for the test city: 东区 and 西区 side by side, 幸福街道 the south-west quarter of 东区.
    static let shapes = """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"level":"district","name":"东区"},"geometry":{"type":"Polygon","coordinates":[[[120.0,30.0],[120.1,30.0],[120.1,30.1],[120.0,30.1],[120.0,30.0]]]}},
        {"type":"Feature","properties":{"level":"district","name":"西区"},"geometry":{"type":"Polygon","coordinates":[[[120.1,30.0],[120.2,30.0],[120.2,30.1],[120.1,30.1],[120.1,30.0]]]}},
        {"type":"Feature","properties":{"level":"street","district":"东区","name":"幸福街道","unit":"东区幸福街道办事处"},"geometry":{"type":"Polygon","coordinates":[[[120.0,30.0],[120.05,30.0],[120.05,30.05],[120.0,30.05],[120.0,30.0]]]}}
        ]}
        """

    /// Runs `body` with the test city's shapes and a Leaflet directory that has (or lacks) `leaflet.js`.
    func withMap(_ db: TestDatabase, leaflet: Bool = true, _ body: @escaping @Sendable (any TestClientProtocol, HotlineServices) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("map-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(Self.shapes.utf8).write(to: dir.appendingPathComponent("shapes.geojson"))
        if leaflet { try Data("/* leaflet */".utf8).write(to: dir.appendingPathComponent("leaflet.js")) }
        var server = ServerConfiguration(trustForwardedFor: true)
        server.map = MapSettings(shapesFile: dir.appendingPathComponent("shapes.geojson").path, leafletDirectory: dir.path)
        try await withAPI(db, clock: TestClock(), server: server) { client, services, _ in try await body(client, services) }
    }

    static func intake(phone: String, district: String?, street: String? = nil, at point: (Double, Double)? = nil, category: String = "01.01.01",
                       name: String = "张先生") -> [String: Any] {
        var location: [String: Any] = ["address": "幸福路12号"]
        if let district { location["district"] = district }
        if let street { location["street"] = street }
        if let point { location["latitude"] = point.0; location["longitude"] = point.1 }
        return ["channel": "phone", "kind": "complaint", "category_code": category, "title": "小区路灯不亮", "content": "小区路灯坏了一周，晚上出行不便。",
                "caller": ["name": name, "phone": phone], "location": location]
    }

    /// Four orders: two in 幸福街道 with coordinates, one in 东区 without, one in 西区 with coordinates (another category).
    func fourOrders(_ client: any TestClientProtocol) async throws -> [String] {
        var numbers: [String] = []
        for body in [
            Self.intake(phone: "13800000001", district: "东区", street: "东区幸福街道办事处", at: (30.021, 120.021)),
            Self.intake(phone: "13800000001", district: "东区", street: "东区幸福街道办事处", at: (30.0215, 120.0212)),
            Self.intake(phone: "13800000002", district: "东区"),
            Self.intake(phone: "13800000002", district: "西区", at: (30.05, 120.15), category: "02.01.01"),
        ] {
            let reply = try await client.post(APIRoutes.orders, as: "agent1", body)
            #expect(reply.status == .created, "\(reply.raw)")
            numbers.append(try #require(reply.order["number"] as? String))
        }
        return numbers
    }

    static func counts(_ reply: APIReply, _ key: String) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: (reply[key] as? [[String: Any]] ?? []).map { ($0["name"] as? String ?? "", $0["count"] as? Int ?? -1) })
    }

    @Test(arguments: TestDatabase.available)
    func theMapCountsOrdersByDistrictAndStreetAndDrawsTheirPoints(db: TestDatabase) async throws {
        try await withMap(db) { client, _ in
            _ = try await fourOrders(client)
            let map = try await client.call(.get, APIRoutes.map, as: "mgr1")
            #expect(map.status == .ok, "\(map.raw)")
            #expect(Self.counts(map, "districts") == ["东区": 3, "西区": 1])
            #expect(Self.counts(map, "streets") == ["幸福街道": 2])
            #expect(map["total"] as? Int == 4)
            #expect(map["located"] as? Int == 3)
            #expect(map["unplaced"] as? Int == 0)
            let points = map["points"] as? [[String: Any]] ?? []
            #expect(points.count == 3)
            #expect(points.allSatisfy { ($0["status_name"] as? String) == "待派单" })
            #expect(map["from"] as? String == "2025-02-02" && map["to"] as? String == "2025-03-03", "the last 30 days, today included")

            let shapes = try await client.call(.get, APIRoutes.mapShapes, as: "sup1")
            #expect(shapes.status == .ok)
            #expect((shapes["features"] as? [Any])?.count == 3)
        }
    }

    @Test(arguments: TestDatabase.available)
    func filtersNarrowByCategoryStatusAndPeriod(db: TestDatabase) async throws {
        try await withMap(db) { client, _ in
            let numbers = try await fourOrders(client)
            _ = try await client.post(APIRoutes.action(numbers[3], "dispatch"), as: "disp1", ["lead_unit": "dist-west"])
            let byCategory = try await client.call(.get, APIRoutes.map + "?category=01", as: "disp1")
            #expect(Self.counts(byCategory, "districts") == ["东区": 3, "西区": 0])
            let dispatched = try await client.call(.get, APIRoutes.map + "?status=dispatched", as: "disp1")
            #expect(Self.counts(dispatched, "districts") == ["东区": 0, "西区": 1])
            let open = try await client.call(.get, APIRoutes.map + "?status=open", as: "disp1")
            #expect(open["total"] as? Int == 4)
            let finished = try await client.call(.get, APIRoutes.map + "?status=finished", as: "disp1")
            #expect(finished["total"] as? Int == 0)
            let before = try await client.call(.get, APIRoutes.map + "?from=2025-01-01&to=2025-03-02", as: "disp1")
            #expect(before["total"] as? Int == 0, "the orders were taken on 3 March")
        }
    }

    @Test(arguments: TestDatabase.available)
    func badFiltersAreRefusedNamingTheField(db: TestDatabase) async throws {
        try await withMap(db) { client, _ in
            for (query, field, words) in [
                ("from=2025-13-01", "from", "开始日期"), ("to=tomorrow", "to", "结束日期"), ("from=2025-03-04&to=2025-03-01", "from", "开始日期"),
                ("from=2023-01-01&to=2025-03-03", "to", "一次最多366天"), ("status=lost", "status", "状态"), ("category=99.99", "category", "事项分类"),
            ] {
                let reply = try await client.call(.get, APIRoutes.map + "?" + query, as: "mgr1")
                #expect(reply.status == .unprocessableContent, "\(query): \(reply.raw)")
                let error = reply["error"] as? [String: Any]
                #expect(error?["field"] as? String == field, "\(query)")
                #expect((error?["message"] as? String)?.contains(words) == true, "\(query): \(reply.raw)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func onlyDispatchersSupervisorsAndManagersSeeTheMap(db: TestDatabase) async throws {
        try await withMap(db) { client, _ in
            for user in ["disp1", "sup1", "mgr1"] {
                #expect(try await client.call(.get, APIRoutes.map, as: user).status == .ok, "\(user)")
            }
            for user in ["agent1", "east1", "rev1", "cb1", "ed1", "admin1"] {
                #expect(try await client.call(.get, APIRoutes.map, as: user).status == .forbidden, "\(user)")
                #expect(try await client.call(.get, APIRoutes.mapShapes, as: user).status == .forbidden, "\(user)")
            }
            let unit = try await console.logIn(client, "east1")
            #expect(try await console.page(client, WebRoutes.insightMap, cookie: unit).status == .forbidden)
            let home = try await console.page(client, WebRoutes.home, cookie: unit)
            #expect(!home.raw.contains("href=\"/insight/map\""))
        }
    }

    @Test(arguments: TestDatabase.available)
    func theMapPageShowsTheTablesAndLoadsLeafletFromThePlatform(db: TestDatabase) async throws {
        try await withMap(db) { client, _ in
            _ = try await fourOrders(client)
            let manager = try await console.logIn(client, "mgr1")
            let page = try await console.page(client, WebRoutes.insightMap + "?category=01", cookie: manager)
            #expect(page.status == .ok)
            #expect(page.raw.contains("<a href=\"/insight/map\">地图</a>"))
            #expect(page.raw.contains("<script src=\"/assets/leaflet/leaflet.js\"></script>"))
            #expect(page.raw.contains("data-endpoint=\"/api/v1/map?from=2025-02-02&amp;to=2025-03-03&amp;category=01\""))
            #expect(page.raw.contains("<tr><td>东区</td><td>3</td></tr>"))
            #expect(page.raw.contains("<tr><td>东区 幸福街道</td><td>2</td></tr>"))
            #expect(page.raw.contains("2025-02-02 至 2025-03-03 共受理 3 件，其中 2 件有坐标。"))
            let script = try await client.send(.get, WebRoutes.leaflet + "/leaflet.js", headers: [:], body: nil)
            #expect(script.status == .ok && script.raw == "/* leaflet */")
            #expect(try await client.send(.get, WebRoutes.leaflet + "/..%2Fshapes.geojson", headers: [:], body: nil).status == .notFound)
            let refused = try await console.page(client, WebRoutes.insightMap + "?from=2025-13-01", cookie: manager)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.raw.contains("开始日期应为有效日期"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func withoutLeafletThePageSaysSoInChinese(db: TestDatabase) async throws {
        try await withMap(db, leaflet: false) { client, _ in
            let page = try await console.page(client, WebRoutes.insightMap, cookie: try await console.logIn(client, "sup1"))
            #expect(page.status == .ok)
            #expect(page.raw.contains("本服务器未安装地图组件（Debian 软件包 libjs-leaflet）"))
            #expect(!page.raw.contains("leaflet.js"))
            #expect(page.raw.contains("<h2 id=\"districts-h\">各区县工单数</h2>"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func hotSpotsGatherDenseOrders(db: TestDatabase) async throws {
        try await withMap(db) { client, _ in
            // Six orders within one 0.005° cell of 东区 and four alone in cells of 西区: mean 10 / 5 = 2, so a dense cell holds at
            // least max(5, 3 × 2) = 6 — the six make one hot spot centred on their cell, (6004.5 × 0.005, 24004.5 × 0.005).
            for i in 0..<6 {
                _ = try await client.post(APIRoutes.orders, as: "agent1",
                                          Self.intake(phone: "1390000000\(i)", district: "东区", at: (30.0201 + 0.0005 * Double(i), 120.0201)))
            }
            for (i, point) in [(30.01, 120.11), (30.03, 120.13), (30.05, 120.15), (30.07, 120.17)].enumerated() {
                _ = try await client.post(APIRoutes.orders, as: "agent1", Self.intake(phone: "1390000001\(i)", district: "西区", at: point))
            }
            let map = try await client.call(.get, APIRoutes.map, as: "mgr1")
            let spots = map["hot_spots"] as? [[String: Any]] ?? []
            #expect(spots.count == 1)
            #expect(spots.first?["count"] as? Int == 6)
            #expect(abs((spots.first?["latitude"] as? Double ?? 0) - 30.0225) < 1e-9)
            #expect(abs((spots.first?["longitude"] as? Double ?? 0) - 120.0225) < 1e-9)
        }
    }

    /// Five orders of one caller: the first as 王大爷, one as an enterprise, all this month.
    func frequentCaller(_ client: any TestClientProtocol, phone: String = "13700000001") async throws -> [String] {
        var numbers: [String] = []
        for i in 0..<5 {
            var body = Self.intake(phone: phone, district: "东区", name: i == 0 ? "王大爷" : "王先生")
            if i == 2 { body["caller"] = ["name": "江州市某某科技有限公司", "phone": phone, "type": "enterprise"] }
            numbers.append(try #require(try await client.post(APIRoutes.orders, as: "agent1", body).order["number"] as? String))
        }
        return numbers
    }

    @Test(arguments: TestDatabase.available)
    func theProfileTagsAFrequentElderlyEnterpriseCallerAndKeepsThePhoneMasked(db: TestDatabase) async throws {
        try await withMap(db) { client, _ in
            let numbers = try await frequentCaller(client)
            _ = try await client.post(APIRoutes.restrictions, as: "sup1", ["phone": "13700000001", "reason": "反复无理占线", "days": 7])
            let profile = try await client.call(.get, APIRoutes.callerProfile + "?phone=137%200000-0001", as: "agent1")
            #expect(profile.status == .ok, "\(profile.raw)")
            #expect(profile["phone"] as? String == "137****0001")
            #expect(profile["name"] as? String == "王**", "the latest order's name, masked")
            #expect(!profile.raw.contains("13700000001"))
            #expect(profile["total"] as? Int == 5 && profile["open"] as? Int == 5)
            #expect((profile["tags"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["老年人", "企业", "高频来电"])
            let months = profile["months"] as? [[String: Any]] ?? []
            #expect(months.count == 12 && months.last?["month"] as? String == "2025-03" && months.last?["count"] as? Int == 5)
            #expect(months.dropLast().allSatisfy { $0["count"] as? Int == 0 })
            #expect((profile["categories"] as? [[String: Any]])?.first?["count"] as? Int == 5)
            let restrictions = profile["restrictions"] as? [[String: Any]] ?? []
            #expect(restrictions.count == 1 && restrictions.first?["active"] as? Bool == true && restrictions.first?["reason"] as? String == "反复无理占线")
            let byOrder = try await client.call(.get, APIRoutes.callerProfile + "?order=" + numbers[0], as: "mgr1")
            #expect(byOrder.status == .ok && byOrder["total"] as? Int == 5)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aCallerWithFewOrdersHasNoTags(db: TestDatabase) async throws {
        try await withMap(db) { client, _ in
            _ = try await fourOrders(client)
            let profile = try await client.call(.get, APIRoutes.callerProfile + "?phone=13800000001", as: "cb1")
            #expect(profile["total"] as? Int == 2)
            #expect((profile["tags"] as? [Any])?.isEmpty == true, "2 orders in 30 days, an individual 张先生 without an ID number")
        }
    }

    @Test(arguments: TestDatabase.available)
    func rolesThatMayNotSeeCallersGetNothingAndBadLookupsNameTheField(db: TestDatabase) async throws {
        try await withMap(db) { client, _ in
            let numbers = try await frequentCaller(client)
            for user in ["east1", "rev1", "ed1", "admin1"] {
                let reply = try await client.call(.get, APIRoutes.callerProfile + "?phone=13700000001", as: user)
                #expect(reply.status == .forbidden, "\(user)")
                #expect(!reply.raw.contains("0001"), "\(user)")
            }
            let badPhone = try await client.call(.get, APIRoutes.callerProfile + "?phone=abc", as: "agent1")
            #expect(badPhone.status == .unprocessableContent)
            #expect((badPhone["error"] as? [String: Any])?["field"] as? String == "phone")
            #expect(((badPhone["error"] as? [String: Any])?["message"] as? String)?.contains("来电号码") == true)
            let neither = try await client.call(.get, APIRoutes.callerProfile, as: "agent1")
            #expect(neither.status == .unprocessableContent)
            #expect(try await client.call(.get, APIRoutes.callerProfile + "?order=20250303009999", as: "agent1").status == .notFound)
            #expect(try await client.call(.get, APIRoutes.callerProfile + "?phone=13911112222", as: "agent1").status == .notFound)

            // The console: the centre sees the profile on the order page and the intake desk; the unit does not.
            _ = try await client.post(APIRoutes.action(numbers[0], "dispatch"), as: "disp1", ["lead_unit": "dist-east"])
            let supervisor = try await console.page(client, WebRoutes.order(numbers[0]), cookie: try await console.logIn(client, "sup1"))
            #expect(supervisor.raw.contains("<h2 id=\"caller-profile-h\">来电人画像</h2>"))
            #expect(supervisor.raw.contains("<span class=\"tag\">高频来电</span>"))
            let unit = try await console.page(client, WebRoutes.order(numbers[0]), cookie: try await console.logIn(client, "east1"))
            #expect(unit.status == .ok)
            #expect(!unit.raw.contains("来电人画像"))
            let intake = try await console.page(client, WebRoutes.intake + "?phone=13700000001", cookie: try await console.logIn(client, "agent1"))
            #expect(intake.raw.contains("<h2 id=\"caller-profile-h\">来电人画像</h2>"))
            #expect(intake.raw.contains("来电号码 137****0001，王**。共 5 件工单，未办结 5 件"))
            #expect(intake.raw.contains("<title>2025年3月：5 件</title>"))
        }
    }
}

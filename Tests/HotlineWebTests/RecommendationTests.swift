import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import HotlineText
@testable import HotlineWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Unit recommendations a dispatcher can trust: a unit that returned the order is not offered again, the intake
/// desk and the order page agree, and the address's district beats a road named after another district.
@Suite struct RecommendationTests {
    let console = ConsoleTests()

    /// Two districts named like the demo city's, whose short names start road names (湖滨路 lies in 江城区), and a unit
    /// model trained on their past orders with the place names of the whole unit tree.
    func addLakesideDistricts(_ services: HotlineServices) async throws {
        let districts = [
            HandlingUnit(id: "dist-jiangcheng", name: "江城区人民政府", kind: .district, parentID: nil, district: "江城区"),
            HandlingUnit(id: "dist-hubin", name: "湖滨区人民政府", kind: .district, parentID: nil, district: "湖滨区"),
        ]
        try await services.directory.addUnits(districts)
        try await services.reference.reload()
        let units = try await services.directory.units()
        var options = TextClassifier.Options()
        options.minDocumentFrequency = 1
        options.gazetteer = Gazetteer(places: units.flatMap { u in
            Gazetteer.placeNames(of: u.name).map { ($0, u.id) } + (u.kind == .district ? u.district.map { [($0, u.id)] } ?? [] : [])
        })
        let examples = [
            ("建设路路灯不亮 江城区", "dist-jiangcheng"), ("人民路垃圾没人清运 江城区", "dist-jiangcheng"), ("解放路井盖丢失 江城区", "dist-jiangcheng"),
            ("新华路路灯不亮 湖滨区", "dist-hubin"), ("中山路垃圾没人清运 湖滨区", "dist-hubin"), ("学院路井盖丢失 湖滨区", "dist-hubin"),
        ]
        let model = TextClassifier.train(texts: examples.map(\.0), labels: examples.map(\.1), options: options)
        try await services.models.save(TextModels.unitModel, model, examples: examples.count, detail: "承办单位", at: TestCity.monday)
    }

    func intake(_ client: any TestClientProtocol, district: String, address: String, content: String) async throws -> String {
        var body = Bodies.intake
        body["title"] = "垃圾没人清运"
        body["content"] = content
        body["location"] = ["address": address, "district": district]
        return try #require(try await client.post(APIRoutes.orders, as: "agent1", body).order["number"] as? String)
    }

    /// What the intake desk's script sends for the facts the order holds (Assets/intake.js), with the order's number.
    func deskBody(_ services: HotlineServices, _ number: String) async throws -> [String: Any] {
        let parsed = try #require(OrderNumber(number))
        let order = try #require(try await services.desk.order(parsed, for: TestCity.actor("disp1"))?.0)
        var body: [String: Any] = ["title": order.title, "content": order.content, "address": order.location.address, "number": number,
                                   "caller_phone": order.caller.phone]
        if let d = order.location.district { body["district"] = d }
        if let c = order.categoryCode { body["category_code"] = c }
        return body
    }

    /// The order page's recommendations as "name NN%", in order.
    func pageUnits(_ html: String) -> [String] {
        guard let start = html.range(of: "<h3>派单推荐</h3>") else { return [] }
        let rest = html[start.upperBound...]
        let block = rest[..<(rest.range(of: "</dl>")?.lowerBound ?? rest.endIndex)]
        return block.components(separatedBy: "<dt>").dropFirst().compactMap { $0.components(separatedBy: "</dt>").first }
    }

    func apiUnits(_ reply: APIReply) -> [String] {
        (reply["units"] as? [[String: Any]] ?? []).map { "\($0["name"] as? String ?? "") \(Int((($0["score"] as? Double ?? 0) * 100).rounded()))%" }
    }

    @Test(arguments: TestDatabase.available)
    func aUnitThatReturnedTheOrderIsNotRecommendedAgain(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            try await addLakesideDistricts(services)
            let n = try await intake(client, district: "江城区", address: "建设路8号", content: "江城区建设路8号小区门口垃圾堆了一周没人清运")
            let dispatcher = try await console.logIn(client, "disp1")
            let before = pageUnits(try await console.page(client, WebRoutes.order(n), cookie: dispatcher).raw)
            try #require(before.first?.hasPrefix("江城区人民政府 ") == true, "\(before)")

            _ = try await client.post(APIRoutes.action(n, "dispatch"), as: "disp1", ["lead_unit": "dist-jiangcheng"])
            try await services.directory.addUsers([UserAccount(id: "jc1", displayName: "江城区承办员", role: .unitStaff, unitID: "dist-jiangcheng")])
            _ = try await services.accounts.issueToken(for: "jc1", kind: "api", scopes: ["*"], now: TestCity.monday, lifetime: 86_400,
                                                       token: TestCity.token("jc1"))
            let returned = try await client.post(APIRoutes.action(n, "return"), as: "jc1", ["reason": "不属于本区职责"])
            try #require(returned.status == .ok, "\(returned.raw)")

            let page = try await console.page(client, WebRoutes.order(n), cookie: dispatcher)
            #expect(!pageUnits(page.raw).contains { $0.hasPrefix("江城区人民政府 ") }, "\(pageUnits(page.raw))")
            #expect(page.raw.contains("已排除退单单位：江城区人民政府"))
            let reply = try await client.post(APIRoutes.assist, as: "disp1", try await deskBody(services, n))
            #expect(reply.status == .ok)
            #expect(!(reply["units"] as? [[String: Any]] ?? []).contains { $0["unit_id"] as? String == "dist-jiangcheng" })
            let excluded = reply["excluded_units"] as? [[String: Any]] ?? []
            #expect(excluded.count == 1 && excluded.first?["unit_id"] as? String == "dist-jiangcheng" && excluded.first?["name"] as? String == "江城区人民政府")
            // A new request has nothing to exclude; an unknown order is not found.
            var fresh = try await deskBody(services, n)
            fresh["number"] = nil
            #expect((try await client.post(APIRoutes.assist, as: "agent1", fresh)["excluded_units"] as? [Any])?.isEmpty == true)
            fresh["number"] = "20250303999999"
            #expect(try await client.post(APIRoutes.assist, as: "agent1", fresh).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theOrderPageAndTheIntakeDeskRecommendTheSame(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            try await addLakesideDistricts(services)
            _ = try await client.call(.put, APIRoutes.catalogue, as: "admin1", json: "{\"items\": [{\"category_code\": \"01.01\", \"district\": \"湖滨区\", \"unit_id\": \"dist-hubin\"}]}")
            let n = try await intake(client, district: "湖滨区", address: "新华路3号", content: "新华路3号门口垃圾堆了一周没人清运，路灯也不亮")
            let dispatcher = try await console.logIn(client, "disp1")
            let page = pageUnits(try await console.page(client, WebRoutes.order(n), cookie: dispatcher).raw)
            let desk = apiUnits(try await client.post(APIRoutes.assist, as: "agent1", try await deskBody(services, n)))
            #expect(!page.isEmpty)
            #expect(page == desk)
            // The desk's script sends every one of those facts, and asks again when any of them changes.
            let script = try await client.send(.get, WebRoutes.asset("intake.js"), headers: [:]).raw
            for field in ["title", "content", "address", "district", "category_code"] {
                #expect(script.contains("\(field): form.\(field).value"), "intake.js sends \(field)")
            }
            #expect(script.contains("['title', 'content', 'address', 'district', 'category_code']"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func theDistrictFieldBeatsARoadNamedAfterAnotherDistrict(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            try await addLakesideDistricts(services)
            let n = try await intake(client, district: "江城区", address: "湖滨路8号", content: "湖滨路8号小区门口垃圾堆了一周没人清运")
            let reply = try await client.post(APIRoutes.assist, as: "disp1", try await deskBody(services, n))
            let units = reply["units"] as? [[String: Any]] ?? []
            #expect(units.first?["unit_id"] as? String == "dist-jiangcheng", "\(apiUnits(reply))")
            let reasons = units.flatMap { $0["reasons"] as? [String] ?? [] }
            #expect(reasons.contains("诉求地点：江城区"))
            #expect(!reasons.contains { $0.contains("湖滨") }, "\(reasons)")
            let dispatcher = try await console.logIn(client, "disp1")
            #expect(pageUnits(try await console.page(client, WebRoutes.order(n), cookie: dispatcher).raw).first?.hasPrefix("江城区人民政府 ") == true)
        }
    }
}

import Foundation
import HTTPTypes
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import HummingbirdTesting
import Testing

@testable import HotlineWeb

/// Open311 GeoReport v2 through the real composition root: discovery, services from the category tree, intake with an
/// `open311` key, errors in the spec's format. Reads of orders are in ``Open311ReadTests``.
@Suite struct Open311Tests {
    @Test(arguments: TestDatabase.available)
    func discoveryNamesTheEndpointAndBothFormats(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let json = try await client.open311(Open311Routes.discovery(.json))
            #expect(json.status == .ok && json.headers[.contentType] == "application/json; charset=utf-8")
            let endpoint = try #require((json.object["endpoints"] as? [[String: Any]])?.first)
            #expect((endpoint["url"] as? String)?.hasSuffix(Open311Routes.base) == true)
            #expect(endpoint["formats"] as? [String] == ["application/json", "text/xml"])
            #expect(endpoint["specification"] as? String == "http://wiki.open311.org/GeoReport_v2")
            let xml = try await client.open311(Open311Routes.discovery(.xml))
            #expect(xml.headers[.contentType] == "text/xml; charset=utf-8")
            #expect(xml.raw.hasPrefix(#"<?xml version="1.0" encoding="utf-8"?>"#))
            #expect(xml.raw.contains("<endpoints><endpoint><specification>http://wiki.open311.org/GeoReport_v2</specification>"))
            #expect(xml.raw.contains("<formats><format>application/json</format><format>text/xml</format></formats>"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func servicesAreTheCategoryTreesLeavesGroupedByTopLevel(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let services = try await client.open311(Open311Routes.services(.json)).list
            #expect(services.compactMap { $0["service_code"] as? String } == ["01.01.01", "01.01.02", "02.01.01"])
            let light = try #require(services.first)
            #expect(light["service_name"] as? String == "路灯" && light["group"] as? String == "城乡建设")
            #expect(light["metadata"] as? Bool == true && light["type"] as? String == "realtime")
            #expect(light["keywords"] as? String == "城乡建设,市政设施,路灯")
            let xml = try await client.open311(Open311Routes.services(.xml))
            #expect(xml.raw.contains("<services><service><service_code>01.01.01</service_code><service_name>路灯</service_name>"))
            #expect(xml.raw.contains("<metadata>true</metadata><type>realtime</type>"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aServiceDefinitionOffersTheKindWithTheCategorysDefault(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let definition = try await client.open311(Open311Routes.service("01.01.01", .json)).object
            #expect(definition["service_code"] as? String == "01.01.01")
            let attributes = try #require(definition["attributes"] as? [[String: Any]])
            #expect(attributes.compactMap { $0["code"] as? String } == ["kind", "caller_type", "district"])
            let kind = try #require(attributes.first)
            #expect(kind["datatype"] as? String == "singlevaluelist" && kind["required"] as? Bool == false && kind["variable"] as? Bool == true)
            #expect((kind["values"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == RequestKind.allCases.map(\.rawValue))
            #expect(kind["datatype_description"] as? String == "不填时按“求助”受理")
            let districts = (attributes.last?["values"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(districts == ["东区", "西区"])
            let xml = try await client.open311(Open311Routes.service("01.01.01", .xml))
            #expect(
                xml.raw.contains(
                    "<service_definition><service_code>01.01.01</service_code><attributes><attribute><variable>true</variable><code>kind</code>"))
            #expect(xml.raw.contains("<values><value><key>consultation</key><name>咨询</name></value>"))
            for format in Open311Format.allCases {
                for code in ["01.01", "99", "01.01.01.01"] {
                    let unknown = try await client.open311(Open311Routes.service(code, format))
                    #expect(unknown.status == .notFound, "\(code).\(format)")
                }
            }
        }
    }

    @Test func theDefaultKindFollowsTheCategorysWords() {
        #expect(Open311Catalogue.defaultKind(forPath: ["城乡建设", "市政设施", "路灯"]) == .help)
        #expect(Open311Catalogue.defaultKind(forPath: ["劳动和社会保障", "政策咨询"]) == .consultation)
        #expect(Open311Catalogue.defaultKind(forPath: ["市场监管", "违法经营"]) == .report)
        #expect(Open311Catalogue.defaultKind(forPath: ["投诉", "表扬"]) == .praise, "the nearest name decides")
    }

    @Test func oneDocumentIsWrittenAsJSONAndAsWellFormedXML() throws {
        let text = "<路灯&\"不亮\">'\u{1}\n"
        let document: Open311Document = .object([
            ("a", .text(text)), ("n", .number(30.5)), ("i", .integer(3)), ("z", .null), ("l", .list(item: "v", [.bool(true), .number(120)])),
        ])
        #expect(
            document.rendered(.xml, root: "r") == #"<?xml version="1.0" encoding="utf-8"?>"# + "\n"
                + "<r><a>&lt;路灯&amp;&quot;不亮&quot;&gt;&apos;\n</a><n>30.5</n><i>3</i><z/><l><v>true</v><v>120</v></l></r>\n")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(document.rendered(.json, root: "r").utf8)) as? [String: Any])
        #expect(json["a"] as? String == text && json["n"] as? Double == 30.5 && json["z"] is NSNull)
        #expect(document.json == #"{"a":"<路灯&\"不亮\">'\u0001\n","n":30.5,"i":3,"z":null,"l":[true,120]}"#)
    }

    @Test func phonesAndIDNumbersAreMaskedButOrderNumbersStay() {
        let caller = Caller(name: "王五", phone: "02787654321")
        let text = "王五来电（027-87654321，13812345678），身份证11010519491231002X，见工单20250303000001，约2000元"
        #expect(Open311Privacy.masked(text, people: [caller]) == "***来电（027-***，***），身份证***，见工单20250303000001，约2000元")
    }

    @Test(arguments: TestDatabase.available)
    func aPostTakesAnOrderThroughTheOpen311Channel(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let key = try await client.open311Key()
            var form = Open311Form.streetLight(key: key, description: "幸福路路灯连续三晚不亮，晚上出行不便。请尽快修复。")
            form += [("attribute[kind]", "投诉"), ("attribute[district]", "东区"), ("attribute[caller_type]", "enterprise"), ("jurisdiction_id", "")]
            let reply = try await client.open311(.post, Open311Routes.requests(.json), form: form)
            #expect(reply.status == .ok, "\(reply.raw)")
            let id = try #require(reply.ids.first)
            #expect((reply.list.first?["service_notice"] as? String)?.contains(id) == true)
            #expect(reply.list.first?.keys.contains("account_id") == true)
            let orderNumber = try #require(OrderNumber(id))
            let order = try #require(try await services.orders.order(orderNumber))
            #expect(order.channel == .open311 && order.kind == .complaint && order.categoryCode == "01.01.01")
            #expect(order.caller.name == "张三" && order.caller.phone == "13912345678" && order.caller.type == .enterprise)
            #expect(order.title == "幸福路路灯连续三晚不亮，晚上出行不便")
            #expect(order.content == "幸福路路灯连续三晚不亮，晚上出行不便。请尽快修复。")
            #expect(order.location.address == "幸福路12号" && order.location.district == "东区" && order.location.latitude == 30.5928374)
            #expect(!order.content.contains("zhang@example.com"), "the email is not stored")

            // The key in the query string instead of the body; the kind defaults by category.
            let query = try await client.open311(
                .post, Open311Routes.requests(.xml) + "?api_key=" + key,
                form: Open311Form.streetLight(key: nil, phone: "13912345670"))
            #expect(query.status == .ok && query.raw.contains("<service_requests><request><service_request_id>"), "\(query.raw)")
            let second = try #require(query.raw.components(separatedBy: "<service_request_id>").dropFirst().first?.components(separatedBy: "<").first)
            let secondNumber = try #require(OrderNumber(second))
            #expect(try await services.orders.order(secondNumber)?.kind == .help)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aPostWithoutAValidOpen311KeyIsForbidden(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            func key(_ user: String, _ scopes: [String]) async throws -> String {
                try await services.accounts.issueToken(
                    for: user, kind: AccountStore.apiKeyKind, scopes: scopes, now: TestCity.monday, lifetime: 86_400
                ).token
            }
            let ordersCreate = try await key("agent1", ["orders:create"])
            let reviewer = try await key("rev1", ["open311"])
            for (name, apiKey) in [("none", nil), ("forged", "forged-key"), ("orders:create", ordersCreate), ("reviewer", reviewer)]
                as [(String, String?)]
            {
                for format in Open311Format.allCases {
                    let reply = try await client.open311(.post, Open311Routes.requests(format), form: Open311Form.streetLight(key: apiKey))
                    #expect(reply.status == .forbidden, "\(name) \(format): \(reply.raw)")
                    if format == .json {
                        #expect(reply.errorCode == 403)
                    } else {
                        #expect(reply.raw.contains("<errors><error><code>403</code><description>"))
                    }
                }
            }
            let total = try await services.orders.list(OrderFilter(), page: PageRequest(), now: TestCity.monday).total
            #expect(total == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func anOpen311KeyGoesOnlyToThoseWhoTakeRequestsAndOpensNothingElse(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let refused = try await client.post(
                APIRoutes.apiKeys, as: "admin1", ["user_id": "rev1", "label": "审核", "scopes": ["open311"], "days": 30])
            #expect(refused.status == .unprocessableContent && refused.raw.contains("open311"))
            let key = try await client.open311Key()
            let number = try await client.open311Post(key: key)
            for route in try RouteGuardTests.routes(services)
            where route.isAPI && !APIRoutes.open.contains(route.key) && route.key != "GET " + APIRoutes.me {
                let reply = try await client.call(route.method, RouteGuardTests.concrete(route.template, order: number), token: key, [:])
                #expect(reply.status == .forbidden && reply.errorCode == "insufficient_scope", "\(route): \(reply.raw)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRefusedPostStoresNothing(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let key = try await client.open311Key()
            let base = Open311Form.streetLight(key: key)
            func without(_ names: String...) -> [(String, String)] { base.filter { !names.contains($0.0) } }
            func with(_ name: String, _ value: String) -> [(String, String)] { without(name) + [(name, value)] }
            let cases: [(String, [(String, String)], HTTPResponse.Status)] = [
                ("4,001 characters", with("description", String(repeating: "路", count: 4_001)), .badRequest),
                ("no description", without("description"), .badRequest),
                ("no service", without("service_code"), .badRequest),
                ("unknown service", with("service_code", "09.09"), .notFound),
                ("a category with children", with("service_code", "01.01"), .notFound),
                ("no phone", without("phone"), .badRequest),
                ("a bad phone", with("phone", "call me"), .badRequest),
                ("no place", without("lat", "long", "address_string"), .badRequest),
                ("lat without long", without("long", "address_string"), .badRequest),
                ("lat out of range", with("lat", "91"), .badRequest),
                ("unknown kind", base + [("attribute[kind]", "闲聊")], .badRequest),
                ("unknown district", base + [("attribute[district]", "北区")], .badRequest),
                ("a media_url that is no link", with("media_url", "javascript:alert(1)"), .badRequest),
            ]
            for (name, form, status) in cases {
                let reply = try await client.open311(.post, Open311Routes.requests(.json), form: form)
                #expect(reply.status == status && reply.errorCode == Int(status.code), "\(name): \(reply.raw)")
                #expect((reply.list.first?["description"] as? String)?.isEmpty == false)
            }
            let json = try await client.send(.post, Open311Routes.requests(.json), headers: [.contentType: "application/json"], body: "{}")
            #expect(json.status == .badRequest && json.raw.hasPrefix("[{\"code\":400"))
            let stored = try await services.orders.list(OrderFilter(), page: PageRequest(), now: TestCity.monday).total
            #expect(stored == 0)
            let exactly = try await client.open311(
                .post, Open311Routes.requests(.json), form: with("description", String(repeating: "路", count: 4_000)))
            #expect(exactly.status == .ok, "4,000 characters are allowed")
        }
    }

    @Test(arguments: TestDatabase.available)
    func intakeLimitsAnswerInTheSpecsFormat(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let key = try await client.open311Key()
            var statuses: [HTTPResponse.Status] = []
            var last: Open311Reply?
            for _ in 0..<(RateLimit.intakePerSender.requests + 1) {
                let reply = try await client.open311(.post, Open311Routes.requests(.xml), form: Open311Form.streetLight(key: key), from: "10.9.9.9")
                statuses.append(reply.status)
                last = reply
            }
            #expect(statuses.dropLast().allSatisfy { $0 == .ok } && statuses.last == .tooManyRequests, "\(statuses)")
            #expect(last?.raw.contains("<errors><error><code>429</code>") == true && last?.headers[.retryAfter] != nil)
            let stored = try await services.orders.list(OrderFilter(), page: PageRequest(), now: TestCity.monday).total
            #expect(stored == RateLimit.intakePerSender.requests)
        }
    }

    @Test(arguments: TestDatabase.available)
    func unknownFormatsTokensAndJurisdictionsAreRefused(db: TestDatabase) async throws {
        var server = ServerConfiguration(trustForwardedFor: true)
        server.open311.jurisdiction = "hotline.example.gov.cn"
        try await withAPI(db, clock: TestClock(), server: server) { client, _, _ in
            let yaml = try await client.open311(Open311Routes.base + "/services.yaml")
            #expect(yaml.status == .notFound && yaml.headers[.contentType] == "text/xml; charset=utf-8")
            #expect(yaml.raw.hasPrefix(#"<?xml version="1.0" encoding="utf-8"?>"#) && yaml.raw.contains("<errors><error><code>404</code>"))
            let bare = try await client.open311(Open311Routes.base + "/requests/20250303000001")
            #expect(bare.status == .notFound && bare.raw.contains("<code>404</code>"))
            for format in Open311Format.allCases {
                #expect(try await client.open311(Open311Routes.token("abc", format)).status == .notFound)
                let other = try await client.open311(Open311Routes.services(format) + "?jurisdiction_id=other.gov.cn")
                #expect(other.status == .notFound, "\(other.raw)")
                #expect(try await client.open311(Open311Routes.services(format) + "?jurisdiction_id=").status == .ok)
                #expect(try await client.open311(Open311Routes.services(format) + "?jurisdiction_id=hotline.example.gov.cn").status == .ok)
            }
            #expect(try await client.open311(Open311Routes.token("abc", .json)).errorCode == 404)
        }
    }

    @Test(arguments: TestDatabase.available)
    func everyReadIsOpenAndThePostAsksForItsKeyNotASession(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let routes = try RouteGuardTests.routes(services).filter { $0.template.hasPrefix(Open311Routes.base) }
            #expect(Set(routes.map(\.key)) == Open311Routes.all)
            for route in routes where route.method == .get {
                let path = route.template.replacingOccurrences(of: "{format}", with: "json").replacingOccurrences(
                    of: "{resource}", with: "01.01.01.json")
                let reply = try await client.open311(path)
                #expect(reply.status == .ok || reply.status == .notFound, "\(route): \(reply.status)")
            }
            let session = try await SessionClient.logIn(client, "agent1")
            let withCookie = try await client.send(
                .post, Open311Routes.requests(.json), headers: session.headers.merging([.contentType: "application/x-www-form-urlencoded"]),
                body: Open311Form.encode(Open311Form.streetLight(key: nil)))
            #expect(withCookie.status == .forbidden, "a browser session is no api_key")
        }
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var merged = self
        for field in other { merged[field.name] = field.value }
        return merged
    }
}

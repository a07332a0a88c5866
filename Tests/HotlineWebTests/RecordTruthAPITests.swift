import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
@testable import HotlineWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// One input per action, whichever front end sends it.
@Suite struct ActionInputDecodingTests {
    /// Each action's input in wire names, as the API's JSON and the console's form both carry it.
    nonisolated(unsafe) static let inputs: [(Action, [String: Any])] = [
        (.reject, ["reason": "litigation", "note": "已告知诉讼途径"]),
        (.answerDirectly, ["answer": "社保卡可在就近网点补办。"]),
        (.dispatch, ["lead_unit": "dist-east", "assisting_units": ["dept-housing", "dist-west"], "note": "请核实"]),
        (.redispatch, ["lead_unit": "dist-west"]),
        (.sign, [:]),
        (.returnOrder, ["reason": "不属于本单位职责"]),
        (.subDispatch, ["unit": "st-east-1", "note": "请街道现场核查"]),
        (.requestExtension, ["working_days": 3, "reason": "需协调供电部门"]),
        (.approveExtension, ["note": "同意"]),
        (.denyExtension, ["reason": "时限内可以办结"]),
        (.reply, ["text": "已更换路灯灯泡。"]),
        (.passUnitReview, ["note": "同意报送"]),
        (.sendBackUnitReview, ["reason": "未写明联系市民情况"]),
        (.passReview, [:]),
        (.sendBack, ["reason": "未说明修复时间"]),
        (.recordCallback, ["reached": true, "resolved": false, "satisfaction": "unsatisfied", "stars": 2, "note": "灯还是不亮"]),
        (.recordCallback, ["reached": false, "note": "无人接听"]),
        (.recordCallback, ["resolved": true, "satisfaction": "satisfied"]),
        (.close, ["note": "市民不需回访"]),
        (.closeUnsatisfied, ["reason": "诉求超出政策范围，已解释"]),
        (.reclassify, ["category_code": "01.01.02", "reason": "实为道路问题"]),
        (.redo, ["reason": "市民反映仍未解决"]),
        (.archive, [:]),
        (.merge, ["target": "20250303000002", "note": "同一路灯"]),
        (.markFinalReply, ["note": "已作最终答复"]),
        (.urge, ["note": "请加快办理"]),
        (.issueCard, ["colour": "yellow", "reason": "超期未办结"]),
        (.escalate, ["reason": "群众反映强烈"]),
        (.consult, ["units": ["dept-housing", "dist-east"], "meeting_at": "2025-03-03T10:00", "lead_unit": "dept-housing",
                    "assisting_units": ["dist-east"], "due_by": "2025-03-07", "decision": "住建局牵头，东区配合"]),
    ]

    static func json(_ fields: [String: Any]) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: fields))
    }

    /// The urlencoded form a browser sends for the same fields: lists as repeated `name[]`, plus the page's CSRF token.
    static func form(_ fields: [String: Any]) -> ByteBuffer {
        func enc(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s }
        var pairs = ["_csrf=token"]
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            if let list = value as? [String] {
                pairs += list.map { enc(key + "[]") + "=" + enc($0) }
            } else {
                pairs.append(key + "=" + enc("\(value)"))
            }
        }
        return ByteBuffer(string: pairs.joined(separator: "&"))
    }

    static func describe(_ command: OrderCommand) -> String {
        switch command {
        case .transition(let t): "\(t)"
        case .merge(let target, let note): "merge \(target) \(note ?? "")"
        case .reply(let text, let files): "reply \(text) \(files.count)"
        }
    }

    @Test(arguments: inputs.indices)
    func apiAndConsoleDecodeTheSameInputToTheSameCommand(index: Int) throws {
        let (action, fields) = Self.inputs[index]
        let fromJSON = try InputDecoder.command(for: action, body: try Self.json(fields), format: .json)
        let fromForm = try InputDecoder.command(for: action, body: Self.form(fields), format: .form)
        #expect(Self.describe(fromJSON) == Self.describe(fromForm), "\(action)")
    }

    @Test(arguments: inputs.indices)
    func aMissingRequiredFieldIsRefusedAlikeBothWays(index: Int) throws {
        let (action, fields) = Self.inputs[index]
        for key in fields.keys.sorted() {
            var fewer = fields
            fewer.removeValue(forKey: key)
            let json = Result { try InputDecoder.command(for: action, body: try Self.json(fewer), format: .json) }
            let form = Result { try InputDecoder.command(for: action, body: Self.form(fewer), format: .form) }
            switch (json, form) {
            case (.success(let a), .success(let b)): #expect(Self.describe(a) == Self.describe(b), "\(action) without \(key)")
            case (.failure(let a), .failure(let b)):
                #expect(APIError.from(a).field == APIError.from(b).field, "\(action) without \(key)")
                #expect(APIError.from(a).status == APIError.from(b).status, "\(action) without \(key)")
            default: Issue.record("\(action) without \(key): JSON \(json), form \(form)")
            }
        }
    }

    @Test func callbackWithoutAnAnswerIsRefusedNotAssumed() throws {
        // The console's form used to treat a missing `resolved` as "not resolved"; now both ways refuse.
        for format in [InputDecoder.Format.json, .form] {
            let body = format == .json ? try Self.json(["reached": true, "satisfaction": "satisfied"]) : Self.form(["reached": true, "satisfaction": "satisfied"])
            #expect(throws: LifecycleError.invalid(field: "resolved", message: "已接通的回访须填写是否解决")) {
                try InputDecoder.command(for: .recordCallback, body: body, format: format)
            }
        }
    }
}

/// The order's record through the API: callbacks, reply rounds, merges and the chain mark.
@Suite struct RecordTruthAPITests {
    /// Takes a fresh order to 待回访 through the API, replying with `replies` (sent back between them).
    func awaitingCallback(_ client: any TestClientProtocol, replies: [String] = ["已更换路灯灯泡。"], body: [String: Any] = Bodies.intake) async throws -> String {
        let number = try #require(try await client.post(APIRoutes.orders, as: "agent1", body).order["number"] as? String)
        var steps: [(String, String, [String: Any])] = [("dispatch", "disp1", ["lead_unit": "dist-east"]), ("sign", "east1", [:])]
        for (i, text) in replies.enumerated() {
            if i > 0 { steps.append(("send-back", "rev1", ["reason": "答复未说明修复时间"])) }
            steps.append(("reply", "east1", ["text": text]))
        }
        steps.append(("pass-review", "rev1", [:]))
        for (action, user, body) in steps {
            let reply = try await client.post(APIRoutes.action(number, action), as: user, body)
            try #require(reply.status == .ok, "\(action): \(reply.raw)")
        }
        return number
    }

    @Test(arguments: TestDatabase.available)
    func unsatisfiedCallbackWaitsForTheCentresDecision(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let number = try await awaitingCallback(client)
            // Today's body, as integrations send it.
            let called = try await client.post(APIRoutes.action(number, "callback"), as: "cb1", ["resolved": false, "satisfaction": "unsatisfied"])
            #expect(called.status == .ok)
            #expect(called.order["status"] as? String == "callback_disputed")
            #expect(called.order["status_name"] as? String == "回访不满意待研判")
            #expect(try await client.post(APIRoutes.action(number, "archive"), as: "disp1", [:]).status == .conflict)
            let noReason = try await client.post(APIRoutes.action(number, "close-unsatisfied"), as: "sup1", ["reason": " "])
            #expect(noReason.status == .unprocessableContent)
            let closed = try await client.post(APIRoutes.action(number, "close-unsatisfied"), as: "sup1", ["reason": "诉求超出政策范围，已解释"])
            #expect(closed.order["status"] as? String == "closed")
            #expect(closed.order["unsatisfied_closure"] as? String == "诉求超出政策范围，已解释")
            #expect(closed["events"] as? [String] == ["closed_unsatisfied"])

            let other = try await awaitingCallback(client)
            _ = try await client.post(APIRoutes.action(other, "callback"), as: "cb1", ["reached": true, "resolved": true, "satisfaction": "unsatisfied", "stars": 1])
            let redone = try await client.post(APIRoutes.action(other, "redo"), as: "disp1", ["reason": "市民仍不满意"])
            #expect(redone.order["status"] as? String == "dispatched")
            #expect(redone.order["redo_count"] as? Int == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func everyReplyRoundSurvivesSendBackAndRedo(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let number = try await awaitingCallback(client, replies: ["已安排维修。", "已于3月4日更换灯泡。"])
            _ = try await client.post(APIRoutes.action(number, "callback"), as: "cb1", ["resolved": false, "satisfaction": "unsatisfied"])
            _ = try await client.post(APIRoutes.action(number, "redo"), as: "disp1", ["reason": "路灯仍不亮"])
            _ = try await client.post(APIRoutes.action(number, "sign"), as: "east1", [:])
            _ = try await client.post(APIRoutes.action(number, "reply"), as: "east1", ["text": "已更换整套灯具。"])
            let detail = try await client.call(.get, APIRoutes.order(number), as: "sup1")
            let rounds = try #require(detail["reply_rounds"] as? [[String: Any]])
            #expect(rounds.map { $0["text"] as? String } == ["已安排维修。", "已于3月4日更换灯泡。", "已更换整套灯具。"])
            #expect(rounds.map { $0["review"] as? String } == ["sent_back", "passed", nil])
            #expect(rounds.map { $0["redo_round"] as? Int } == [0, 0, 1])
            #expect(rounds[0]["review_note"] as? String == "答复未说明修复时间")
            let replyNotes = (detail["events"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "replied" }.compactMap { $0["note"] as? String }
            #expect(replyNotes == ["已安排维修。", "已于3月4日更换灯泡。", "已更换整套灯具。"], "the texts are in the hash-chained log")
            #expect(detail["chain_verified"] as? Bool == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func mergeKeepsBothCallersAndBothHearTheAnswer(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let first = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            var second = Bodies.intake
            second["caller"] = ["name": "李女士", "phone": "13900001111"]
            let duplicate = try #require(try await client.post(APIRoutes.orders, as: "agent1", second).order["number"] as? String)
            let merged = try await client.post(APIRoutes.action(duplicate, "merge"), as: "disp1", ["target": first, "note": "同一路灯"])
            #expect(merged.order["status"] as? String == "merged")
            #expect(merged.order["timeline"].flatMap { ($0 as? [String: Any])?["closed_at"] } == nil, "not finished at once")
            let target = try await client.call(.get, APIRoutes.order(first), as: "sup1")
            let callers = try #require(target.order["merged_callers"] as? [[String: Any]])
            #expect(callers.map { $0["order"] as? String } == [duplicate])
            #expect(callers.first.flatMap { ($0["caller"] as? [String: Any])?["phone"] as? String } == "139****1111")

            // Before the answer, the second caller's tracking shows no answer and no 办结.
            let waiting = try await client.send(.post, APIRoutes.publicTrack, headers: [.contentType: "application/json"],
                                                body: #"{"number": "\#(duplicate)", "phone": "13900001111"}"#)
            #expect(waiting.json["answer"] == nil || waiting.json["answer"] is NSNull)
            #expect(!((waiting.json["steps"] as? [[String: Any]] ?? []).contains { $0["name"] as? String == "办结" }))
            #expect((waiting.json["note"] as? String)?.contains(first) == true, "the citizen is told where the request went")

            for (action, user, body) in [("dispatch", "disp1", ["lead_unit": "dist-east"]), ("sign", "east1", [:]), ("reply", "east1", ["text": "已更换路灯灯泡。"]),
                                         ("pass-review", "rev1", [:])] as [(String, String, [String: Any])] {
                try #require(try await client.post(APIRoutes.action(first, action), as: user, body).status == .ok)
            }
            let answered = try await client.call(.get, APIRoutes.order(duplicate), as: "sup1")
            #expect(answered.order["status"] as? String == "awaiting_callback")
            #expect((answered.order["reply"] as? [String: Any])?["text"] as? String == "已更换路灯灯泡。")
            let tracked = try await client.send(.post, APIRoutes.publicTrack, headers: [.contentType: "application/json"],
                                                body: #"{"number": "\#(duplicate)", "phone": "13900001111"}"#)
            #expect(tracked.json["answer"] as? String == "已更换路灯灯泡。")
            // Each caller gets their own callback.
            for number in [first, duplicate] {
                let called = try await client.post(APIRoutes.action(number, "callback"), as: "cb1", ["resolved": true, "satisfaction": "satisfied"])
                #expect(called.order["status"] as? String == "closed")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func mergeCandidatesExcludeFinishedOrders(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let finished = try await awaitingCallback(client)
            _ = try await client.post(APIRoutes.action(finished, "callback"), as: "cb1", ["resolved": true, "satisfaction": "satisfied"])
            let duplicate = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            let refused = try await client.post(APIRoutes.action(duplicate, "merge"), as: "disp1", ["target": finished])
            #expect(refused.status == .conflict)
            let console = ConsoleTests()
            let page = try await console.page(client, WebRoutes.order(duplicate), cookie: try await console.logIn(client, "disp1"))
            #expect(page.raw.contains("<h3>派单推荐</h3>"))
            #expect(!page.raw.contains("href=\"/orders/\(finished)\""), "a finished order is not offered for merging")
            #expect(try await client.call(.get, APIRoutes.order(duplicate), as: "sup1").order["status"] as? String == "pending_dispatch")
        }
    }

    @Test(arguments: TestDatabase.available)
    func truncatedChainShowsBrokenOnTheOrderPageAndInTheAPI(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let number = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            _ = try await client.post(APIRoutes.action(number, "dispatch"), as: "disp1", ["lead_unit": "dist-east"])
            #expect(try await client.call(.get, APIRoutes.order(number), as: "sup1")["chain_verified"] as? Bool == true)
            try await dropAppendOnlyGuard(services, db)
            try await services.database.execute("DELETE FROM work_order_events WHERE order_number = \(number) AND seq = 2")
            let detail = try await client.call(.get, APIRoutes.order(number), as: "sup1")
            #expect((detail["events"] as? [Any])?.count == 1, "what is left links up by itself")
            #expect(detail["chain_verified"] as? Bool == false)
            let console = ConsoleTests()
            let page = try await console.page(client, WebRoutes.order(number), cookie: try await console.logIn(client, "sup1"))
            #expect(page.raw.contains("✗ 记录异常：应有2条记录，现存1条"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func reclassifyIsAnActionWithAReason(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            var unclassified = Bodies.intake
            unclassified.removeValue(forKey: "category_code")
            let refused = try await client.post(APIRoutes.orders, as: "agent1", unclassified)
            #expect(refused.status == .unprocessableContent, "an order is never taken on without a category")
            #expect(((refused["error"] as? [String: Any])?["field"] as? String) == "category_code")
            let number = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            let changed = try await client.post(APIRoutes.action(number, "reclassify"), as: "agent1", ["category_code": "01.01.02", "reason": "实为道路问题"])
            #expect(changed.status == .ok)
            #expect(changed.order["category_code"] as? String == "01.01.02")
            #expect(changed["events"] as? [String] == ["reclassified"])
            _ = try await client.post(APIRoutes.action(number, "dispatch"), as: "disp1", ["lead_unit": "dist-east"])
            #expect(try await client.post(APIRoutes.action(number, "reclassify"), as: "agent1", ["category_code": "01.01.01", "reason": "x"]).status == .conflict)
            #expect(try await client.post(APIRoutes.action(number, "reclassify"), as: "disp1", ["category_code": "01.01.01", "reason": "改回路灯"]).status == .ok)
            #expect(try await client.post(APIRoutes.action(number, "reclassify"), as: "disp1", ["category_code": "99", "reason": "x"]).status
                    == .unprocessableContent)
        }
    }
}

/// The callback rule (回访重办规则) is configurable and decides what a falling-short callback does.
@Suite struct CallbackRuleAPITests {
    @Test(arguments: TestDatabase.available)
    func anAdminMakesUnresolvedCallbacksRedoByThemselves(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let initial = try await client.call(.get, APIRoutes.callbackRule, as: "disp1")
            #expect(initial["auto_redo"] as? [String] == [])
            #expect(try await client.call(.put, APIRoutes.callbackRule, as: "disp1", json: #"{"auto_redo": ["unresolved"]}"#).status == .forbidden)
            #expect(try await client.call(.put, APIRoutes.callbackRule, as: "admin1", json: #"{"auto_redo": ["sometimes"]}"#).status
                    == .unprocessableContent)
            let set = try await client.call(.put, APIRoutes.callbackRule, as: "admin1", json: #"{"auto_redo": ["unresolved"]}"#)
            #expect(set.status == .ok)
            #expect(set["auto_redo"] as? [String] == ["unresolved"])
            var filter = AuditFilter()
            filter.action = .callbackRuleChanged
            #expect(try await services.audit.list(filter, page: 1, size: 5).count == 1)

            let number = try await RecordTruthAPITests().awaitingCallback(client)
            let called = try await client.post(APIRoutes.action(number, "callback"), as: "cb1", ["resolved": false, "satisfaction": "basically_satisfied"])
            #expect(called.order["status"] as? String == "dispatched", "redone by the rule")
            #expect(called["events"] as? [String] == ["callback_recorded", "redone"])
        }
    }
}

/// The timeline reads as sentences: people and units by name, Chinese labels, deadlines as dates, no codes.
@Suite struct TimelineTests {
    @Test(arguments: TestDatabase.available)
    func thePageSaysAnExtensionIsPending(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let number = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            for (action, user, body) in [("dispatch", "disp1", ["lead_unit": "dist-east"]), ("sign", "east1", [:]),
                                         ("request-extension", "east1", ["working_days": 3, "reason": "需协调供电部门"])] as [(String, String, [String: Any])] {
                try #require(try await client.post(APIRoutes.action(number, action), as: user, body).status == .ok)
            }
            let console = ConsoleTests()
            let page = try await console.page(client, WebRoutes.order(number), cookie: try await console.logIn(client, "disp1"))
            #expect(page.raw.contains("<dt>延期申请</dt><dd>待审批：东区人民政府申请延期3个工作日"))
            #expect(page.raw.contains("<summary>同意延期</summary>"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func everyEventOfAWalkedOrderReadsAsAChineseSentence(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let number = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            let steps: [(String, String, [String: Any])] = [
                ("reclassify", "agent1", ["category_code": "01.01.02", "reason": "实为道路问题"]),
                ("dispatch", "disp1", ["lead_unit": "dist-east", "assisting_units": ["dept-housing"]]),
                ("sign", "east1", [:]), ("sub-dispatch", "east1", ["unit": "st-east-1"]),
                ("request-extension", "east1", ["working_days": 2, "reason": "需协调"]), ("urge", "sup1", ["note": "请加快"]),
                ("card", "sup1", ["colour": "yellow", "reason": "催办后仍未办结"]),
                ("reply", "east1", ["text": "已修复。"]), ("send-back", "rev1", ["reason": "未说明时间"]),
                ("reply", "east1", ["text": "已于3月4日修复。"]), ("pass-review", "rev1", [:]),
                ("callback", "cb1", ["resolved": false, "satisfaction": "unsatisfied", "stars": 2]),
                ("redo", "disp1", ["reason": "仍未修好"]),
            ]
            for (action, user, body) in steps {
                try #require(try await client.post(APIRoutes.action(number, action), as: user, body).status == .ok, "\(action)")
            }
            let console = ConsoleTests()
            let page = try await console.page(client, WebRoutes.order(number), cookie: try await console.logIn(client, "sup1"))
            let timeline = try #require(page.raw.components(separatedBy: "<ol class=\"timeline\">").last?.components(separatedBy: "</ol>").first)
            let lines = timeline.components(separatedBy: "<li>").dropFirst()
            #expect(lines.count == steps.count + 3, "intake, every step, the withdrawn extension, and the callback's supervision flag")
            for html in lines {
                let line = html.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
                #expect(!line.contains("="), "\(line)")
                #expect(line.range(of: "[a-z]{2,}[_-][a-z]", options: .regularExpression) == nil, "no codes or ids: \(line)")
            }
            for phrase in ["受理电话来件，诉求类型：投诉", "分类由城乡建设 / 市政设施 / 路灯改为城乡建设 / 市政设施 / 道路", "派单至东区人民政府主办，市住房和城乡建设局协办，答复期限",
                           "下派至", "申请延期2个工作日", "答复时撤回未审批的延期申请", "亮黄牌", "审核退回承办单位",
                           "回访：问题未解决，不满意，2星，转回访不满意待研判", "回访低分、投诉件回访不满意（2星），自动列入督办关注",
                           "退回东区人民政府重办（第1次重办）"] {
                #expect(page.raw.contains(phrase), "\(phrase)")
            }
            #expect(page.raw.contains("✓ 记录完整，未被篡改"))
        }
    }
}

/// An emergency is named while the agent types, and refused on the intake form itself with the transfer recorded.
@Suite struct IntakeEmergencyTests {
    @Test(arguments: TestDatabase.available)
    func aFireIsNamedAndRefusedAsOneOneNineFromTheIntakeForm(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let assist = try await client.call(.post, APIRoutes.assist, as: "agent1", json: #"{"content": "3栋2楼着火了，有老人"}"#)
            let warning = try #require((assist["warnings"] as? [[String: Any]])?.first)
            #expect(warning["reason"] as? String == "emergency_119")
            #expect(warning["redirect_number"] as? String == "119")
            #expect(warning["emergency"] as? Bool == true)
            let calm = try await client.call(.post, APIRoutes.assist, as: "agent1", json: #"{"content": "小区路灯坏了一周"}"#)
            #expect((calm["warnings"] as? [Any])?.isEmpty == true)

            let console = ConsoleTests()
            let agent = try await console.logIn(client, "agent1")
            let desk = try await console.page(client, WebRoutes.intake, cookie: agent)
            #expect(desk.raw.contains("<option value=\"emergency_119\">"))
            let csrf = try #require(desk.raw.range(of: "name=\"_csrf\" value=\"").map { String(desk.raw[$0.upperBound...].prefix(64)) })
            let body = "_csrf=\(csrf)&channel=phone&kind=help&caller%5Bphone%5D=13900000000&title=%E7%81%AB%E7%81%BE"
                + "&content=3%E6%A0%8B2%E6%A5%BC%E7%9D%80%E7%81%AB%E4%BA%86&decision%5Btype%5D=reject&decision%5Breason%5D=emergency_119"
            let taken = try await console.form(client, WebRoutes.intake, body, cookie: agent)
            #expect(taken.status == .seeOther)
            let number = String(try #require(taken.headers[.location]).dropFirst("/orders/".count).prefix(14))
            let order = try await client.call(.get, APIRoutes.order(number), as: "sup1")
            #expect(order.order["status"] as? String == "rejected")
            #expect((order.order["rejection"] as? [String: Any])?["redirect_number"] as? String == "119")
        }
    }
}

/// A direct answer taken from a knowledge suggestion is recorded as that entry used.
@Suite struct KnowledgeAnswerTests {
    @Test(arguments: TestDatabase.available)
    func aDirectAnswerFromTheKnowledgeBaseNamesTheEntryAndCountsItUsed(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let csv = "title,questions,answer,category,unit,keywords\n社保卡补办,社保卡丢了怎么办,携带身份证到就近社保网点补办。,,,社保卡\n"
            _ = try await KnowledgeImport(services: services).run(csv: csv, by: TestCity.actor("ed1"), publish: true, at: TestCity.monday)
            try await services.knowledge.reload()
            let entry = try #require(try await services.knowledge.store.list(status: .published, limit: 1, offset: 0).first)
            var body = Bodies.intake
            body["decision"] = ["type": "answer_directly", "answer": entry.entry.content.answer, "knowledge_id": entry.entry.id] as [String: Any]
            let taken = try await client.post(APIRoutes.orders, as: "agent1", body)
            #expect(taken.order["status"] as? String == "closed")
            let number = try #require(taken.order["number"] as? String)
            let detail = try await client.call(.get, APIRoutes.order(number), as: "sup1")
            let answered = (detail["events"] as? [[String: Any]] ?? []).first { $0["kind"] as? String == "answered_directly" }
            #expect((answered?["details"] as? [String: String])?["knowledge"] == String(entry.entry.id))
            #expect(try await services.knowledge.store.entry(entry.entry.id)?.used == 1)
        }
    }
}

import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import HotlineWeb
import Hummingbird
import HummingbirdTesting
import Testing

/// The role × action matrix, tried for real: every role takes every action on an order in the state where the
/// action is legal, once on an order of its own unit and once on another unit's order. The expectation comes
/// from the declared matrix (`Action.allowedRoles`, `Capability.allowedRoles`) and the data scope; a refusal
/// must leave the order exactly as it was.
@Suite struct AuthorizationMatrixTests {
    typealias Call = (user: String, action: String, body: [String: Any])

    /// The calls that bring a fresh order (led by `lead`) to the state where `action` is legal, and the body
    /// the action itself takes.
    static func preparation(for action: Action, lead: String) -> (steps: [Call], body: [String: Any]) {
        let dispatched: [Call] = [("disp1", "dispatch", ["lead_unit": lead])]
        let lu = lead == "dist-east" ? "east1" : "west1"
        let handling = dispatched + [(lu, "sign", [:])]
        let replied = handling + [(lu, "reply", ["text": "已派人维修，路灯恢复照明。"])]
        let awaiting = replied + [("rev1", "pass-review", [:])]
        let closed = awaiting + [("cb1", "close", ["note": "市民表示无需回访"])]
        switch action {
        case .create: return ([], Bodies.intake)
        case .reject: return ([], ["reason": "litigation"])
        case .answerDirectly: return ([], ["answer": "已告知市民办理流程。"])
        case .dispatch: return ([], ["lead_unit": lead])
        case .merge: return ([], [:])  // the target is made by the test
        case .sign: return (dispatched, [:])
        case .returnOrder: return (dispatched, ["reason": "not_our_duty", "evidence": "该事项由市住建局负责"])
        case .rejectReturn:
            return (dispatched + [(lu, "return", ["reason": "not_our_duty", "evidence": "该事项由市住建局负责"] as [String: Any])], ["reason": "经核实属于本单位职责"])
        case .redispatch: return (dispatched, ["lead_unit": "dept-housing"])
        case .subDispatch: return (handling, ["unit": "st-east-1"])
        case .requestExtension: return (handling, ["working_days": 3, "reason": "需协调多个部门"])
        case .approveExtension: return (handling + [(lu, "request-extension", ["working_days": 3, "reason": "需协调"])], [:])
        case .denyExtension: return (handling + [(lu, "request-extension", ["working_days": 3, "reason": "需协调"])], ["reason": "时限内可以办结"])
        case .reply: return (handling, ["text": "已处理完毕。"])
        // The lead unit reviews its own replies here (the test turns 单位领导审核 on for both districts), so the staff
        // member's reply waits in 待单位审核.
        case .passUnitReview: return (replied, ["note": "同意报送"])
        case .sendBackUnitReview: return (replied, ["reason": "未写明联系市民情况"])
        case .passReview: return (replied, [:])
        case .sendBack: return (replied, ["reason": "答复内容不完整"])
        case .recordCallback: return (awaiting, ["reached": true, "resolved": true, "satisfaction": "satisfied"])
        case .close: return (awaiting, ["note": "市民不需要回访"])
        case .closeUnsatisfied:
            let disputed = awaiting + [("cb1", "callback", ["reached": true, "resolved": false, "satisfaction": "unsatisfied"] as [String: Any])]
            return (disputed, ["reason": "诉求超出政策范围，已充分解释"])
        case .reclassify: return ([], ["category_code": "01.01.02", "reason": "实为道路问题"])
        case .redo: return (awaiting, ["reason": "市民反映问题仍未解决"])
        case .archive: return (closed, [:])
        case .markFinalReply: return (closed, ["note": "已作最终答复"])
        case .urge: return (handling, ["note": "请加快办理"])
        case .issueCard: return (handling + [("sup1", "urge", ["note": "请加快办理"])], ["colour": "yellow", "reason": "催办后仍未办结"])
        case .escalate: return (handling, ["reason": "群众反映强烈"])
        case .consult:
            return (handling + [("sup1", "escalate", ["reason": "多部门职责交叉"] as [String: Any])], Bodies.consultation(lead: lead))
        case .acknowledgeSupervision:
            let flagged = awaiting + [("cb1", "callback", ["reached": true, "resolved": true, "satisfaction": "basically_satisfied", "stars": 1] as [String: Any])]
            return (flagged, ["note": "已核实，市民对办理时长不满，无需督办"])
        case .citizenRate: return (closed, ["satisfaction": "satisfied"])
        }
    }

    static func path(_ action: Action) -> String { action.rawValue.replacingOccurrences(of: "_", with: "-") }

    /// Whether `role` may see an order of the unit `lead` at all (data scope), once it has reached the action's state.
    static func inScope(_ role: Role, action: Action, lead: String) -> Bool {
        let dispatchedYet = ![Action.create, .reject, .answerDirectly, .dispatch, .merge, .reclassify].contains(action)
        switch Actor(userID: "x", role: role, unit: role.isUnitRole ? "dist-east" : "centre").scope {
        case .all: return true
        case .none: return false
        case .subtree: return dispatchedYet && lead == "dist-east"
        }
    }

    func prepare(_ client: any TestClientProtocol, _ action: Action, lead: String) async throws -> String {
        let created = try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake)
        let number = try #require(created.order["number"] as? String)
        for step in Self.preparation(for: action, lead: lead).steps {
            let reply = try await client.post(APIRoutes.action(number, step.action), as: step.user, step.body)
            try #require(reply.status == .ok, "preparing \(action): \(step.action) → \(reply.raw)")
        }
        return number
    }

    func attempt(_ client: any TestClientProtocol, _ action: Action, on number: String, as user: String, lead: String) async throws -> APIReply {
        switch action {
        case .create:
            return try await client.post(APIRoutes.orders, as: user, Bodies.intake)
        case .merge:
            let target = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            return try await client.post(APIRoutes.action(number, "merge"), as: user, ["target": target])
        default:
            return try await client.post(APIRoutes.action(number, Self.path(action)), as: user, Self.preparation(for: action, lead: lead).body)
        }
    }

    @Test(arguments: TestDatabase.available)
    func everyRoleOnEveryOrderActionInsideAndOutsideItsScope(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            var tried = 0
            for action in Action.allCases {
                let unitReview = [Action.passUnitReview, .sendBackUnitReview].contains(action)
                for unit in ["dist-east", "dist-west"] where unitReview {
                    let on = try await client.call(.patch, APIRoutes.unit(unit), as: "admin1", json: "{\"leader_review\": true}")
                    try #require(on.status == .ok, "\(on.raw)")
                }
                for lead in ["dist-east", "dist-west"] {
                    // One order serves every refusal (a refusal changes nothing); each permitted attempt gets its own.
                    let shared = try await prepare(client, action, lead: lead)
                    for (role, user) in TestCity.userByRole.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                        if lead == "dist-west" && !role.isUnitRole { continue }  // centre roles see every unit alike
                        let allowed = action.isAllowed(for: role) && (action == .create || Self.inScope(role, action: action, lead: lead))
                        let number = allowed ? try await prepare(client, action, lead: lead) : shared
                        let before = try await client.call(.get, APIRoutes.order(number), as: "sup1")
                        let reply = try await attempt(client, action, on: number, as: user, lead: lead)
                        tried += 1
                        if allowed {
                            #expect(reply.status == .ok || reply.status == .created, "\(role) \(action) \(lead): \(reply.raw)")
                        } else {
                            #expect(reply.status == .forbidden || reply.status == .notFound, "\(role) \(action) \(lead): \(reply.status) \(reply.raw)")
                            let after = try await client.call(.get, APIRoutes.order(number), as: "sup1")
                            #expect(before.raw == after.raw, "\(role) \(action) changed the order although refused")
                        }
                    }
                }
                for unit in ["dist-east", "dist-west"] where unitReview {
                    _ = try await client.call(.patch, APIRoutes.unit(unit), as: "admin1", json: "{\"leader_review\": false}")
                }
            }
            #expect(tried == Action.allCases.count * (TestCity.userByRole.count + 2))
        }
    }

    /// A representative request for each capability outside the loop.
    static func request(for capability: Capability, order: String, finished: String) -> (method: HTTPRequest.Method, path: String, body: [String: Any]?) {
        switch capability {
        case .viewOrders: (.get, APIRoutes.orders, nil)
        case .revealContact: (.post, APIRoutes.reveal(order), ["field": "phone", "reason": "回访核实"])
        case .exportOrders: (.get, APIRoutes.ordersExport, nil)
        case .restrictCallers: (.post, APIRoutes.restrictions, ["phone": "13900001111", "reason": "反复无理占线", "days": 7])
        case .viewRestrictions: (.get, APIRoutes.restrictions + "?phone=13900001111", nil)
        case .manageUnits: (.patch, APIRoutes.unit("dist-west"), ["contact_name": "值班室"])
        case .manageUsers: (.get, APIRoutes.users, nil)
        case .manageCatalogue: (.put, APIRoutes.catalogue, ["items": [["category_code": "01", "unit_id": "dept-housing"]]])
        case .viewCatalogue: (.get, APIRoutes.catalogue, nil)
        case .manageTimeLimits: (.put, APIRoutes.timeLimits, ["items": [["stage": "handling", "limit": "5d"]]])
        case .manageAPIKeys: (.get, APIRoutes.apiKeys, nil)
        case .viewAudit: (.get, APIRoutes.audit, nil)
        case .manageKnowledge: (.post, APIRoutes.knowledge, ["title": "社保卡补办", "answer": "携带身份证到市民之家办理。"])
        case .draftKnowledge: (.post, APIRoutes.knowledgeDraft(finished), nil)
        case .searchKnowledge: (.get, APIRoutes.knowledgeSearch + "?q=%E7%A4%BE%E4%BF%9D", nil)
        case .assistIntake: (.post, APIRoutes.assist, ["content": "小区路灯不亮"])
        case .trainModels: (.get, APIRoutes.models, nil)
        case .viewMeasures: (.get, APIRoutes.measures, nil)
        case .manageMeasures: (.put, APIRoutes.measureSettings, [
            "basic_satisfaction_weight": 1, "response_weight": 20, "resolution_weight": 30, "satisfaction_weight": 30, "on_time_weight": 20,
            "yellow_card_penalty": 1, "red_card_penalty": 3,
        ])
        case .viewMap: (.get, APIRoutes.map, nil)
        case .viewCallerProfile: (.get, APIRoutes.callerProfile + "?order=" + order, nil)
        case .viewHotTopics: (.get, APIRoutes.topics, nil)
        case .manageHotTopics: (.get, APIRoutes.topicSettings, nil)
        case .ingestCallEvents: (.post, APIRoutes.ctiEvents, ["event_id": "matrix-1", "type": "agent_state", "agent": "agent1", "state": "ready"])
        case .viewScreen: (.get, APIRoutes.screen, nil)
        case .manageScripts: (.post, APIRoutes.scripts, ScriptAPITests.opening)
        case .readScripts: (.get, APIRoutes.scripts, nil)
        // Marking changes the order's standing (one case in force per order): every role's POST is tried on an order of
        // its own in `CaseAPITests.everyRoleMarksOnlyWhatItMayMark`; here the markers' own view of the library.
        case .markTypicalCases: (.get, APIRoutes.cases + "?state=all", nil)
        case .readCases: (.get, APIRoutes.cases, nil)
        // Asking, answering and editing seats are tried role by role in `ExpertSeatTests`; here each capability's own view.
        case .manageExpertSeats: (.get, APIRoutes.expertSeats + "?state=all", nil)
        case .consultExperts: (.get, APIRoutes.expertConsultations + "?view=asked", nil)
        case .answerAsExpert: (.get, APIRoutes.expertConsultations + "?view=seats", nil)
        case .viewPerformance: (.get, APIRoutes.performance, nil)
        case .viewOwnPerformance: (.get, APIRoutes.performanceMine, nil)
        case .managePerformanceTargets: (.put, APIRoutes.performanceTargets, ["quality_score": 90])
        case .viewMetrics: (.get, WebRoutes.metrics, nil)
        case .inspectQuality: (.post, APIRoutes.qualityBatches, ["rule": "random", "calls": 1, "orders": 1])
        case .manageQualityForms: (.post, APIRoutes.qualityForms, QualityAPITests.standardForm)
        case .decideQualityAppeals: (.get, APIRoutes.qualityAppeals, nil)
        case .viewQualityTrends: (.get, APIRoutes.qualityTrends, nil)
        case .reviewOwnQuality: (.get, APIRoutes.qualityMine, nil)
        // The same cell each time: every permitted role may set it again.
        case .manageSchedules: (.put, APIRoutes.scheduleAssignments, ["day": "2025-03-04", "agent_id": "agent1", "kind": "rest"])
        case .viewSchedules: (.get, APIRoutes.scheduleRoster + "?week=2025-03-03", nil)
        case .viewStaffing: (.get, APIRoutes.staffing + "?day=2025-03-04", nil)
        }
    }

    @Test(arguments: TestDatabase.available)
    func everyRoleOnEveryCapability(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let order = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            _ = try await client.post(APIRoutes.action(order, "dispatch"), as: "disp1", ["lead_unit": "dist-east"])
            let finished = try await AssistAPITests().walkToClosed(client, title: "社保卡补办", content: "社保卡丢了，想问怎么补办", category: "02.01.01",
                                                                   unit: "dist-east", staff: "east1")
            for capability in Capability.allCases {
                for (role, user) in TestCity.userByRole {
                    let r = Self.request(for: capability, order: order, finished: finished)
                    let reply = try await client.call(
                        r.method, r.path, token: TestCity.token(user), r.body)
                    if capability.isAllowed(for: role) {
                        #expect((200..<300).contains(reply.status.code), "\(role) \(capability): \(reply.raw)")
                    } else {
                        #expect(reply.status == .forbidden, "\(role) \(capability): \(reply.status) \(reply.raw)")
                    }
                }
            }
        }
    }
}

import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import Testing

/// Notices (消息提醒): which events tell whom, never the person who acted, exactly once per user and event even when
/// actions run at once, and each user's read state their own.
@Suite struct NoticeTests {
    let monday = TestCity.monday

    /// One order dispatched by `disp1` to `lead` (with `assisting`), and the services' notice desk.
    func dispatched(_ s: HotlineServices, lead: UnitID = "dist-east", assisting: [UnitID] = []) async throws -> OrderNumber {
        let number = try await s.desk.intake(TestCity.draft(), by: TestCity.actor("agent1"), at: monday).order.number
        _ = try await s.desk.apply(.dispatch(lead: lead, assisting: assisting, note: nil), to: number, by: TestCity.actor("disp1"), at: monday)
        return number
    }

    func act(_ s: HotlineServices, _ t: Transition, _ number: OrderNumber, _ user: String, minutes: Double = 1) async throws {
        _ = try await s.desk.apply(t, to: number, by: TestCity.actor(user), at: monday.addingTimeInterval(minutes * 60))
    }

    func notices(_ s: HotlineServices, _ user: String) async throws -> [Notice] {
        try await HotlineApp(services: s).notices.page(for: TestCity.actor(user), size: 100).notices
    }

    func unread(_ s: HotlineServices, _ user: String) async throws -> Int {
        try await HotlineApp(services: s).notices.unreadCount(for: TestCity.actor(user))
    }

    @Test(arguments: TestDatabase.available)
    func aDispatchTellsEachUnitGivenTheOrderAndNobodyElse(db: TestDatabase) async throws {
        try await db.withServices { s in
            let n = try await dispatched(s, assisting: ["dist-west"])
            for user in ["east1", "eastadmin", "west1"] {
                let list = try await notices(s, user)
                #expect(list.count == 1, "\(user)")
                #expect(list.first?.kindName == "派单")
                #expect(list.first?.order == n && list.first?.title == "小区路灯不亮" && list.first?.read == false)
                #expect(try await unread(s, user) == 1)
            }
            #expect(try await notices(s, "east1").first?.sentence.hasPrefix(
                "市12345热线中心 派单员一 对工单 \(n) 派单至东区人民政府主办，西区人民政府协办，答复期限 ") == true)
            for user in ["street1", "disp1", "agent1", "sup1", "rev1", "admin1"] {
                #expect(try await notices(s, user).isEmpty, "\(user) is not told")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func urgesCardsAndEscalationTellTheUnitHoldingTheOrder(db: TestDatabase) async throws {
        try await db.withServices { s in
            let n = try await dispatched(s)
            let other = try await dispatched(s, lead: "dist-west")
            try await act(s, .urge(note: "请今天内联系市民"), n, "sup1")
            try await act(s, .issueCard(colour: .yellow, reason: "催办后仍未办理"), n, "sup1", minutes: 2)
            try await act(s, .issueCard(colour: .red, reason: "黄牌后仍未办理"), n, "sup1", minutes: 3)
            try await act(s, .escalate(reason: "多次督办无果"), n, "sup1", minutes: 4)
            let list = try await notices(s, "east1")
            #expect(list.map(\.kindName) == ["提级", "红牌督办", "黄牌警示", "催办", "派单"], "newest first")
            #expect(list[3].sentence == "市12345热线中心 督办员一 对工单 \(n) 催办东区人民政府（本单第1次）：请今天内联系市民")
            #expect(list[2].sentence == "市12345热线中心 督办员一 对工单 \(n) 向东区人民政府亮黄牌：催办后仍未办理")
            #expect(list[1].sentence == "市12345热线中心 督办员一 对工单 \(n) 向东区人民政府亮红牌：黄牌后仍未办理")
            #expect(try await notices(s, "eastadmin").count == 5)
            #expect(try await notices(s, "west1").map(\.order) == [other], "another unit hears nothing of it")
            #expect(try await notices(s, "sup1").isEmpty, "the supervisor is not told of their own urges")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRefusedActionTellsNobody(db: TestDatabase) async throws {
        try await db.withServices { s in
            let n = try await dispatched(s)
            await #expect(throws: LifecycleError.self) {
                try await act(s, .issueCard(colour: .yellow, reason: "未催办就亮牌"), n, "sup1")
            }
            await #expect(throws: LifecycleError.self) { try await act(s, .urge(note: "  "), n, "sup1") }
            #expect(try await notices(s, "east1").map(\.kindName) == ["派单"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func aSubDispatchTellsTheUnitBelowAndAReturnTellsTheDispatchers(db: TestDatabase) async throws {
        try await db.withServices { s in
            let n = try await dispatched(s)
            try await act(s, .sign, n, "east1")
            try await act(s, .subDispatch(unit: "st-east-1", note: "请街道核实"), n, "east1", minutes: 2)
            #expect(try await notices(s, "street1").map(\.sentence) == [
                "东区人民政府 东区承办员 对工单 \(n) 由东区人民政府下派至东区幸福街道办事处：请街道核实"
            ])
            #expect(try await notices(s, "eastadmin").count == 1, "the unit above is not told of its own sub-dispatch")

            let m = try await dispatched(s)
            try await act(s, .returnOrder(reason: "not_our_duty", evidence: "该路段由市住建局管养"), m, "east1")
            #expect(try await notices(s, "disp1").map(\.sentence) == ["东区人民政府 东区承办员 对工单 \(m) 退单（不属于本单位职责）：该路段由市住建局管养"])
            for user in ["sup1", "agent1", "east1", "eastadmin", "west1"] {
                #expect(try await notices(s, user).allSatisfy { $0.kindName != "退单" }, "\(user) is not told of the return")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aSendBackTellsTheLeadUnitAndTheUnitBelowThatReplied(db: TestDatabase) async throws {
        try await db.withServices { s in
            let n = try await dispatched(s)
            try await act(s, .sign, n, "east1")
            try await act(s, .subDispatch(unit: "st-east-1", note: nil), n, "east1", minutes: 2)
            try await act(s, .reply(text: "已修复路灯", attachments: []), n, "street1", minutes: 3)
            try await act(s, .sendBack(reason: "缺少现场照片"), n, "rev1", minutes: 4)
            let sentence = "市12345热线中心 审核员一 对工单 \(n) 审核退回承办单位：缺少现场照片"
            for user in ["east1", "eastadmin", "street1"] {
                #expect(try await notices(s, user).first?.sentence == sentence, "\(user)")
            }
            #expect(try await notices(s, "west1").isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func extensionRequestsTellTheDecidersAndDecisionsTheUnitThatAsked(db: TestDatabase) async throws {
        try await db.withServices { s in
            let n = try await dispatched(s)
            try await act(s, .sign, n, "east1")
            try await act(s, .requestExtension(workingDays: 3, reason: "需协调供电公司"), n, "east1", minutes: 2)
            // The request waits in 延期待审批: the centre's roles that decide it are told.
            for approver in ["disp1", "sup1"] {
                let told = try await notices(s, approver)
                #expect(told.map(\.kindName) == ["申请延期"], "\(approver)")
                #expect(told.first?.sentence.contains("需协调供电公司") == true)
            }
            #expect(try await notices(s, "rev1").isEmpty)
            #expect(try await notices(s, "agent1").isEmpty)
            try await act(s, .approveExtension(note: "同意"), n, "disp1", minutes: 3)
            try await act(s, .requestExtension(workingDays: 2, reason: "仍需协调"), n, "east1", minutes: 4)
            try await act(s, .denyExtension(reason: "时限已足够"), n, "sup1", minutes: 5)
            let list = try await notices(s, "east1")
            #expect(list.map(\.kindName) == ["驳回延期", "同意延期", "派单"])
            #expect(list[1].sentence.hasPrefix("市12345热线中心 派单员一 对工单 \(n) 同意延期3个工作日，答复期限延至 "))
            #expect(list[1].sentence.hasSuffix("：同意"))
            #expect(list[0].sentence == "市12345热线中心 督办员一 对工单 \(n) 驳回延期申请：时限已足够")
            #expect(try await notices(s, "street1").isEmpty)
            #expect(try await notices(s, "west1").isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRedoTellsTheLeadUnit(db: TestDatabase) async throws {
        try await db.withServices { s in
            let n = try await dispatched(s)
            try await act(s, .sign, n, "east1")
            try await act(s, .reply(text: "已修复路灯", attachments: []), n, "east1", minutes: 2)
            try await act(s, .passReview(note: nil), n, "rev1", minutes: 3)
            try await act(s, .recordCallback(.reached(resolved: false, satisfaction: .unsatisfied, stars: nil, note: "路灯仍不亮")), n, "cb1", minutes: 4)
            try await act(s, .redo(reason: "市民反映路灯仍不亮"), n, "disp1", minutes: 5)
            #expect(try await notices(s, "east1").first?.sentence == "市12345热线中心 派单员一 对工单 \(n) 退回东区人民政府重办（第1次重办）：市民反映路灯仍不亮")
        }
    }

    @Test(arguments: TestDatabase.available)
    func nobodyIsToldOfTheirOwnAction(db: TestDatabase) async throws {
        try await db.withServices { s in
            let n = try await dispatched(s)
            // An event by a user of the very unit it concerns: their colleague is told, they are not.
            _ = try await s.orders.update(n) { order in
                Outcome(order: order, events: [WorkOrderEvent(
                    kind: .urged, actor: TestCity.actor("east1"), at: monday.addingTimeInterval(60), fromStatus: order.status,
                    toStatus: order.status, note: "自查催办", details: ["unit": "dist-east", "urges": "1"])])
            }
            #expect(try await notices(s, "east1").map(\.kindName) == ["派单"])
            #expect(try await notices(s, "eastadmin").map(\.kindName) == ["催办", "派单"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func importedHistoryTellsNobody(db: TestDatabase) async throws {
        try await db.withServices { s in
            let context = s.reference.context
            let number = OrderNumber(day: CivilDay(containing: monday), sequence: 900)
            let created = try Intake.open(TestCity.draft(), number: number, earlier: nil, by: TestCity.actor("agent1"), at: monday, in: context)
            let sent = try Lifecycle.apply(.dispatch(lead: "dist-east", assisting: [], note: nil), to: created.order, by: TestCity.actor("disp1"),
                                           at: monday, in: context)
            try await s.orders.importOrders([Outcome(order: sent.order, events: created.events + sent.events)])
            #expect(try await notices(s, "east1").isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func concurrentActionsNotifyExactlyOncePerEvent(db: TestDatabase) async throws {
        try await db.withServices { s in
            let first = try await dispatched(s)
            let second = try await dispatched(s)
            let desk = s.desk
            let start = monday
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<12 {
                    group.addTask {
                        _ = try await desk.apply(.urge(note: "第\(i)次催办"), to: i % 2 == 0 ? first : second, by: TestCity.actor("sup1"),
                                                 at: start.addingTimeInterval(Double(60 + i)))
                    }
                }
                try await group.waitForAll()
            }
            for user in ["east1", "eastadmin"] {
                let urges = try await notices(s, user).filter { $0.kindName == "催办" }
                #expect(urges.count == 12, "\(user): one notice per urge")
                #expect(Set(urges.map(\.id)).count == 12)
                #expect(Set(urges.map(\.sentence)).count == 12, "each tells of its own urge")
            }
            let events = try await s.orders.events(of: first).filter { $0.kind == "urged" }.count
                + s.orders.events(of: second).filter { $0.kind == "urged" }.count
            #expect(events == 12)
        }
    }

    @Test(arguments: TestDatabase.available)
    func readStateIsEachUsersOwnAndMarkingIsIdempotent(db: TestDatabase) async throws {
        try await db.withServices { s in
            let desk = HotlineApp(services: s).notices
            let n = try await dispatched(s)
            let w = try await dispatched(s, lead: "dist-west")
            try await act(s, .urge(note: "请加快"), n, "sup1")
            let east = try await notices(s, "east1")
            #expect(east.count == 2)
            #expect(try await unread(s, "east1") == 2)

            #expect(try await desk.markRead([east[0].id], for: TestCity.actor("east1"), at: monday) == 1)
            #expect(try await desk.markRead([east[0].id], for: TestCity.actor("east1"), at: monday) == 0, "already read")
            #expect(try await unread(s, "east1") == 1)
            #expect(try await unread(s, "eastadmin") == 2, "a colleague's reading is not mine")
            #expect(try await notices(s, "east1").map(\.read) == [true, false])

            // Another unit's notice: neither marked nor opened, and it stays unread for its owner.
            let westNotice = try #require(try await notices(s, "west1").first)
            #expect(westNotice.order == w)
            #expect(try await desk.markRead([westNotice.id], for: TestCity.actor("east1"), at: monday) == 0)
            await #expect(throws: AppError.notFound(what: "消息")) { try await desk.open(westNotice.id, for: TestCity.actor("east1"), at: monday) }
            #expect(try await unread(s, "west1") == 1)

            #expect(try await desk.open(east[1].id, for: TestCity.actor("east1"), at: monday) == n)
            #expect(try await unread(s, "east1") == 0)
            #expect(try await desk.markAllRead(for: TestCity.actor("eastadmin"), upTo: nil, at: monday) == 2)
            #expect(try await desk.markAllRead(for: TestCity.actor("eastadmin"), upTo: nil, at: monday) == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func markingAllStopsAtTheNewestNoticeShown(db: TestDatabase) async throws {
        try await db.withServices { s in
            let desk = HotlineApp(services: s).notices
            let n = try await dispatched(s)
            let shown = try #require(try await notices(s, "east1").first)
            try await act(s, .urge(note: "请加快"), n, "sup1")
            #expect(try await desk.mark(.init(all: true, upTo: shown.id), for: TestCity.actor("east1"), at: monday) == 1)
            #expect(try await notices(s, "east1").map(\.read) == [false, true], "the urge that came meanwhile stays unread")
        }
    }

    @Test(arguments: TestDatabase.available)
    func badMarkRequestsAreRefusedAndChangeNothing(db: TestDatabase) async throws {
        try await db.withServices { s in
            let desk = HotlineApp(services: s).notices
            _ = try await dispatched(s)
            let east = TestCity.actor("east1")
            await #expect(throws: AppError.invalid(field: "ids", message: "请指明要标为已读的消息")) { try await desk.mark(.init(), for: east, at: monday) }
            await #expect(throws: AppError.invalid(field: "ids", message: "一次最多标记100条消息")) {
                try await desk.mark(.init(ids: Array(1...101)), for: east, at: monday)
            }
            await #expect(throws: AppError.invalid(field: "ids", message: "消息编号应为正整数")) { try await desk.mark(.init(ids: [-1]), for: east, at: monday) }
            await #expect(throws: AppError.invalid(field: "ids", message: "全部标为已读时不能再指明消息")) {
                try await desk.mark(.init(ids: [1], all: true), for: east, at: monday)
            }
            await #expect(throws: AppError.invalid(field: "size", message: "每页条数应在1到100之间")) { try await desk.page(for: east, size: 0) }
            #expect(try await unread(s, "east1") == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func concurrentMarksCountEachNoticeOnce(db: TestDatabase) async throws {
        try await db.withServices { s in
            let desk = HotlineApp(services: s).notices
            let n = try await dispatched(s)
            for i in 0..<5 { try await act(s, .urge(note: "第\(i)次"), n, "sup1", minutes: Double(i + 1)) }
            let ids = try await notices(s, "east1").map(\.id)
            let east = TestCity.actor("east1")
            let now = monday
            let marked = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<16 {
                    group.addTask {
                        i % 4 == 0 ? try await desk.markAllRead(for: east, upTo: nil, at: now) : try await desk.markRead(ids, for: east, at: now)
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(marked == 6, "each of the six notices counted once, whoever marked it")
            #expect(try await unread(s, "east1") == 0)
            #expect(try await unread(s, "eastadmin") == 6)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theUnreadCountStopsAtItsCap(db: TestDatabase) async throws {
        try await db.withServices { s in
            let n = try await dispatched(s)
            let desk = s.desk
            for i in 0..<NoticeDesk.countCap {
                _ = try await desk.apply(.urge(note: "催办"), to: n, by: TestCity.actor("sup1"), at: monday.addingTimeInterval(Double(60 + i)))
            }
            #expect(try await unread(s, "east1") == NoticeDesk.countCap)
            #expect(try await HotlineApp(services: s).notices.page(for: TestCity.actor("east1"), page: 6, size: 20).notices.count == 1, "101 in all")
        }
    }
}

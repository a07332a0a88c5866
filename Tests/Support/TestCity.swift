import Foundation
import HotlineDomain
import HotlineStorage

/// A small city for storage and API tests: a centre, one department, two districts, a street and a community.
public enum TestCity {
    public static let units: [HandlingUnit] = [
        HandlingUnit(id: "centre", name: "市12345热线中心", kind: .centre, parentID: nil),
        HandlingUnit(id: "dept-housing", name: "市住房和城乡建设局", kind: .department, parentID: nil),
        HandlingUnit(id: "dist-east", name: "东区人民政府", kind: .district, parentID: nil, district: "东区"),
        HandlingUnit(id: "st-east-1", name: "东区幸福街道办事处", kind: .street, parentID: "dist-east", district: "东区"),
        HandlingUnit(id: "comm-east-1-1", name: "幸福社区居委会", kind: .community, parentID: "st-east-1", district: "东区"),
        HandlingUnit(id: "dist-west", name: "西区人民政府", kind: .district, parentID: nil, district: "西区"),
    ]

    public static let users: [UserAccount] = [
        UserAccount(id: "agent1", displayName: "话务员一", role: .agent, unitID: "centre"),
        UserAccount(id: "disp1", displayName: "派单员一", role: .dispatcher, unitID: "centre"),
        UserAccount(id: "east1", displayName: "东区承办员", role: .unitStaff, unitID: "dist-east"),
        UserAccount(id: "street1", displayName: "街道承办员", role: .unitStaff, unitID: "st-east-1"),
        UserAccount(id: "west1", displayName: "西区承办员", role: .unitStaff, unitID: "dist-west"),
        UserAccount(id: "rev1", displayName: "审核员一", role: .reviewer, unitID: "centre"),
        UserAccount(id: "cb1", displayName: "回访员一", role: .callbackAgent, unitID: "centre"),
        UserAccount(id: "sup1", displayName: "督办员一", role: .supervisor, unitID: "centre"),
        UserAccount(id: "admin1", displayName: "管理员", role: .admin, unitID: "centre"),
        UserAccount(id: "mgr1", displayName: "管理者一", role: .manager, unitID: "centre"),
        UserAccount(id: "ed1", displayName: "知识库编辑一", role: .knowledgeEditor, unitID: "centre"),
        UserAccount(id: "qi1", displayName: "质检员一", role: .qualityInspector, unitID: "centre"),
        UserAccount(id: "eastadmin", displayName: "东区单位管理员", role: .unitAdmin, unitID: "dist-east"),
        UserAccount(id: "citizen1", displayName: "市民一", role: .citizen, unitID: nil),
    ]

    /// One user of each role that signs in (every role but the platform's own).
    public static let userByRole: [Role: String] = [
        .agent: "agent1", .dispatcher: "disp1", .unitStaff: "east1", .unitAdmin: "eastadmin", .reviewer: "rev1", .callbackAgent: "cb1",
        .supervisor: "sup1", .manager: "mgr1", .knowledgeEditor: "ed1", .qualityInspector: "qi1", .admin: "admin1", .citizen: "citizen1",
    ]

    /// Every test user's password.
    public static let password = "test-password-1"

    /// The bearer token each test user holds (valid for a year from the test clock).
    public static func token(_ userID: String) -> String { "test-token-\(userID)" }

    public static func seed(_ services: HotlineServices) async throws {
        let directory = services.directory
        try await directory.addUnits(units)
        try await directory.addUsers(users)
        for user in users {
            try await services.accounts.setPassword(password, for: user.id)
            _ = try await services.accounts.issueToken(for: user.id, kind: "api", scopes: ["*"], now: monday, lifetime: 365 * 86_400, token: token(user.id))
        }
        try await directory.addCategories(try CategoryTree.fromCSV("level1,level2,level3\n城乡建设,市政设施,路灯\n城乡建设,市政设施,道路\n劳动和社会保障,社会保险,社保卡\n"))
    }

    public static func actor(_ id: String) -> Actor { users.first { $0.id == id }!.actor }

    /// Monday 2025-03-03 10:00 China time.
    public static let monday = CivilDay(iso: "2025-03-03")!.at(minutes: 600)

    public static func draft(title: String = "小区路灯不亮", content: String = "东区幸福路12号小区路灯坏了一周。", kind: RequestKind = .complaint,
                             channel: Channel = .phone, category: String? = "01.01.01", phone: String = "13812345678") -> IntakeDraft {
        IntakeDraft(channel: channel, caller: Caller(name: "张先生", phone: phone), kind: kind, categoryCode: category, title: title,
                    content: content, location: Location(address: "幸福路12号", district: "东区"))
    }
}

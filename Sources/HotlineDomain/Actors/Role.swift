/// The roles of the hotline (角色).
public enum Role: String, Sendable, Codable, CaseIterable {
    /// 市民 / 企业.
    case citizen
    /// 话务员.
    case agent
    /// 派单员.
    case dispatcher
    /// 承办单位工作人员.
    case unitStaff = "unit_staff"
    /// 承办单位管理员.
    case unitAdmin = "unit_admin"
    /// 审核员.
    case reviewer
    /// 回访员.
    case callbackAgent = "callback_agent"
    /// 督办员.
    case supervisor
    /// 管理者.
    case manager
    /// 知识库编辑.
    case knowledgeEditor = "knowledge_editor"
    /// 质检员.
    case qualityInspector = "quality_inspector"
    /// 系统管理员.
    case admin
    /// The platform itself: imports, seeds and background jobs.
    case system

    public var chineseName: String {
        switch self {
        case .citizen: "市民"
        case .agent: "话务员"
        case .dispatcher: "派单员"
        case .unitStaff: "承办单位工作人员"
        case .unitAdmin: "承办单位管理员"
        case .reviewer: "审核员"
        case .callbackAgent: "回访员"
        case .supervisor: "督办员"
        case .manager: "管理者"
        case .knowledgeEditor: "知识库编辑"
        case .qualityInspector: "质检员"
        case .admin: "系统管理员"
        case .system: "系统"
        }
    }

    /// Roles that work inside a handling unit rather than the centre.
    public var isUnitRole: Bool { self == .unitStaff || self == .unitAdmin }
}

/// Who performs an action: a user with a role, attached to a unit.
public struct Actor: Sendable, Equatable, Codable {
    public var userID: String
    public var role: Role
    public var unit: UnitID?

    public init(userID: String, role: Role, unit: UnitID? = nil) {
        self.userID = userID
        self.role = role
        self.unit = unit
    }

    public static let system = Actor(userID: "system", role: .system)
}

/// What an actor may do besides moving a work order through the loop: administration, privacy and
/// supervision tools. Together with ``Action/allowedRoles`` this is the role × action matrix (权限矩阵).
public enum Capability: String, Sendable, Codable, CaseIterable {
    /// See the order list and order details (within the data scope).
    case viewOrders = "view_orders"
    /// Reveal a caller's full phone or ID number (查看完整号码), logged.
    case revealContact = "reveal_contact"
    /// Export an order list as CSV (导出), logged; masked like lists.
    case exportOrders = "export_orders"
    /// Restrict a phone number that abuses the line (限制呼入).
    case restrictCallers = "restrict_callers"
    /// See whether a caller is restricted (intake and supervision).
    case viewRestrictions = "view_restrictions"
    /// Edit the unit tree (单位管理).
    case manageUnits = "manage_units"
    /// Create users, change roles and units, reset passwords, unlock (用户管理).
    case manageUsers = "manage_users"
    /// Edit the dispatch catalogue (派单目录).
    case manageCatalogue = "manage_catalogue"
    /// Read the dispatch catalogue and its recommendation.
    case viewCatalogue = "view_catalogue"
    /// Edit time limits (时限配置).
    case manageTimeLimits = "manage_time_limits"
    /// Issue and revoke API keys for integrations (接口密钥).
    case manageAPIKeys = "manage_api_keys"
    /// Read and filter the audit log (审计日志).
    case viewAudit = "view_audit"
    /// Write, review, publish and retire knowledge entries (知识维护).
    case manageKnowledge = "manage_knowledge"
    /// Turn a finished order into a knowledge draft (转为知识草稿: 解答一个、规范一类) for the editors to finish and
    /// submit: the people who read orders propose, the knowledge editors write.
    case draftKnowledge = "draft_knowledge"
    /// Search the published knowledge base and give feedback on answers (知识查询).
    case searchKnowledge = "search_knowledge"
    /// Ask for recommendations while taking a request: category, unit, knowledge, similar orders (智能辅助).
    case assistIntake = "assist_intake"
    /// Retrain the text models (模型训练).
    case trainModels = "train_models"
    /// Read the measures and the unit ranking (考评指标, 考评排名): the whole city for the centre's roles that see it,
    /// a unit admin's own subtree.
    case viewMeasures = "view_measures"
    /// Change the measures' settings: the weight of 基本满意 and the ranking's weights (指标设置).
    case manageMeasures = "manage_measures"
    /// See the map of orders and hot spots (工单地图), within the data scope.
    case viewMap = "view_map"
    /// See a caller's profile (来电人画像): their orders over time, topics, units, callbacks, restrictions and tags.
    case viewCallerProfile = "view_caller_profile"
    /// See the hot topics and their alerts (热点预警).
    case viewHotTopics = "view_hot_topics"
    /// Edit the hot-topic thresholds and the centre's alert receiver (热点预警阈值).
    case manageHotTopics = "manage_hot_topics"
    /// Send telephony events (话务事件) from the call-centre system.
    case ingestCallEvents = "ingest_call_events"
    /// See the live big screen (大屏) of the call centre.
    case viewScreen = "view_screen"
    /// Write, edit, retire and restore standard reply scripts (话术维护).
    case manageScripts = "manage_scripts"
    /// Read the reply scripts: on the intake desk beside the knowledge suggestions, and in the script library (话术查询).
    case readScripts = "read_scripts"
    /// Mark a finished order as a typical case, and retire a case (标为典型案例).
    case markTypicalCases = "mark_typical_cases"
    /// Read the typical-case library (典型案例库), for training.
    case readCases = "read_cases"
    /// Set up expert seats (专家坐席): the stationed department, its matters, hours and specialists.
    case manageExpertSeats = "manage_expert_seats"
    /// Escalate a call or a question to an expert seat (转专家坐席).
    case consultExperts = "consult_experts"
    /// Answer at an expert seat as its policy specialist (政策专员解答); the seat must list the user too.
    case answerAsExpert = "answer_as_expert"
    /// Draw sampling batches and score calls and orders (质检抽检与评分).
    case inspectQuality = "inspect_quality"
    /// Write and edit the quality scoring forms (质检评分表).
    case manageQualityForms = "manage_quality_forms"
    /// Decide agents' appeals against a quality score (裁定质检申诉).
    case decideQualityAppeals = "decide_quality_appeals"
    /// See the quality trends per agent and team (质检统计).
    case viewQualityTrends = "view_quality_trends"
    /// See one's own inspections, acknowledge or appeal them (我的质检).
    case reviewOwnQuality = "review_own_quality"
    /// Edit teams, shift templates and the roster, and call standby agents in (排班管理).
    case manageSchedules = "manage_schedules"
    /// See the roster and its coverage; an agent sees their own shifts (我的排班).
    case viewSchedules = "view_schedules"
    /// See the forecast and the agents each interval needs (人力预测).
    case viewStaffing = "view_staffing"

    /// See every agent's and team's performance and the service-star ranking (坐席绩效).
    case viewPerformance = "view_performance"
    /// See one's own performance against the targets, one's team's and the service stars (我的绩效).
    case viewOwnPerformance = "view_own_performance"
    /// Set the performance targets and the service-star weights (绩效目标).
    case managePerformanceTargets = "manage_performance_targets"

    /// Read the platform's Prometheus metrics (`GET /metrics`): request rates and latencies, queues, orders by state.
    case viewMetrics = "view_metrics"

    public var allowedRoles: Set<Role> {
        switch self {
        case .viewOrders:
            [.agent, .dispatcher, .unitStaff, .unitAdmin, .reviewer, .callbackAgent, .supervisor, .manager, .qualityInspector, .admin]
        case .revealContact: [.agent, .dispatcher, .unitStaff, .unitAdmin, .callbackAgent, .supervisor]
        case .exportOrders: [.dispatcher, .supervisor, .manager, .qualityInspector, .unitAdmin]
        case .restrictCallers: [.supervisor, .admin]
        case .viewRestrictions: [.agent, .dispatcher, .supervisor, .callbackAgent, .admin]
        case .manageUnits, .manageUsers, .manageCatalogue, .manageTimeLimits, .manageAPIKeys, .viewAudit: [.admin]
        case .viewCatalogue: [.agent, .dispatcher, .supervisor, .admin]
        case .manageKnowledge: [.knowledgeEditor, .admin]
        case .draftKnowledge: [.agent, .reviewer, .callbackAgent, .qualityInspector, .admin]
        case .searchKnowledge: [.agent, .dispatcher, .callbackAgent, .supervisor, .reviewer, .knowledgeEditor, .qualityInspector, .admin]
        case .assistIntake: [.agent, .dispatcher]
        case .trainModels: [.admin]
        case .viewMeasures: [.manager, .supervisor, .dispatcher, .qualityInspector, .admin, .unitAdmin]
        case .manageMeasures: [.manager, .admin]
        case .viewMap: [.dispatcher, .supervisor, .manager]
        case .viewCallerProfile: [.agent, .dispatcher, .callbackAgent, .supervisor, .manager]
        case .viewHotTopics: [.manager, .supervisor, .dispatcher, .admin]
        case .manageHotTopics: [.manager, .admin]
        case .ingestCallEvents: [.admin]
        case .viewScreen: [.manager, .supervisor, .dispatcher, .admin]
        case .manageScripts: [.knowledgeEditor, .admin]
        // Quality inspectors check calls against the standard wording.
        case .readScripts: [.agent, .dispatcher, .qualityInspector, .knowledgeEditor, .admin]
        case .markTypicalCases: [.supervisor, .manager, .qualityInspector]
        case .readCases: [.agent, .dispatcher, .reviewer, .callbackAgent, .supervisor, .manager, .qualityInspector, .knowledgeEditor]
        case .manageExpertSeats: [.manager, .admin]
        case .consultExperts: [.agent, .dispatcher]
        case .answerAsExpert: [.unitStaff, .unitAdmin]
        case .inspectQuality: [.qualityInspector]
        case .manageQualityForms: [.admin]
        case .decideQualityAppeals: [.supervisor, .admin]
        case .viewQualityTrends: [.qualityInspector, .supervisor, .manager, .admin]
        case .reviewOwnQuality: [.agent]
        case .viewPerformance: [.supervisor, .manager, .qualityInspector, .admin]
        case .viewOwnPerformance: [.agent]
        case .managePerformanceTargets: [.manager, .admin]
        case .viewMetrics: [.admin]
        case .manageSchedules: [.supervisor, .admin]
        case .viewSchedules: [.supervisor, .manager, .admin, .agent]
        case .viewStaffing: [.manager, .supervisor, .admin]
        }
    }

    public func isAllowed(for role: Role) -> Bool { role == .system || allowedRoles.contains(role) }

    public var chineseName: String {
        switch self {
        case .viewOrders: "查看工单"
        case .revealContact: "查看完整联系方式"
        case .exportOrders: "导出工单"
        case .restrictCallers: "限制来电号码"
        case .viewRestrictions: "查看来电限制"
        case .manageUnits: "管理单位"
        case .manageUsers: "管理用户"
        case .manageCatalogue: "管理派单目录"
        case .viewCatalogue: "查看派单目录"
        case .manageTimeLimits: "管理时限"
        case .manageAPIKeys: "管理接口密钥"
        case .viewAudit: "查看审计日志"
        case .manageKnowledge: "维护知识库"
        case .draftKnowledge: "工单转为知识草稿"
        case .searchKnowledge: "查询知识库"
        case .assistIntake: "使用智能辅助"
        case .trainModels: "训练模型"
        case .viewMeasures: "查看考评指标"
        case .manageMeasures: "设置考评指标"
        case .viewMap: "查看工单地图"
        case .viewCallerProfile: "查看来电人画像"
        case .viewHotTopics: "查看热点预警"
        case .manageHotTopics: "设置热点预警阈值"
        case .ingestCallEvents: "接收话务事件"
        case .viewScreen: "查看话务大屏"
        case .manageScripts: "维护话术"
        case .readScripts: "查看话术"
        case .markTypicalCases: "标记典型案例"
        case .readCases: "查看典型案例"
        case .manageExpertSeats: "设置专家坐席"
        case .consultExperts: "转专家坐席"
        case .answerAsExpert: "专家坐席解答"
        case .inspectQuality: "质检抽检与评分"
        case .manageQualityForms: "维护质检评分表"
        case .decideQualityAppeals: "裁定质检申诉"
        case .viewQualityTrends: "查看质检统计"
        case .reviewOwnQuality: "查看本人质检并确认或申诉"
        case .viewPerformance: "查看坐席绩效"
        case .viewOwnPerformance: "查看本人绩效"
        case .managePerformanceTargets: "设置绩效目标"
        case .viewMetrics: "读取运行指标"
        case .manageSchedules: "管理排班"
        case .viewSchedules: "查看排班"
        case .viewStaffing: "查看人力预测"
        }
    }
}

import Foundation
import HotlineDomain
import SQLKit

/// What the audit log records (审计事项).
public enum AuditAction: String, Sendable, Codable, CaseIterable {
    case login
    case loginFailed = "login_failed"
    case accountLocked = "account_locked"
    case logout
    case passwordChanged = "password_changed"
    case reveal
    case export
    case unitCreated = "unit_created"
    case unitUpdated = "unit_updated"
    case userCreated = "user_created"
    case userUpdated = "user_updated"
    case catalogueChanged = "catalogue_changed"
    case timeLimitsChanged = "time_limits_changed"
    case apiKeyIssued = "api_key_issued"
    case apiKeyRevoked = "api_key_revoked"
    case callerRestricted = "caller_restricted"
    case restrictionLifted = "restriction_lifted"
    case calendarChanged = "calendar_changed"
    case callbackRuleChanged = "callback_rule_changed"
    case categoryChanged = "category_changed"
    case returnReasonsChanged = "return_reasons_changed"
    case replyRulesChanged = "reply_rules_changed"
    case slaRuleChanged = "sla_rule_changed"
    case escalationRuleChanged = "escalation_rule_changed"
    case webhookChanged = "webhook_changed"
    case webhookRequeued = "webhook_requeued"
    case measureSettingsChanged = "measure_settings_changed"
    case topicSettingsChanged = "topic_settings_changed"
    case stationingChanged = "stationing_changed"
    case channelGatewayChanged = "channel_gateway_changed"
    case channelMessageRequeued = "channel_message_requeued"
    case portalSettingsChanged = "portal_settings_changed"
    case typicalCaseMarked = "typical_case_marked"
    case typicalCaseRetired = "typical_case_retired"
    case expertSeatChanged = "expert_seat_changed"
    case expertConsulted = "expert_consulted"
    case expertAnswered = "expert_answered"
    case performanceTargetsChanged = "performance_targets_changed"
    case qualityFormChanged = "quality_form_changed"
    case qualityBatchDrawn = "quality_batch_drawn"
    case qualityScored = "quality_scored"
    case qualityAcknowledged = "quality_acknowledged"
    case qualityAppealed = "quality_appealed"
    case qualityAppealDecided = "quality_appeal_decided"
    case scheduleChanged = "schedule_changed"

    public var chineseName: String {
        switch self {
        case .login: "登录"
        case .loginFailed: "登录失败"
        case .accountLocked: "账号锁定"
        case .logout: "退出登录"
        case .passwordChanged: "修改密码"
        case .reveal: "查看完整联系方式"
        case .export: "导出工单"
        case .unitCreated: "新增单位"
        case .unitUpdated: "修改单位"
        case .userCreated: "新增用户"
        case .userUpdated: "修改用户"
        case .catalogueChanged: "修改派单目录"
        case .timeLimitsChanged: "修改时限"
        case .apiKeyIssued: "签发接口密钥"
        case .apiKeyRevoked: "吊销接口密钥"
        case .callerRestricted: "限制来电号码"
        case .restrictionLifted: "解除来电限制"
        case .calendarChanged: "修改工作日历"
        case .callbackRuleChanged: "修改回访规则"
        case .categoryChanged: "修改事项分类"
        case .returnReasonsChanged: "修改退单原因清单"
        case .replyRulesChanged: "修改答复审核规则"
        case .slaRuleChanged: "修改时限预警与亮牌规则"
        case .escalationRuleChanged: "修改提级规则"
        case .webhookChanged: "修改消息推送"
        case .webhookRequeued: "重新投递推送"
        case .measureSettingsChanged: "修改考评指标设置"
        case .topicSettingsChanged: "修改热点预警阈值"
        case .stationingChanged: "修改驻场安排"
        case .channelGatewayChanged: "修改渠道接入"
        case .channelMessageRequeued: "重新投递渠道消息"
        case .portalSettingsChanged: "修改市民门户设置"
        case .typicalCaseMarked: "标记典型案例"
        case .typicalCaseRetired: "撤销典型案例"
        case .expertSeatChanged: "修改专家坐席"
        case .expertConsulted: "转专家坐席"
        case .expertAnswered: "专家坐席解答"
        case .performanceTargetsChanged: "修改绩效目标"
        case .qualityFormChanged: "修改质检评分表"
        case .qualityBatchDrawn: "抽取质检批次"
        case .qualityScored: "质检评分"
        case .qualityAcknowledged: "确认质检结果"
        case .qualityAppealed: "质检申诉"
        case .qualityAppealDecided: "裁定质检申诉"
        case .scheduleChanged: "修改排班"
        }
    }
}

/// One line of the append-only audit log: who did what to which target, from where, with what outcome.
public struct AuditEntry: Sendable, Equatable, Codable {
    public var id: Int64?
    public var at: Date
    public var actorID: String?
    public var actorRole: Role?
    public var actorUnit: UnitID?
    public var action: AuditAction
    public var target: String?
    /// `success` or `failure`.
    public var outcome: String
    public var detail: String
    public var client: String?

    public init(at: Date, actor: Actor?, action: AuditAction, target: String? = nil, outcome: String = "success", detail: String = "",
                client: String? = nil) {
        self.at = at
        actorID = actor?.userID
        actorRole = actor?.role
        actorUnit = actor?.unit
        self.action = action
        self.target = target
        self.outcome = outcome
        self.detail = detail
        self.client = client
    }
}

/// The filters of the audit log view.
public struct AuditFilter: Sendable, Equatable {
    public var actorID: String?
    public var action: AuditAction?
    public var target: String?
    public var from: Date?
    public var to: Date?

    public init() {}
}

/// The audit log (审计日志). The table refuses UPDATE and DELETE; entries that belong to a change are written
/// in the change's own transaction with ``AuditLog/append(_:in:)``.
public struct AuditLog: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    /// Records an entry on its own (logins, reveals, exports).
    public func record(_ entry: AuditEntry) async throws {
        try await database.transaction { db in try await Self.append(entry, in: db) }
    }

    static func append(_ e: AuditEntry, in db: any SQLDatabase) async throws {
        try await db.run(Statement(
            "INSERT INTO audit_log (at_ms, actor_id, actor_role, actor_unit, action, target, outcome, detail, client) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [e.at.epochMilliseconds, bindable(e.actorID), bindable(e.actorRole?.rawValue), bindable(e.actorUnit),
             e.action.rawValue, bindable(e.target), e.outcome, String(e.detail.prefix(2000)), bindable(e.client)]))
    }

    /// Newest first, a page at a time.
    public func list(_ filter: AuditFilter, page: Int, size: Int) async throws -> [AuditEntry] {
        var statement = Statement("SELECT id, at_ms, actor_id, actor_role, actor_unit, action, target, outcome, detail, client FROM audit_log WHERE 1 = 1")
        if let a = filter.actorID { statement.append(" AND actor_id = ?", [a]) }
        if let a = filter.action { statement.append(" AND action = ?", [a.rawValue]) }
        if let t = filter.target { statement.append(" AND target = ?", [t]) }
        if let f = filter.from { statement.append(" AND at_ms >= ?", [Int64(f.timeIntervalSince1970 * 1000)]) }
        if let t = filter.to { statement.append(" AND at_ms < ?", [Int64(t.timeIntervalSince1970 * 1000)]) }
        statement.append(" ORDER BY id DESC LIMIT ? OFFSET ?", [size, (page - 1) * size])
        let query = statement
        return try await database.read { db in
            try await db.rows(query).map { row in
                guard let action = AuditAction(rawValue: try row.decode(column: "action", as: String.self)) else {
                    throw DatabaseError.corrupt("audit_log.action")
                }
                var entry = AuditEntry(
                    at: Date(timeIntervalSince1970: Double(try row.decode(column: "at_ms", as: Int64.self)) / 1000), actor: nil, action: action,
                    target: try row.decode(column: "target", as: String?.self), outcome: try row.decode(column: "outcome", as: String.self),
                    detail: try row.decode(column: "detail", as: String.self), client: try row.decode(column: "client", as: String?.self))
                entry.id = try row.decode(column: "id", as: Int64.self)
                entry.actorID = try row.decode(column: "actor_id", as: String?.self)
                entry.actorRole = try row.decode(column: "actor_role", as: String?.self).flatMap(Role.init(rawValue:))
                entry.actorUnit = try row.decode(column: "actor_unit", as: String?.self)
                return entry
            }
        }
    }
}

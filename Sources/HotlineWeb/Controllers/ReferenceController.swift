import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// Reference data and the working-day calendar.
struct ReferenceController: Sendable {
    let directory: DirectoryStore
    let reference: ReferenceData
    let administration: Administration
    let actors: ActorResolver
    let clients: ClientAddress
    let clock: @Sendable () -> Date

    func register(on router: Router<AppRequestContext>) {
        let anyTokenRoutes = router.scoped(nil, by: actors)
        let referenceReadRoutes = router.scoped(.referenceRead, by: actors)
        let adminRoutes = router.scoped(.admin, by: actors)
        router.get(RouterPath(APIRoutes.health)) { _, _ in
            try APIJSON.response(HealthView(status: "ok", calendarWarnings: CalendarWarning.texts(reference.context.calendar, at: clock())))
        }
        anyTokenRoutes.get(RouterPath(APIRoutes.me)) { request, context in try APIJSON.response(try context.user()) }
        referenceReadRoutes.get(RouterPath(APIRoutes.units)) { request, context in
            _ = try context.user()
            return try APIJSON.response(["items": try await directory.units()])
        }
        referenceReadRoutes.get(RouterPath(APIRoutes.categories)) { request, context in
            _ = try context.user()
            return try APIJSON.response(["items": try await directory.categories()])
        }
        referenceReadRoutes.get(RouterPath(APIRoutes.timeLimits)) { request, context in
            _ = try context.user()
            return try APIJSON.response(["items": reference.context.limits.rules])
        }
        adminRoutes.put(RouterPath(APIRoutes.timeLimits)) { request, context in
            let user = try context.require(.manageTimeLimits)
            let input = try await request.decode(as: AdminInput.TimeLimits.self, context: context)
            try await administration.replaceTimeLimits(input.items, by: user, client: clients.of(request, context), at: clock())
            return try APIJSON.response(["items": reference.context.limits.rules])
        }
        referenceReadRoutes.get(RouterPath(APIRoutes.callbackRule)) { request, context in
            _ = try context.user()
            return try APIJSON.response(CallbackRuleView(reference.context.callbackRule))
        }
        adminRoutes.put(RouterPath(APIRoutes.callbackRule)) { request, context in
            let user = try context.require(.manageTimeLimits)
            let input = try await request.decode(as: AdminInput.CallbackRuleInput.self, context: context)
            return try APIJSON.response(CallbackRuleView(
                try await administration.setCallbackRule(input, by: user, client: clients.of(request, context), at: clock())))
        }
        referenceReadRoutes.get(RouterPath(APIRoutes.escalationRule)) { request, context in
            _ = try context.user()
            return try APIJSON.response(EscalationRuleView(reference.context.escalationRule))
        }
        adminRoutes.put(RouterPath(APIRoutes.escalationRule)) { request, context in
            let user = try context.require(.manageTimeLimits)
            let input = try await request.decode(as: EscalationRule.self, context: context)
            return try APIJSON.response(EscalationRuleView(
                try await administration.setEscalationRule(input, by: user, client: clients.of(request, context), at: clock())))
        }
        referenceReadRoutes.get(RouterPath(APIRoutes.returnReasons)) { request, context in
            _ = try context.user()
            return try APIJSON.response(ReturnReasonsView(reference.context.returnReasons))
        }
        adminRoutes.put(RouterPath(APIRoutes.returnReasons)) { request, context in
            let user = try context.require(.manageTimeLimits)
            let input = try await request.decode(as: AdminInput.ReturnReasonsInput.self, context: context)
            return try APIJSON.response(ReturnReasonsView(
                try await administration.setReturnReasons(input, by: user, client: clients.of(request, context), at: clock())))
        }
        adminRoutes.get(RouterPath(APIRoutes.slaRule)) { request, context in
            _ = try context.require(.manageTimeLimits)
            return try APIJSON.response(SLARuleView(try await administration.slaRule()))
        }
        adminRoutes.put(RouterPath(APIRoutes.slaRule)) { request, context in
            let user = try context.require(.manageTimeLimits)
            let input = try await request.decode(as: SLARule.self, context: context)
            return try APIJSON.response(SLARuleView(
                try await administration.setSLARule(input, by: user, client: clients.of(request, context), at: clock())))
        }
        referenceReadRoutes.get(RouterPath(APIRoutes.calendarWorkdays)) { request, context in
            _ = try context.user()
            let params = request.uri.queryParameters
            guard let from = params.get("from").flatMap(CivilDay.init(iso:)) else { throw APIError.invalid("from", "应为 YYYY-MM-DD") }
            guard let to = params.get("to").flatMap(CivilDay.init(iso:)) else { throw APIError.invalid("to", "应为 YYYY-MM-DD") }
            guard to.ordinal - from.ordinal <= 3660 else { throw APIError.invalid("to", "区间不能超过10年") }
            let calendar = reference.context.calendar
            return try APIJSON.response(WorkdaysView(
                days: calendar.workingDays(from: from, to: to).map(\.description), provisional: calendar.isProvisional(from: from, to: to)))
        }
        registerCalendarOverrides(on: router)
        registerReplyRules(on: router)
        referenceReadRoutes.get(RouterPath(APIRoutes.calendarDeadline)) { request, context in
            _ = try context.user()
            let params = request.uri.queryParameters
            guard let start = params.get("start").flatMap(ISOTime.parse) else { throw APIError.invalid("start", "应为ISO 8601时间") }
            let calendar = reference.context.calendar
            let deadline: Date
            if let days = params.get("working_days") {
                guard let n = Int(days), (0...3650).contains(n) else { throw APIError.invalid("working_days", "应为0到3650的整数") }
                deadline = calendar.deadline(from: start, workingDays: n)
            } else if let hours = params.get("working_hours") {
                guard let n = Double(hours), (0...87_600).contains(n) else { throw APIError.invalid("working_hours", "应为非负数") }
                deadline = calendar.deadline(from: start, workingHours: n)
            } else {
                throw APIError.invalid("working_days", "须给出 working_days 或 working_hours")
            }
            return try APIJSON.response(DeadlineView(deadline: deadline.chinaISO8601, provisional: calendar.isProvisional(from: start, to: deadline)))
        }
    }
}

/// GET /api/v1/health: up, and what an administrator should act on soon.
struct HealthView: Encodable {
    var status: String
    /// Years about to be (or being) computed on the provisional calendar (临时日历), as sentences.
    var calendarWarnings: [String]
}

/// GET /api/v1/calendar/workdays: `provisional` when a day of the range lies in a year without an official schedule.
struct WorkdaysView: Encodable {
    var days: [String]
    var provisional: Bool
}

/// GET /api/v1/calendar/deadline: `provisional` when the period runs through a year without an official schedule.
struct DeadlineView: Encodable {
    var deadline: String
    var provisional: Bool
}

/// The warning administrators see from 1 November of the preceding year until a year's official schedule is loaded.
enum CalendarWarning {
    static func texts(_ calendar: WorkingCalendar, at now: Date) -> [String] {
        calendar.provisionalYearsToWarn(at: now).map { year in
            "\(year)年的国务院放假安排尚未载入：该年的期限暂按法定节假日临时计算（不含调休），请在工作日历页载入放假安排。"
        }
    }
}

/// GET/PUT /api/v1/callback-rule: the callback rule (回访规则) — automatic redos, unreachable closing, supervision.
struct CallbackRuleView: Encodable {
    var autoRedo: [CallbackShortfall]
    var unreachableAttempts: Int
    var unreachableDays: Int
    var superviseBelowStars: Int
    var superviseUnsatisfiedComplaints: Bool
    /// In plain Chinese: what happens after a callback.
    var description: String

    init(_ rule: CallbackRule) {
        autoRedo = rule.autoRedo.sorted()
        unreachableAttempts = rule.unreachableAttempts
        unreachableDays = rule.unreachableDays
        superviseBelowStars = rule.superviseBelowStars
        superviseUnsatisfiedComplaints = rule.superviseUnsatisfiedComplaints
        description = rule.description
    }
}

/// GET/PUT /api/v1/escalation-rule: the escalation rule (提级规则).
struct EscalationRuleView: Encodable {
    var redoRounds: Int
    var returningUnits: Int
    /// In plain Chinese: when orders escalate by themselves.
    var description: String

    init(_ rule: EscalationRule) {
        redoRounds = rule.redoRounds
        returningUnits = rule.returningUnits
        description = rule.description
    }
}

/// GET/PUT /api/v1/return-reasons: the return-reason list (退单原因), retired reasons included.
struct ReturnReasonsView: Encodable {
    var items: [ReturnReason]
    /// In plain Chinese: how the list is used.
    var description: String

    init(_ list: ReturnReasonList) {
        items = list.items
        description = "承办单位退单时须从清单中选择原因（" + list.offered.map(\.name).joined(separator: "、") + "）并说明依据；选择“其他”须不少于"
            + "\(ReturnReasonList.otherMinimumEvidence)字"
    }
}

/// GET/PUT /api/v1/sla-rule: the SLA sweeper's warning share and card rules.
struct SLARuleView: Encodable {
    var warnPercent: Int
    var urgeWhenOverdue: Bool
    var yellowCardWhenOverdue: Bool
    var yellowCardsForRed: Int
    /// In plain Chinese: what the sweeper does.
    var description: String

    init(_ rule: SLARule) {
        warnPercent = rule.warnPercent
        urgeWhenOverdue = rule.urgeWhenOverdue
        yellowCardWhenOverdue = rule.yellowCardWhenOverdue
        yellowCardsForRed = rule.yellowCardsForRed
        var parts = ["各环节时限用去\(rule.warnPercent)%时预警", "到期未办结标记超期"]
        if rule.urgeWhenOverdue { parts.append("承办单位超期自动催办") }
        if rule.yellowCardWhenOverdue { parts.append("答复超期向承办单位亮黄牌") }
        if rule.yellowCardsForRed > 0 { parts.append("同一单位一个自然月内每累计\(rule.yellowCardsForRed)张黄牌亮红牌") }
        description = parts.joined(separator: "；")
    }
}

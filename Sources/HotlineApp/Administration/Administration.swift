import Foundation
import HotlineDomain
import HotlineStorage

/// The administration use cases (系统管理): the unit tree, users and roles, API keys, the dispatch catalogue, time
/// limits, the working-day calendar and the callback rule. Each checks the admin's capability and the input, stores
/// the change with its audit line in one transaction, and reloads what this instance caches (other instances follow
/// through `reference_version`).
public struct Administration: Sendable {
    let services: HotlineServices

    /// Longest an API key may live.
    public static let maximumKeyDays = 730

    init(services: HotlineServices) { self.services = services }

    var reference: ReferenceData { services.reference }
    var directory: DirectoryStore { services.directory }

    func require(_ capability: Capability, _ user: UserAccount) throws(AppError) {
        guard capability.isAllowed(for: user.role) else { throw .lacks(capability, role: user.role) }
    }

    // MARK: Units

    /// Adds a unit to the tree.
    public func createUnit(_ input: AdminInput.Unit, by admin: UserAccount, client: String, at now: Date) async throws -> HandlingUnit {
        try require(.manageUnits, admin)
        let id = try AdminText.identifier(input.id ?? "", field: "id")
        guard let kind = input.kind else { throw AppError.invalid(field: "kind", message: "缺少必填字段") }
        let units = reference.context.units
        guard !units.contains(id) else { throw AppError.conflict(code: "exists", message: "单位 \(id) 已存在", field: "id") }
        let parent = input.parentId ?? nil
        if let parent, !units.contains(parent) {
            throw AppError.unprocessable(code: "unknown_unit", message: "上级单位 \(parent) 不存在", field: "parent_id")
        }
        let unit = HandlingUnit(
            id: id, name: try AdminText.name(input.name ?? "", field: "name"), kind: kind, parentID: parent,
            district: try AdminText.optional(input.district, field: "district", limit: 40),
            contactName: try AdminText.optional(input.contactName, field: "contact_name", limit: 40),
            contactPhone: try AdminText.optional(input.contactPhone, field: "contact_phone", limit: 40),
            leaderReview: input.leaderReview ?? false)
        try await directory.createUnit(unit, audit: AuditEntry(
            at: now, actor: admin.actor, action: .unitCreated, target: "unit:\(id)", detail: "\(unit.name) parent=\(parent ?? "-") leader_review=\(unit.leaderReview)", client: client))
        try await reference.reload()
        return unit
    }

    /// Changes a unit; a unit never moves below itself.
    public func updateUnit(_ id: UnitID, _ input: AdminInput.Unit, by admin: UserAccount, client: String, at now: Date) async throws -> HandlingUnit {
        try require(.manageUnits, admin)
        guard var unit = try await directory.units().first(where: { $0.id == id }) else { throw AppError.notFound(what: "单位 \(id) ") }
        if let name = input.name { unit.name = try AdminText.name(name, field: "name") }
        if let kind = input.kind { unit.kind = kind }
        if let parent = input.parentId {
            let units = reference.context.units
            if let parent, !units.contains(parent) {
                throw AppError.unprocessable(code: "unknown_unit", message: "上级单位 \(parent) 不存在", field: "parent_id")
            }
            guard !units.wouldCycle(id, newParent: parent) else {
                throw AppError.unprocessable(code: "unit_cycle", message: "不能把单位挂到它自己或其下级单位之下", field: "parent_id")
            }
            unit.parentID = parent
        }
        if let d = input.district { unit.district = try AdminText.optional(d, field: "district", limit: 40) }
        if let n = input.contactName { unit.contactName = try AdminText.optional(n, field: "contact_name", limit: 40) }
        if let p = input.contactPhone { unit.contactPhone = try AdminText.optional(p, field: "contact_phone", limit: 40) }
        if let on = input.leaderReview { unit.leaderReview = on }
        try await directory.updateUnit(unit, audit: AuditEntry(
            at: now, actor: admin.actor, action: .unitUpdated, target: "unit:\(id)",
            detail: "name=\(unit.name) parent=\(unit.parentID ?? "-") contact=\(unit.contactName ?? "-") leader_review=\(unit.leaderReview)", client: client))
        try await reference.reload()
        return unit
    }

    // MARK: Users

    /// Role and unit must agree: unit roles need a unit; the platform's own role is never given to a person.
    func checkRole(_ role: Role, unit: UnitID?) throws(AppError) {
        guard role != .system else { throw .invalid(field: "role", message: "不能授予系统角色") }
        if role.isUnitRole, unit == nil { throw .invalid(field: "unit_id", message: "承办单位角色须指定所属单位") }
        if let unit, !reference.context.units.contains(unit) {
            throw .unprocessable(code: "unknown_unit", message: "单位 \(unit) 不存在", field: "unit_id")
        }
    }

    /// Adds a user: role and unit agree, the password meets the policy.
    public func createUser(_ input: AdminInput.NewUser, by admin: UserAccount, client: String, at now: Date) async throws -> UserRecord {
        try require(.manageUsers, admin)
        let id = try AdminText.identifier(input.id, field: "id")
        try checkRole(input.role, unit: input.unitId)
        if let problem = PasswordPolicy.problem(with: input.password) { throw AppError.invalid(field: "password", message: problem) }
        guard try await directory.userRecord(id) == nil else { throw AppError.conflict(code: "exists", message: "用户 \(id) 已存在", field: "id") }
        let user = UserAccount(id: id, displayName: try AdminText.name(input.displayName, field: "display_name", limit: 40), role: input.role,
                               unitID: input.unitId)
        try await directory.createUser(user, passwordHash: DirectoryStore.passwordHash(input.password, cost: services.passwordCost), audit: AuditEntry(
            at: now, actor: admin.actor, action: .userCreated, target: "user:\(id)", detail: "role=\(user.role.rawValue) unit=\(user.unitID ?? "-")",
            client: client))
        guard let created = try await directory.userRecord(id) else { throw AppError.notFound(what: "用户 \(id) ") }
        return created
    }

    /// Changes a user: an admin cannot lock themselves out; deactivating or a new password revokes the user's
    /// tokens in the same transaction.
    public func updateUser(_ id: String, _ input: AdminInput.UserPatch, by admin: UserAccount, client: String, at now: Date) async throws -> UserRecord {
        try require(.manageUsers, admin)
        guard let current = try await directory.userRecord(id) else { throw AppError.notFound(what: "用户 \(id) ") }
        if id == admin.id, input.active == false || (input.role.map { $0 != .admin } ?? false) {
            throw AppError.conflict(code: "self_lockout", message: "不能停用自己或撤销自己的管理员角色", field: nil)
        }
        try checkRole(input.role ?? current.account.role, unit: input.unitId ?? current.account.unitID)
        var change = UserChange(role: input.role, unitID: input.unitId.map { .some($0) }, active: input.active, unlock: input.unlock ?? false)
        if let name = input.displayName { change.displayName = try AdminText.name(name, field: "display_name", limit: 40) }
        if let password = input.password {
            if let problem = PasswordPolicy.problem(with: password) { throw AppError.invalid(field: "password", message: problem) }
            change.passwordHash = DirectoryStore.passwordHash(password, cost: services.passwordCost)
        }
        var detail: [String] = []
        if let r = input.role { detail.append("role=\(r.rawValue)") }
        if let u = input.unitId { detail.append("unit=\(u)") }
        if let a = input.active { detail.append("active=\(a)") }
        if input.password != nil { detail.append("password reset") }
        if input.unlock == true { detail.append("unlocked") }
        if input.displayName != nil { detail.append("display_name") }
        try await directory.updateUser(id, change, at: now, audit: AuditEntry(
            at: now, actor: admin.actor, action: .userUpdated, target: "user:\(id)", detail: detail.joined(separator: " "), client: client))
        guard let updated = try await directory.userRecord(id) else { throw AppError.notFound(what: "用户 \(id) ") }
        return updated
    }

    // MARK: API keys

    /// Issues an API key: listed scopes only, each one the holder's role may use; the secret is returned once.
    public func issueKey(_ input: AdminInput.NewAPIKey, by admin: UserAccount, client: String, at now: Date) async throws
        -> (issued: AccountStore.IssuedToken, scopes: [TokenScope])
    {
        try require(.manageAPIKeys, admin)
        guard let holder = try await directory.userRecord(input.userId), holder.active else {
            throw AppError.unprocessable(code: "unknown_user", message: "用户 \(input.userId) 不存在或已停用", field: "user_id")
        }
        guard !input.scopes.isEmpty, !input.scopes.contains(.all) else { throw AppError.invalid(field: "scopes", message: "须列出具体权限范围，接口密钥不能使用 *") }
        if input.scopes.contains(.admin), holder.account.role != .admin {
            throw AppError.invalid(field: "scopes", message: "只有管理员账号的密钥可含 admin 范围")
        }
        if let scope = input.scopes.first(where: { $0.requiredCapability.map { !$0.isAllowed(for: holder.account.role) } ?? false }),
           let capability = scope.requiredCapability {
            throw AppError.invalid(field: "scopes", message: "\(holder.account.role.chineseName)无权\(capability.chineseName)，其密钥不能含 \(scope.rawValue) 范围")
        }
        if let scope = input.scopes.first(where: { $0.requiredAction.map { !$0.isAllowed(for: holder.account.role) } ?? false }),
           let action = scope.requiredAction {
            throw AppError.invalid(field: "scopes", message: "\(holder.account.role.chineseName)无权“\(action.chineseName)”，其密钥不能含 \(scope.rawValue) 范围")
        }
        guard (1...Self.maximumKeyDays).contains(input.days) else { throw AppError.invalid(field: "days", message: "有效期应在1到\(Self.maximumKeyDays)天之间") }
        let label = try AdminText.name(input.label, field: "label", limit: 60)
        let scopes = Array(Set(input.scopes)).sorted { $0.rawValue < $1.rawValue }
        let issued = try await services.accounts.issueToken(
            for: holder.account.id, kind: AccountStore.apiKeyKind, scopes: scopes.map(\.rawValue), now: now,
            lifetime: Double(input.days) * 86_400, label: label,
            audit: AuditEntry(at: now, actor: admin.actor, action: .apiKeyIssued,
                              detail: "user=\(holder.account.id) label=\(label) scopes=\(scopes.map(\.rawValue).joined(separator: " ")) days=\(input.days)",
                              client: client))
        return (issued, scopes)
    }

    /// Revokes an API key.
    public func revokeKey(_ id: String, by admin: UserAccount, client: String, at now: Date) async throws {
        try require(.manageAPIKeys, admin)
        let revoked = try await services.accounts.revokeAPIKey(
            id, now: now, audit: AuditEntry(at: now, actor: admin.actor, action: .apiKeyRevoked, target: "api_key:\(id)", client: client))
        guard revoked else { throw AppError.notFound(what: "接口密钥 \(id) ") }
    }

    // MARK: Dispatch catalogue, time limits, calendar, callback rule

    /// Sets or removes catalogue entries (派单目录), history and audit in one transaction, then reloads the
    /// assistant's copy. Returns the changes that took effect.
    public func changeCatalogue(_ input: AdminInput.CatalogueChange, by admin: UserAccount, client: String, at now: Date) async throws -> [CatalogueChange] {
        try require(.manageCatalogue, admin)
        guard (1...1000).contains(input.items.count) else { throw AppError.invalid(field: "items", message: "应有1到1000条") }
        let ctx = reference.context
        for (i, item) in input.items.enumerated() {
            guard ctx.categories.contains(item.categoryCode) else {
                throw AppError.unprocessable(code: "unknown_category", message: "事项分类 \(item.categoryCode) 不存在", field: "items[\(i)].category_code")
            }
            if let unit = item.unitId, !ctx.units.contains(unit) {
                throw AppError.unprocessable(code: "unknown_unit", message: "单位 \(unit) 不存在", field: "items[\(i)].unit_id")
            }
            if let d = item.district, d.count > 40 { throw AppError.invalid(field: "items[\(i)].district", message: "不能超过40字") }
        }
        let note = try AdminText.optional(input.note, field: "note", limit: 500)
        let changes = try await services.catalogue.apply(
            input.items.map { ($0.categoryCode, $0.district.flatMap { $0.isEmpty ? nil : $0 }, $0.unitId) }, note: note, by: admin.actor, at: now,
            audit: AuditEntry(at: now, actor: admin.actor, action: .catalogueChanged, target: "dispatch_catalogue", client: client))
        try await services.assistant.reloadCatalogue()
        return changes
    }

    /// Replaces the time-limit rules as a whole; deadlines computed afterwards use them.
    public func replaceTimeLimits(_ items: [TimeLimitRule], by admin: UserAccount, client: String, at now: Date) async throws {
        try require(.manageTimeLimits, admin)
        guard !items.isEmpty, items.count <= 500 else { throw AppError.invalid(field: "items", message: "应有1到500条时限规则") }
        let categories = reference.context.categories
        for (index, rule) in items.enumerated() {
            if let code = rule.categoryCode, !categories.contains(code) { throw AppError.invalid(field: "items[\(index)].category_code", message: "事项分类不存在") }
        }
        try await directory.replaceTimeLimits(
            TimeLimitPolicy(rules: items),
            audit: AuditEntry(at: now, actor: admin.actor, action: .timeLimitsChanged, target: "time_limits",
                              detail: items.map { "\($0.stage.rawValue)=\($0.limit)" }.joined(separator: " "), client: client))
        try await reference.reload()
    }

    /// Adds a local calendar override (工作日历调整); the next deadline computed counts it.
    public func addCalendarOverride(_ input: AdminInput.CalendarOverrideInput, by admin: UserAccount, client: String, at now: Date) async throws {
        try require(.manageTimeLimits, admin)
        let o = try Self.calendarOverride(input)
        try await directory.addCalendarOverride(
            o, by: admin.actor, at: now,
            audit: AuditEntry(at: now, actor: admin.actor, action: .calendarChanged, target: "calendar",
                              detail: "added \(o.first)..\(o.last) \(o.kind.rawValue) \(o.name)", client: client))
        try await reference.reload()
    }

    /// Removes a calendar override.
    @discardableResult
    public func removeCalendarOverride(_ id: String, by admin: UserAccount, client: String, at now: Date) async throws -> StoredCalendarOverride {
        try require(.manageTimeLimits, admin)
        guard let number = Int64(id),
              let removed = try await directory.removeCalendarOverride(
                number, audit: AuditEntry(at: now, actor: admin.actor, action: .calendarChanged, target: "calendar_override:\(id)", client: client))
        else { throw AppError.notFound(what: "日历调整 \(id) ") }
        try await reference.reload()
        return removed
    }

    /// What loading an official schedule changed.
    public struct LoadedSchedule: Sendable, Equatable {
        public var year: Int
        public var holidays: Int
        public var workdays: Int
    }

    /// The largest official schedule accepted, in bytes (a real one is under 2KB).
    public static let scheduleLimit = 64 * 1024

    /// Loads the State Council's schedule of a year (载入国务院放假安排), replacing one loaded before: the year stops
    /// being provisional and its deadlines follow the schedule from the next one computed.
    @discardableResult
    public func loadCalendarSchedule(_ input: AdminInput.CalendarScheduleInput, by admin: UserAccount, client: String, at now: Date) async throws
        -> LoadedSchedule
    {
        try require(.manageTimeLimits, admin)
        let (loaded, csv) = try Self.calendarSchedule(input)
        try await directory.loadCalendarSchedule(
            year: loaded.year, csv: csv, by: admin.actor, at: now,
            audit: AuditEntry(at: now, actor: admin.actor, action: .calendarChanged, target: "calendar_schedule:\(loaded.year)",
                              detail: "loaded official schedule \(loaded.year): \(loaded.holidays) holidays, \(loaded.workdays) workdays",
                              client: client))
        try await reference.reload()
        return loaded
    }

    /// The schedule asked for, checked line by line, or a refusal naming the field.
    static func calendarSchedule(_ input: AdminInput.CalendarScheduleInput) throws(AppError) -> (LoadedSchedule, String) {
        guard let year = input.year, (2000...2100).contains(year) else {
            throw .unprocessable(code: "invalid_field", message: "年份应为2000到2100之间的整数", field: "year")
        }
        let csv = input.csv.replacingOccurrences(of: "\r\n", with: "\n")
        guard !csv.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .unprocessable(code: "invalid_field", message: "请上传或粘贴放假安排CSV", field: "csv")
        }
        guard csv.utf8.count <= scheduleLimit else {
            throw .unprocessable(code: "invalid_field", message: "放假安排CSV不能超过\(scheduleLimit / 1024)KB", field: "csv")
        }
        var schedule = HolidaySchedule()
        do {
            try schedule.merge(csv: csv)
        } catch {
            guard case .badLine(let number, let text) = error else { throw .unprocessable(code: "invalid_field", message: "无法识别", field: "csv") }
            throw .unprocessable(
                code: "invalid_field", message: "放假安排CSV第\(number)行无法识别：“\(text.prefix(60))”，应为 开始日期,结束日期,holiday或workday,名称", field: "csv")
        }
        // A holiday may begin in late December of the year before or run into January of the next, no further.
        let allowed = CivilDay(year: year - 1, month: 12, day: 1)!...CivilDay(year: year + 1, month: 1, day: 31)!
        let days = Array(schedule.holidays.keys) + Array(schedule.makeupWorkdays.keys)
        if let stray = days.filter({ !allowed.contains($0) }).min() {
            throw .unprocessable(code: "invalid_field", message: "放假安排CSV中的日期 \(stray) 不属于\(year)年的放假安排", field: "csv")
        }
        let holidays = schedule.holidays.keys.filter { $0.year == year }.count
        guard holidays > 0 else { throw .unprocessable(code: "invalid_field", message: "放假安排CSV中没有\(year)年的放假日期", field: "csv") }
        return (LoadedSchedule(year: year, holidays: holidays, workdays: schedule.makeupWorkdays.keys.filter { $0.year == year }.count), csv)
    }

    /// The override asked for, or a refusal naming the field.
    static func calendarOverride(_ input: AdminInput.CalendarOverrideInput) throws(AppError) -> CalendarOverride {
        do {
            return try CalendarOverride(start: input.start, end: input.end, kind: input.kind, name: input.name ?? "")
        } catch {
            let (field, message): (String, String) =
                switch error {
                case .badStart: ("start", "开始日期应为有效日期，格式 YYYY-MM-DD")
                case .badEnd: ("end", "结束日期应为有效日期，格式 YYYY-MM-DD")
                case .endBeforeStart: ("end", "结束日期不能早于开始日期")
                case .tooLong: ("end", "一次最多调整\(CalendarOverride.maximumDays)天")
                case .badKind: ("kind", "类型应为“放假”（holiday）或“调休上班”（workday）")
                case .badName: ("name", "名称不能超过\(CalendarOverride.maximumNameLength)字，且不能换行")
                }
            throw .unprocessable(code: "invalid_field", message: message, field: field)
        }
    }

    /// Sets the callback rule (回访规则): which shortfalls redo the order by themselves (自动重办; the others wait for the
    /// centre), when unanswered calls close it as unreachable, and which verdicts put it under supervision. A field the
    /// input leaves out keeps its current value.
    public func setCallbackRule(_ input: AdminInput.CallbackRuleInput, by admin: UserAccount, client: String, at now: Date) async throws -> CallbackRule {
        try require(.manageTimeLimits, admin)
        let current = reference.context.callbackRule
        let rule = CallbackRule(
            autoRedo: Set(input.autoRedo), unreachableAttempts: input.unreachableAttempts ?? current.unreachableAttempts,
            unreachableDays: input.unreachableDays ?? current.unreachableDays, superviseBelowStars: input.superviseBelowStars ?? current.superviseBelowStars,
            superviseUnsatisfiedComplaints: input.superviseUnsatisfiedComplaints ?? current.superviseUnsatisfiedComplaints)
        let attempts = CallbackRule.attemptsRange, days = CallbackRule.daysRange, stars = CallbackRule.starsRange
        guard attempts.contains(rule.unreachableAttempts) else {
            throw AppError.invalid(field: "unreachable_attempts", message: "未接通次数应为\(attempts.lowerBound)到\(attempts.upperBound)次")
        }
        guard days.contains(rule.unreachableDays) else {
            throw AppError.invalid(field: "unreachable_days", message: "未接通须分布的天数应为\(days.lowerBound)到\(days.upperBound)天")
        }
        guard rule.unreachableDays <= rule.unreachableAttempts else {
            throw AppError.invalid(field: "unreachable_days", message: "未接通须分布的天数不能多于未接通次数")
        }
        guard stars.contains(rule.superviseBelowStars) else {
            throw AppError.invalid(field: "supervise_below_stars", message: "低分督办的星级应为\(stars.lowerBound)到\(stars.upperBound)星（0为不按评分督办）")
        }
        try await directory.setCallbackRule(rule, audit: AuditEntry(
            at: now, actor: admin.actor, action: .callbackRuleChanged, target: "callback_rule",
            detail: "auto_redo=" + rule.autoRedo.sorted().map(\.rawValue).joined(separator: ",")
                + " unreachable=\(rule.unreachableAttempts)/\(rule.unreachableDays)d supervise_below_stars=\(rule.superviseBelowStars)"
                + " supervise_unsatisfied_complaints=\(rule.superviseUnsatisfiedComplaints)", client: client))
        try await reference.reload()
        return rule
    }

    /// Replaces the return-reason list (退单原因). Codes are stable: each code the list has had stays (an admin renames
    /// or retires it, never drops it, so that old returns keep their reason), and 其他 stays offered.
    public func setReturnReasons(_ input: AdminInput.ReturnReasonsInput, by admin: UserAccount, client: String, at now: Date) async throws -> ReturnReasonList {
        try require(.manageTimeLimits, admin)
        let current = reference.context.returnReasons
        guard (1...30).contains(input.items.count) else { throw AppError.invalid(field: "items", message: "退单原因应有1到30项") }
        var items: [ReturnReason] = []
        for (index, item) in input.items.enumerated() {
            let position = "第\(index + 1)项"
            let code = item.code.trimmingCharacters(in: .whitespaces)
            guard code.count >= 2, ReturnReasonList.looksLikeCode(code) else {
                throw AppError.invalid(field: "code", message: "\(position)的代码应为2到40位小写字母、数字或下划线")
            }
            guard !items.contains(where: { $0.code == code }) else { throw AppError.invalid(field: "code", message: "\(position)的代码与前面重复") }
            let name = try AdminText.name(item.name, field: "name", limit: 20)
            guard !name.contains(where: \.isNewline) else { throw AppError.invalid(field: "name", message: "\(position)的名称不能换行") }
            items.append(ReturnReason(code: code, name: name, active: item.active ?? true))
        }
        for old in current.items where !items.contains(where: { $0.code == old.code }) {
            throw AppError.invalid(field: "items", message: "退单原因“\(old.name)”不能删除，可改为停用")
        }
        guard items.contains(where: { $0.code == ReturnReasonList.otherCode && $0.active }) else {
            throw AppError.invalid(field: "items", message: "“其他”须保留且可选")
        }
        let list = ReturnReasonList(items: items)
        try await directory.setReturnReasons(list, audit: AuditEntry(
            at: now, actor: admin.actor, action: .returnReasonsChanged, target: "return_reasons",
            detail: "active=" + list.offered.map(\.code).joined(separator: ","), client: client))
        try await reference.reload()
        return list
    }
}

extension Administration {
    /// The SLA sweeper's rule (时限预警与亮牌规则).
    public func slaRule() async throws -> SLARule { try await directory.slaRule() }

    /// Sets the SLA sweeper's rule; the next pass on any instance uses it.
    public func setSLARule(_ input: SLARule, by admin: UserAccount, client: String, at now: Date) async throws -> SLARule {
        try require(.manageTimeLimits, admin)
        let rule = try input.validated()
        try await directory.setSLARule(rule, audit: AuditEntry(
            at: now, actor: admin.actor, action: .slaRuleChanged, target: "sla_rule",
            detail: "warn_percent=\(rule.warnPercent) urge=\(rule.urgeWhenOverdue) yellow=\(rule.yellowCardWhenOverdue) red_after=\(rule.yellowCardsForRed)",
            client: client))
        return rule
    }
}

extension Administration {
    /// Sets the escalation rule (提级规则): after how many redos, and how many different units returning an order, the
    /// system escalates it by itself; every instance reloads it with the reference data.
    public func setEscalationRule(_ input: EscalationRule, by admin: UserAccount, client: String, at now: Date) async throws -> EscalationRule {
        try require(.manageTimeLimits, admin)
        let rule = try input.validated()
        try await directory.setEscalationRule(rule, audit: AuditEntry(
            at: now, actor: admin.actor, action: .escalationRuleChanged, target: "escalation_rule",
            detail: "redo_rounds=\(rule.redoRounds) returning_units=\(rule.returningUnits)", client: client))
        try await reference.reload()
        return rule
    }
}

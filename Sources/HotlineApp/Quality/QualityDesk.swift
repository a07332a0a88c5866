import Foundation
import HotlineDomain
import HotlineStorage

/// The quality-inspection use cases (质检): admins keep the scoring forms (each edit a new version); inspectors draw
/// batches of calls and orders (random or targeted) and score them against a form; the agent acknowledges or appeals
/// within seven days; a supervisor (or admin) upholds an appeal with a re-score kept beside the original, or rejects
/// it; managers, supervisors and inspectors read the trends. Every step is an audit line.
public struct QualityDesk: Sendable {
    let services: HotlineServices
    let orders: WorkOrderDesk
    var store: QualityStore { QualityStore(database: services.database) }

    init(services: HotlineServices, orders: WorkOrderDesk) {
        self.services = services
        self.orders = orders
    }

    // MARK: Forms

    /// A form as admins send it.
    public struct FormInput: Decodable, Sendable, Equatable {
        public struct Item: Decodable, Sendable, Equatable {
            public var name: String
            public var weight: Int
            public var guide: String?
            public var fatal: Bool?

            public init(name: String, weight: Int, guide: String? = nil, fatal: Bool? = nil) {
                self.name = name
                self.weight = weight
                self.guide = guide
                self.fatal = fatal
            }
        }

        public var name: String
        public var items: [Item]

        public init(name: String, items: [Item]) {
            self.name = name
            self.items = items
        }
    }

    static func content(_ input: FormInput) throws -> QualityFormContent {
        let raw = QualityFormContent(
            name: input.name, items: input.items.map { QualityItem(name: $0.name, weight: $0.weight, guide: $0.guide ?? "", fatal: $0.fatal ?? false) })
        switch raw.checked() {
        case .success(let c): return c
        case .failure(let e): throw AppError.invalid(field: e.field, message: e.message)
        }
    }

    static func mayReadForms(_ role: Role) -> Bool {
        [Capability.manageQualityForms, .inspectQuality, .decideQualityAppeals].contains { $0.isAllowed(for: role) }
    }

    public func createForm(_ input: FormInput, by user: UserAccount, client: String? = nil, at now: Date) async throws -> QualityForm {
        guard Capability.manageQualityForms.isAllowed(for: user.role) else { throw AppError.lacks(.manageQualityForms, role: user.role) }
        return try await store.createForm(try Self.content(input), by: user.actor, at: now, client: client)
    }

    /// New content for a form: its next version; inspections keep the version they were scored with.
    public func editForm(_ id: Int64, _ input: FormInput, by user: UserAccount, client: String? = nil, at now: Date) async throws -> QualityForm {
        guard Capability.manageQualityForms.isAllowed(for: user.role) else { throw AppError.lacks(.manageQualityForms, role: user.role) }
        let content = try Self.content(input)
        guard let form = try await store.updateForm(id, content, by: user.actor, at: now, client: client) else {
            throw AppError.notFound(what: "评分表 \(id) ")
        }
        return form
    }

    public func forms(for user: UserAccount) async throws -> [QualityForm] {
        guard Self.mayReadForms(user.role) else { throw AppError.lacks(.inspectQuality, role: user.role) }
        return try await store.forms()
    }

    public struct FormRecord: Sendable {
        public var form: QualityForm
        public var versions: [QualityFormVersion]
        public var names: [String: String]
    }

    public func form(_ id: Int64, for user: UserAccount) async throws -> FormRecord {
        guard Self.mayReadForms(user.role) else { throw AppError.lacks(.inspectQuality, role: user.role) }
        guard let form = try await store.form(id) else { throw AppError.notFound(what: "评分表 \(id) ") }
        let versions = try await store.formVersions(id)
        return FormRecord(form: form, versions: versions, names: try await services.directory.displayNames(of: Set(versions.map(\.actorID))))
    }

    // MARK: Sampling

    /// A draw as an inspector asks for it.
    public struct DrawInput: Decodable, Sendable, Equatable {
        public var rule: String
        /// How many calls / orders (random: the sample size; targeted rules: at most this many, default all up to 200).
        public var calls: Int?
        public var orders: Int?
        /// The period's first and last day (`YYYY-MM-DD`, China time); default the last seven days up to today.
        public var from: String?
        public var to: String?
        /// The random seed; a new one when not given (shown on the batch so that the draw can be repeated).
        public var seed: Int64?
        /// Long calls: talk time over this many seconds (default 600).
        public var thresholdSeconds: Int?
        /// One agent's work: the agent's user name.
        public var agent: String?

        public init(
            rule: String, calls: Int? = nil, orders: Int? = nil, from: String? = nil, to: String? = nil, seed: Int64? = nil,
            thresholdSeconds: Int? = nil, agent: String? = nil
        ) {
            self.rule = rule
            self.calls = calls
            self.orders = orders
            self.from = from
            self.to = to
            self.seed = seed
            self.thresholdSeconds = thresholdSeconds
            self.agent = agent
        }
    }

    /// The largest seed a batch takes (shown and typed as a plain number).
    public static let seedLimit: Int64 = 999_999_999

    /// The period of a draw: from the start of `from` to the end of `to` (China days).
    static func period(_ input: DrawInput, now: Date) throws -> (Date, Date) {
        func day(_ text: String?, field: String) throws -> CivilDay? {
            guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let d = CivilDay(iso: text) else { throw AppError.invalid(field: field, message: "日期格式应为 YYYY-MM-DD") }
            return d
        }
        let today = CivilDay(containing: now)
        let last = try day(input.to, field: "to") ?? today
        let first = try day(input.from, field: "from") ?? last.adding(days: -(QualitySampling.defaultDays - 1))
        guard first <= last else { throw AppError.invalid(field: "to", message: "结束日期不能早于开始日期") }
        guard last.ordinal - first.ordinal < 92 else { throw AppError.invalid(field: "from", message: "抽检期间不能超过92天") }
        return (first.start, last.adding(days: 1).start)
    }

    /// Draws a batch: finds the rule's candidates in the period that are not yet inspected, picks reproducibly from
    /// the seed, and stores the batch and its inspections in one transaction (a target another inspector drew
    /// meanwhile is skipped). Refused: another role (403), a wrong field (422); nothing is stored then.
    public func draw(_ input: DrawInput, by user: UserAccount, client: String? = nil, at now: Date) async throws -> QualityBatch {
        guard Capability.inspectQuality.isAllowed(for: user.role) else { throw AppError.lacks(.inspectQuality, role: user.role) }
        guard let rule = QualitySamplingRule(rawValue: input.rule.trimmingCharacters(in: .whitespaces)) else {
            throw AppError.invalid(field: "rule", message: "应为" + QualitySamplingRule.allCases.map(\.chineseName).joined(separator: "、") + "之一")
        }
        let limit = QualitySampling.batchLimit
        func count(_ value: Int?, _ field: String) throws -> Int {
            guard let value else { return rule == .random ? 0 : limit }
            guard (0...limit).contains(value) else { throw AppError.invalid(field: field, message: "应在0到\(limit)之间") }
            return value
        }
        let calls = rule.takesCalls ? try count(input.calls, "calls") : 0
        let orderCount = rule.takesOrders ? try count(input.orders, "orders") : 0
        if calls + orderCount == 0 { throw AppError.invalid(field: rule.takesCalls ? "calls" : "orders", message: "抽检数量不能都为0") }
        let (from, to) = try Self.period(input, now: now)
        let seed = input.seed ?? Int64.random(in: 1...Self.seedLimit)
        guard (0...Self.seedLimit).contains(seed) else { throw AppError.invalid(field: "seed", message: "应在0到\(Self.seedLimit)之间") }
        var threshold: Int?
        if rule == .longCalls {
            let t = input.thresholdSeconds ?? QualitySampling.defaultLongCallSeconds
            guard (1...86_400).contains(t) else { throw AppError.invalid(field: "threshold_seconds", message: "应在1到86400秒之间") }
            threshold = t
        }
        var agent: String?
        if rule == .agent {
            let name = input.agent?.trimmingCharacters(in: .whitespaces) ?? ""
            guard !name.isEmpty else { throw AppError.invalid(field: "agent", message: "请填写坐席的用户名") }
            guard let account = try await services.directory.user(name), account.role == .agent else {
                throw AppError.invalid(field: "agent", message: "没有用户名为「\(String(name.prefix(40)))」的话务员")
            }
            agent = account.id
        }

        var callPool: [QualityCandidate] = []
        var orderPool: [QualityCandidate] = []
        switch rule {
        case .random:
            if calls > 0 { callPool = try await store.callCandidates(from: from, to: to) }
            if orderCount > 0 { orderPool = try await store.orderCandidates(from: from, to: to) }
        case .unsatisfied:
            orderPool = try await store.orderCandidates(from: from, to: to, unsatisfiedOnly: true)
        case .longCalls:
            callPool = try await store.callCandidates(from: from, to: to, minTalkSeconds: threshold)
        case .agent:
            if calls > 0 { callPool = try await store.callCandidates(from: from, to: to, agent: agent) }
            if orderCount > 0 { orderPool = try await store.orderCandidates(from: from, to: to, agent: agent) }
        case .newAgents:
            let all = calls > 0 ? try await store.callCandidates(from: from, to: to) : []
            let allOrders = orderCount > 0 ? try await store.orderCandidates(from: from, to: to) : []
            let agents = Set(all.map(\.agentID) + allOrders.map(\.agentID))
            let since = now.addingTimeInterval(-TimeInterval(QualitySampling.newAgentDays * 86_400))
            let old = try await store.agentsAnswering(before: since, among: agents)
            // An agent who never answered a call is new too (their first call is yet to come).
            callPool = all.filter { !old.contains($0.agentID) }
            orderPool = allOrders.filter { !old.contains($0.agentID) }
        }
        let doneCalls = callPool.isEmpty ? [] : try await store.inspectedKeys(.call, from: from, to: to)
        let doneOrders = orderPool.isEmpty ? [] : try await store.inspectedKeys(.order, from: from, to: to)
        let picks =
            QualitySampling.pick(callPool.filter { !doneCalls.contains($0.key) }, count: calls, seed: UInt64(seed))
            + QualitySampling.pick(orderPool.filter { !doneOrders.contains($0.key) }, count: orderCount, seed: UInt64(seed) &+ 1)
        let parameters = QualityBatch.Parameters(calls: calls, orders: orderCount, thresholdSeconds: threshold, agentID: agent)
        return try await store.draw(
            rule: rule, parameters: parameters, seed: seed, from: from, to: to, picks: picks, by: user.actor, at: now, client: client)
    }

    public func batches(for user: UserAccount, page: Int = 1, pageSize: Int = 20) async throws -> (batches: [QualityBatch], hasMore: Bool) {
        guard Capability.inspectQuality.isAllowed(for: user.role) else { throw AppError.lacks(.inspectQuality, role: user.role) }
        guard (1...1000).contains(page) else { throw AppError.invalid(field: "page", message: "页码应在1到1000之间") }
        let rows = try await store.batches(limit: pageSize + 1, offset: (page - 1) * pageSize)
        return (Array(rows.prefix(pageSize)), rows.count > pageSize)
    }

    public struct BatchRecord: Sendable {
        public var batch: QualityBatch
        public var inspections: [QualityInspection]
        public var names: [String: String]
    }

    public func batch(_ id: Int64, for user: UserAccount) async throws -> BatchRecord {
        guard Capability.inspectQuality.isAllowed(for: user.role) else { throw AppError.lacks(.inspectQuality, role: user.role) }
        guard let batch = try await store.batch(id) else { throw AppError.notFound(what: "抽检批次 \(id) ") }
        let inspections = try await store.inspections(batch: id)
        let people = Set(inspections.map(\.target.agentID) + [batch.createdBy] + (batch.parameters.agentID.map { [$0] } ?? []))
        return BatchRecord(batch: batch, inspections: inspections, names: try await services.directory.displayNames(of: people))
    }

    // MARK: One inspection

    /// What a reader may do with an inspection now.
    public struct Permissions: Sendable, Equatable {
        public var score = false
        public var acknowledge = false
        public var appeal = false
        public var decide = false
    }

    /// An inspection as its reader sees it: the target (a call with the caller masked, or an order), the form version
    /// it was scored on (or the form to score with), the people's names, and what the reader may do.
    public struct Record: Sendable {
        public var inspection: QualityInspection
        public var call: QualityCallRecord?
        public var order: WorkOrder?
        /// The reader's data scope covers the order (a link to it is offered).
        public var orderVisible: Bool
        /// The form scored with, or (pending) the current form to score with.
        public var form: QualityForm?
        public var formContent: QualityFormContent?
        public var names: [String: String]
        public var may: Permissions
    }

    func mayRead(_ i: QualityInspection, _ user: UserAccount) -> Bool {
        if Capability.inspectQuality.isAllowed(for: user.role) || Capability.decideQualityAppeals.isAllowed(for: user.role)
            || Capability.viewQualityTrends.isAllowed(for: user.role)
        {
            return true
        }
        return Capability.reviewOwnQuality.isAllowed(for: user.role) && i.target.agentID == user.id && i.status != .pending
    }

    func permissions(_ i: QualityInspection, _ user: UserAccount, now: Date) -> Permissions {
        var p = Permissions()
        p.score = Capability.inspectQuality.isAllowed(for: user.role) && i.status == .pending
        let own = Capability.reviewOwnQuality.isAllowed(for: user.role) && i.target.agentID == user.id
        let inTime = i.appealUntil.map { now <= $0 } ?? false
        p.acknowledge = own && i.status == .scored
        p.appeal = own && i.status == .scored && inTime
        p.decide = Capability.decideQualityAppeals.isAllowed(for: user.role) && i.status == .appealed
        return p
    }

    public func inspection(_ id: Int64, for user: UserAccount, at now: Date) async throws -> Record {
        guard let i = try await store.inspection(id), mayRead(i, user) else {
            if [Capability.inspectQuality, .decideQualityAppeals, .viewQualityTrends, .reviewOwnQuality].contains(where: { $0.isAllowed(for: user.role) }) {
                throw AppError.notFound(what: "质检记录 \(id) ")
            }
            throw AppError.lacks(.reviewOwnQuality, role: user.role)
        }
        var call: QualityCallRecord?
        var order: WorkOrder?
        var visible = false
        switch i.target.kind {
        case .call: call = try await store.call(i.target.key)
        case .order:
            if let number = OrderNumber(i.target.key) {
                order = try await orders.record(number, for: .system, narrated: false)?.order
                if Capability.viewOrders.isAllowed(for: user.role) { visible = try await orders.current(number, for: user.actor) != nil }
            }
        }
        var form: QualityForm?
        var content: QualityFormContent?
        if let formID = i.formID, let version = i.formVersion {
            form = try await store.form(formID)
            content = try await store.formVersion(formID, version)?.content
        } else if Capability.inspectQuality.isAllowed(for: user.role) {
            form = try await store.forms().first
            content = form?.content
        }
        let people = Set([i.target.agentID] + [i.inspectorID, i.decidedBy].compactMap { $0 })
        return Record(
            inspection: i, call: call, order: order, orderVisible: visible, form: form, formContent: content,
            names: try await services.directory.displayNames(of: people), may: permissions(i, user, now: now))
    }

    /// Scores as inspectors (and deciding supervisors) send them.
    public struct ScoreInput: Decodable, Sendable, Equatable {
        public var formId: Int64?
        public var scores: [Int]
        public var comments: [String]?
        public var comment: String?

        public init(formId: Int64? = nil, scores: [Int], comments: [String]? = nil, comment: String? = nil) {
            self.formId = formId
            self.scores = scores
            self.comments = comments
            self.comment = comment
        }
    }

    static func checked(_ input: ScoreInput, on form: QualityFormContent) throws -> QualityScore {
        switch QualityScore(points: input.scores, comments: input.comments ?? [], overall: input.comment ?? "").checked(against: form) {
        case .success(let s): return s
        case .failure(let e): throw AppError.invalid(field: e.field, message: e.message)
        }
    }

    /// Scores a pending inspection against a form's current version (the first form when none is named). Once saved
    /// the score never changes except through an appeal.
    public func score(_ id: Int64, _ input: ScoreInput, by user: UserAccount, client: String? = nil, at now: Date) async throws -> QualityInspection {
        guard Capability.inspectQuality.isAllowed(for: user.role) else { throw AppError.lacks(.inspectQuality, role: user.role) }
        let form: QualityForm
        if let formID = input.formId {
            guard let f = try await store.form(formID) else { throw AppError.invalid(field: "form_id", message: "评分表不存在") }
            form = f
        } else {
            guard let f = try await store.forms().first else { throw AppError.invalid(field: "form_id", message: "还没有评分表，请管理员先新建") }
            form = f
        }
        let score = try Self.checked(input, on: form.content)
        let total = score.total(on: form.content)
        guard
            let stored = try await store.update(
                id, by: user.actor, at: now, client: client, action: .qualityScored,
                { i in
                    guard i.status == .pending else {
                        throw AppError.conflict(code: "already_scored", message: "该质检记录已评分，不能修改", field: nil)
                    }
                    var next = i
                    next.status = .scored
                    next.formID = form.id
                    next.formVersion = form.version
                    next.score = score
                    next.total = total
                    next.inspectorID = user.id
                    next.scoredAt = now
                    let fatal = score.fatalMiss(on: form.content) ? "（致命项得0分）" : ""
                    return (next, "\(i.target.kind.chineseName) \(i.target.key)：\(total)分，\(QualityGrade(total: total).chineseName)\(fatal)")
                })
        else { throw AppError.notFound(what: "质检记录 \(id) ") }
        return stored
    }

    /// The agent accepts a score (确认).
    public func acknowledge(_ id: Int64, by user: UserAccount, client: String? = nil, at now: Date) async throws -> QualityInspection {
        guard Capability.reviewOwnQuality.isAllowed(for: user.role) else { throw AppError.lacks(.reviewOwnQuality, role: user.role) }
        guard
            let stored = try await store.update(
                id, by: user.actor, at: now, client: client, action: .qualityAcknowledged,
                { i in
                    guard i.target.agentID == user.id, i.status != .pending else { throw AppError.notFound(what: "质检记录 \(id) ") }
                    guard i.status == .scored else {
                        throw AppError.conflict(code: "not_awaiting_agent", message: "该质检结果已\(i.status.chineseName)，不能再确认", field: nil)
                    }
                    var next = i
                    next.status = .acknowledged
                    next.acknowledgedAt = now
                    return (next, "确认\(i.total ?? 0)分")
                })
        else { throw AppError.notFound(what: "质检记录 \(id) ") }
        return stored
    }

    public struct AppealInput: Decodable, Sendable, Equatable {
        public var reason: String
        public init(reason: String) { self.reason = reason }
    }

    /// The agent appeals a score with a reason, within seven days of the scoring, once (申诉).
    public func appeal(_ id: Int64, _ input: AppealInput, by user: UserAccount, client: String? = nil, at now: Date) async throws
        -> QualityInspection
    {
        guard Capability.reviewOwnQuality.isAllowed(for: user.role) else { throw AppError.lacks(.reviewOwnQuality, role: user.role) }
        let reason = input.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= QualityInspection.reasonLimit else {
            throw AppError.invalid(field: "reason", message: "申诉须说明理由，不能为空且不能超过\(QualityInspection.reasonLimit)字")
        }
        guard
            let stored = try await store.update(
                id, by: user.actor, at: now, client: client, action: .qualityAppealed,
                { i in
                    guard i.target.agentID == user.id, i.status != .pending else { throw AppError.notFound(what: "质检记录 \(id) ") }
                    guard i.status == .scored else {
                        throw AppError.conflict(
                            code: "not_awaiting_agent", message: "该质检结果已\(i.status.chineseName)，不能再申诉", field: nil)
                    }
                    guard let until = i.appealUntil, now <= until else {
                        throw AppError.conflict(
                            code: "appeal_too_late", message: "已超过申诉期限（评分后\(QualityInspection.appealDays)天内）", field: nil)
                    }
                    var next = i
                    next.status = .appealed
                    next.appealReason = reason
                    next.appealedAt = now
                    return (next, "申诉：\(reason)")
                })
        else { throw AppError.notFound(what: "质检记录 \(id) ") }
        return stored
    }

    /// A supervisor's decision on an appeal: `uphold` with a re-score on the same form version, or `reject` with a reason.
    public struct DecideInput: Decodable, Sendable, Equatable {
        public var decision: String
        public var scores: [Int]?
        public var comments: [String]?
        public var comment: String?
        public var reason: String?

        public init(decision: String, scores: [Int]? = nil, comments: [String]? = nil, comment: String? = nil, reason: String? = nil) {
            self.decision = decision
            self.scores = scores
            self.comments = comments
            self.comment = comment
            self.reason = reason
        }
    }

    public func decide(_ id: Int64, _ input: DecideInput, by user: UserAccount, client: String? = nil, at now: Date) async throws
        -> QualityInspection
    {
        guard Capability.decideQualityAppeals.isAllowed(for: user.role) else { throw AppError.lacks(.decideQualityAppeals, role: user.role) }
        guard let current = try await store.inspection(id) else { throw AppError.notFound(what: "质检记录 \(id) ") }
        let reason = (input.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard reason.count <= QualityInspection.reasonLimit else {
            throw AppError.invalid(field: "reason", message: "不能超过\(QualityInspection.reasonLimit)字")
        }
        var rescore: QualityScore?
        var rescoreTotal: Int?
        switch input.decision {
        case "uphold":
            guard let formID = current.formID, let version = current.formVersion,
                let form = try await store.formVersion(formID, version)?.content
            else { throw AppError.conflict(code: "not_appealed", message: "该质检记录没有申诉待裁定", field: nil) }
            guard let scores = input.scores else { throw AppError.invalid(field: "scores", message: "申诉成立须重新评分") }
            let s = try Self.checked(ScoreInput(scores: scores, comments: input.comments, comment: input.comment), on: form)
            rescore = s
            rescoreTotal = s.total(on: form)
        case "reject":
            guard !reason.isEmpty else { throw AppError.invalid(field: "reason", message: "驳回申诉须说明理由，不能为空") }
        default: throw AppError.invalid(field: "decision", message: "应为申诉成立（uphold）或驳回（reject）")
        }
        let upheld = input.decision == "uphold"
        let (newScore, newTotal) = (rescore, rescoreTotal)
        guard
            let stored = try await store.update(
                id, by: user.actor, at: now, client: client, action: .qualityAppealDecided,
                { i in
                    guard i.status == .appealed else {
                        throw AppError.conflict(code: "not_appealed", message: "该质检记录没有申诉待裁定（\(i.status.chineseName)）", field: nil)
                    }
                    var next = i
                    next.status = upheld ? .upheld : .rejected
                    next.decidedBy = user.id
                    next.decidedAt = now
                    next.decisionNote = reason.isEmpty ? nil : reason
                    next.rescore = newScore
                    next.rescoreTotal = newTotal
                    let detail = upheld ? "申诉成立，重新评分\(newTotal ?? 0)分（原\(i.total ?? 0)分）" : "驳回申诉：\(reason)"
                    return (next, detail)
                })
        else { throw AppError.notFound(what: "质检记录 \(id) ") }
        return stored
    }

    // MARK: Lists

    public struct Listing: Sendable {
        public var inspections: [QualityInspection]
        public var hasMore: Bool
        public var names: [String: String]
    }

    /// The agent's own scored inspections, newest first (我的质检).
    public func mine(for user: UserAccount, page: Int = 1, pageSize: Int = 20) async throws -> Listing {
        guard Capability.reviewOwnQuality.isAllowed(for: user.role) else { throw AppError.lacks(.reviewOwnQuality, role: user.role) }
        guard (1...1000).contains(page) else { throw AppError.invalid(field: "page", message: "页码应在1到1000之间") }
        let rows = try await store.inspections(agent: user.id, limit: pageSize + 1, offset: (page - 1) * pageSize)
        let list = Array(rows.prefix(pageSize))
        return Listing(
            inspections: list, hasMore: rows.count > pageSize,
            names: try await services.directory.displayNames(of: Set([user.id] + list.compactMap(\.inspectorID) + list.compactMap(\.decidedBy))))
    }

    /// The appeals waiting for a decision, oldest first.
    public func appeals(for user: UserAccount, page: Int = 1, pageSize: Int = 50) async throws -> Listing {
        guard Capability.decideQualityAppeals.isAllowed(for: user.role) else { throw AppError.lacks(.decideQualityAppeals, role: user.role) }
        guard (1...1000).contains(page) else { throw AppError.invalid(field: "page", message: "页码应在1到1000之间") }
        let rows = try await store.inspections(status: .appealed, limit: pageSize + 1, offset: (page - 1) * pageSize)
        let list = Array(rows.prefix(pageSize))
        return Listing(
            inspections: list, hasMore: rows.count > pageSize,
            names: try await services.directory.displayNames(of: Set(list.map(\.target.agentID) + list.compactMap(\.inspectorID))))
    }

    // MARK: Trends

    public static let trendWeeks = 12

    public struct TrendRecord: Sendable {
        public var trends: QualityTrends
        public var names: [String: String]
    }

    /// Per-week figures over the last twelve weeks, per agent and per team (`teams` maps an agent's user id to a team
    /// name; by default the schedules' teams, 班组).
    public func trends(for user: UserAccount, teams given: [String: String]? = nil, at now: Date) async throws -> TrendRecord {
        guard Capability.viewQualityTrends.isAllowed(for: user.role) else { throw AppError.lacks(.viewQualityTrends, role: user.role) }
        var teams = given ?? [:]
        if given == nil {
            for team in try await ScheduleStore(database: services.database).teams() { for agent in team.members { teams[agent] = team.name } }
        }
        let first = QualityTrends.monday(of: CivilDay(containing: now)).adding(days: -7 * (Self.trendWeeks - 1))
        let facts = try await store.facts(since: first.start)
        let trends = QualityTrends(facts, weeks: Self.trendWeeks, now: now, teams: teams)
        return TrendRecord(trends: trends, names: try await services.directory.displayNames(of: Set(trends.agents.map(\.key))))
    }

    /// An agent's average quality score over [from, to) (the agent-performance figure; 服务之星): nil without scored
    /// inspections. Upheld appeals count with their re-score.
    public func averageScore(agent: String, from: Date, to: Date) async throws -> Double? {
        QualityTrends.averageScore(try await store.facts(since: from, agent: agent), agent: agent, from: from, to: to)
    }
}

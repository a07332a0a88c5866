import Foundation
import HotlineDomain
import HotlineStorage

/// The schedule use cases (排班): supervisors and admins keep the teams (班组), the shift templates (班次) and the roster
/// (排班表), and call standby agents in (备班调用); supervisors, managers and admins read the roster and its coverage;
/// an agent reads their own shifts (我的排班). Every change is checked by ``ScheduleRules`` and audited.
public struct ScheduleDesk: Sendable {
    let services: HotlineServices
    public var store: ScheduleStore { ScheduleStore(database: services.database) }

    public init(services: HotlineServices) { self.services = services }

    // MARK: Inputs

    /// A team as the API's JSON and the console's form give it.
    public struct TeamInput: Decodable, Sendable {
        public var name: String
        public var leaderId: String?
        public var members: [String]?

        public init(name: String, leaderId: String?, members: [String]?) {
            self.name = name
            self.leaderId = leaderId
            self.members = members
        }
    }

    /// A break as given: "10:00" and 15 minutes.
    public struct BreakInput: Decodable, Sendable {
        public var start: String
        public var minutes: Int

        public init(start: String, minutes: Int) {
            self.start = start
            self.minutes = minutes
        }
    }

    /// A shift template as given.
    public struct ShiftInput: Decodable, Sendable {
        public var name: String
        public var start: String
        public var end: String
        public var breaks: [BreakInput]?

        public init(name: String, start: String, end: String, breaks: [BreakInput]?) {
            self.name = name
            self.start = start
            self.end = end
            self.breaks = breaks
        }
    }

    /// One cell of the roster: `kind` is `shift` (one or more templates), `standby` (one template's hours), `rest`
    /// (休息) or `none` (cleared); `breaks`, when given, replace the templates' breaks for this person and day.
    public struct AssignmentInput: Decodable, Sendable {
        public var day: String
        public var agentId: String
        public var kind: String
        public var shiftIds: [Int64]?
        public var breaks: [BreakInput]?

        public init(day: String, agentId: String, kind: String, shiftIds: [Int64]? = nil, breaks: [BreakInput]? = nil) {
            self.day = day
            self.agentId = agentId
            self.kind = kind
            self.shiftIds = shiftIds
            self.breaks = breaks
        }
    }

    /// Several cells saved together (the week grid): all or nothing.
    public struct AssignmentsInput: Decodable, Sendable {
        public var assignments: [AssignmentInput]
        public init(assignments: [AssignmentInput]) { self.assignments = assignments }
    }

    /// Copy the week of `from` onto the week of `to` (each any day of its week).
    public struct CopyWeekInput: Decodable, Sendable {
        public var from: String
        public var to: String
        public init(from: String, to: String) {
            self.from = from
            self.to = to
        }
    }

    /// Call `agentId`'s standby on `day` in.
    public struct CallInInput: Decodable, Sendable {
        public var day: String
        public var agentId: String
        public init(day: String, agentId: String) {
            self.day = day
            self.agentId = agentId
        }
    }

    // MARK: Checks

    func require(_ capability: Capability, _ user: UserAccount) throws {
        guard capability.isAllowed(for: user.role) else { throw AppError.lacks(capability, role: user.role) }
    }

    static func invalid(_ e: ScheduleError) -> AppError { .invalid(field: e.field, message: e.message) }

    static func day(_ text: String, field: String = "day") throws -> CivilDay {
        guard let day = CivilDay(iso: text.trimmingCharacters(in: .whitespaces)) else {
            throw AppError.invalid(field: field, message: "日期应为形如2026-01-31的日期")
        }
        return day
    }

    /// The Monday of `day`'s week.
    public static func monday(of day: CivilDay) -> CivilDay { day.adding(days: -((day.weekday + 6) % 7)) }

    static func breaks(_ inputs: [BreakInput]) throws -> [ShiftBreak] {
        try inputs.map { b in
            guard let start = ScheduleRules.minute(b.start), start < 1440 else {
                throw AppError.invalid(field: "breaks", message: "休息开始时间应为形如10:30的时刻")
            }
            return ShiftBreak(startMinute: start, minutes: b.minutes)
        }
    }

    /// The agents (role 话务员) by id.
    func agents() async throws -> [String: UserAccount] {
        Dictionary(uniqueKeysWithValues: try await services.directory.users().filter { $0.role == .agent }.map { ($0.id, $0) })
    }

    // MARK: Teams and shifts

    public func teams(for user: UserAccount) async throws -> [Team] {
        try require(.viewSchedules, user)
        return try await store.teams()
    }

    public func shifts(for user: UserAccount) async throws -> [ShiftTemplate] {
        try require(.viewSchedules, user)
        return try await store.shifts()
    }

    /// Creates a team (`id` nil) or replaces one: a name of its own, agents only, each in no other team, the leader a member.
    public func saveTeam(_ input: TeamInput, id: Int64?, by user: UserAccount, at now: Date, client: String? = nil) async throws -> Team {
        try require(.manageSchedules, user)
        let agents = try await agents()
        var members: [String] = []
        for m in input.members ?? [] {
            let id = m.trimmingCharacters(in: .whitespaces)
            if !id.isEmpty, !members.contains(id) { members.append(id) }
        }
        let leader = input.leaderId.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        let team = Team(id: id ?? 0, name: input.name.trimmingCharacters(in: .whitespacesAndNewlines), leaderID: leader, members: members)
        let names = agents.mapValues(\.displayName)
        do {
            guard let saved = try await store.saveTeam(
                team, by: user.actor, at: now,
                audit: AuditEntry(at: now, actor: user.actor, action: .scheduleChanged, detail: (id == nil ? "新增班组 " : "修改班组 ") + team.name, client: client),
                check: { all in
                    do { try ScheduleRules.check(teams: all, isAgent: { agents[$0] != nil }) } catch let error as ScheduleError {
                        // Name the agent as people know them.
                        var message = error.message
                        for (id, name) in names { message = message.replacingOccurrences(of: "“\(id)”", with: "“\(name)”") }
                        throw ScheduleError(error.field, message)
                    }
                })
            else { throw AppError.notFound(what: "班组") }
            return saved
        } catch let e as ScheduleError { throw Self.invalid(e) }
    }

    /// Creates a shift template (`id` nil) or replaces one; the roster already made keeps its hours.
    public func saveShift(_ input: ShiftInput, id: Int64?, by user: UserAccount, at now: Date, client: String? = nil) async throws -> ShiftTemplate {
        try require(.manageSchedules, user)
        guard let start = ScheduleRules.minute(input.start) else { throw AppError.invalid(field: "start", message: "开始时间应为形如08:30的时刻") }
        guard let end = ScheduleRules.minute(input.end) else { throw AppError.invalid(field: "end", message: "结束时间应为形如17:30的时刻") }
        do {
            let shift = try ScheduleRules.check(ShiftTemplate(id: id ?? 0, name: input.name, startMinute: start, endMinute: end, breaks: try Self.breaks(input.breaks ?? [])))
            guard let saved = try await store.saveShift(
                shift, by: user.actor, at: now,
                audit: AuditEntry(at: now, actor: user.actor, action: .scheduleChanged, detail: (id == nil ? "新增班次 " : "修改班次 ") + shift.name, client: client))
            else { throw AppError.notFound(what: "班次") }
            return saved
        } catch let e as ScheduleError { throw Self.invalid(e) }
    }

    // MARK: Roster

    /// A week of the roster (Monday to Sunday) with the people in it, by team.
    public struct Week: Sendable {
        public var monday: CivilDay
        public var days: [CivilDay]
        public var teams: [Team]
        /// The agents the week shows, by id (an agent reading sees only themselves).
        public var agents: [String: UserAccount]
        /// Agents in no team.
        public var unassigned: [String]
        public var shifts: [ShiftTemplate]
        public var entries: [RosterEntry]
        /// Whether the reader may edit (supervisors and admins).
        public var editable: Bool

        public func cell(_ agent: String, _ day: CivilDay) -> [RosterEntry] { entries.filter { $0.agentID == agent && $0.day == day } }
    }

    /// The week of `day` for `user`: the whole roster for those who keep or read it, an agent's own row for an agent.
    public func week(of day: CivilDay, for user: UserAccount) async throws -> Week {
        try require(.viewSchedules, user)
        let monday = Self.monday(of: day)
        let own = user.role == .agent
        var agents = try await agents()
        var teams = try await store.teams()
        if own {
            agents = agents.filter { $0.key == user.id }
            teams = teams.filter { $0.members.contains(user.id) }.map { t in
                var t = t
                t.members = [user.id]
                return t
            }
        }
        let placed = Set(teams.flatMap(\.members))
        let entries = try await store.roster(from: monday, to: monday.adding(days: 6), agent: own ? user.id : nil)
        return Week(
            monday: monday, days: (0..<7).map { monday.adding(days: $0) }, teams: teams, agents: agents,
            unassigned: agents.keys.filter { !placed.contains($0) }.sorted(), shifts: try await store.shifts(), entries: entries,
            editable: Capability.manageSchedules.isAllowed(for: user.role))
    }

    /// The entries a cell input asks for, checked; throws naming the field.
    func cell(_ input: AssignmentInput, agents: [String: UserAccount], shifts: [Int64: ShiftTemplate]) throws -> ScheduleStore.Cell {
        let day = try Self.day(input.day)
        let agent = input.agentId.trimmingCharacters(in: .whitespaces)
        guard agents[agent] != nil else { throw AppError.invalid(field: "agent_id", message: "没有这位话务员") }
        let ids = input.shiftIds ?? []
        var templates: [ShiftTemplate] = []
        for id in ids {
            guard let t = shifts[id] else { throw AppError.invalid(field: "shift_ids", message: "班次不存在") }
            templates.append(t)
        }
        var entries: [RosterEntry]
        switch input.kind {
        case "none": entries = []
        case "rest": entries = [RosterEntry(day: day, agentID: agent, kind: .rest, shiftName: "休息")]
        case "shift":
            guard !templates.isEmpty else { throw AppError.invalid(field: "shift_ids", message: "请选择班次") }
            entries = templates.map { RosterEntry(day: day, agentID: agent, kind: .shift, template: $0) }
        case "standby":
            guard templates.count == 1 else { throw AppError.invalid(field: "shift_ids", message: "备班应选择一个班次的时间") }
            entries = [RosterEntry(day: day, agentID: agent, kind: .standby, template: templates[0])]
        default: throw AppError.invalid(field: "kind", message: "应为上班、备班、休息或清除")
        }
        if let given = input.breaks {
            let breaks = try Self.breaks(given)
            let working = entries.filter { $0.kind != .rest }
            guard !working.isEmpty || breaks.isEmpty else { throw AppError.invalid(field: "breaks", message: "休息日没有班中休息") }
            do {
                _ = try ScheduleRules.check(breaks: breaks, within: working.map { ($0.startMinute, $0.endMinute) })
            } catch { throw Self.invalid(error) }
            for i in entries.indices where entries[i].kind != .rest {
                entries[i].breaks = breaks.filter { $0.startMinute >= entries[i].startMinute && $0.endMinute <= entries[i].endMinute }
            }
        }
        do { try ScheduleRules.check(day: entries) } catch { throw Self.invalid(error) }
        return ScheduleStore.Cell(day: day, agentID: agent, entries: entries)
    }

    /// Saves cells together: every cell is checked first; one bad cell refuses them all, naming the day and the agent.
    public func assign(_ inputs: [AssignmentInput], by user: UserAccount, at now: Date, client: String? = nil) async throws -> [ScheduleStore.Cell] {
        try require(.manageSchedules, user)
        guard !inputs.isEmpty else { throw AppError.invalid(field: "assignments", message: "没有要保存的排班") }
        guard inputs.count <= 1_000 else { throw AppError.invalid(field: "assignments", message: "一次最多保存1000格") }
        let agents = try await agents()
        let shifts = Dictionary(uniqueKeysWithValues: try await store.shifts().map { ($0.id, $0) })
        var cells: [ScheduleStore.Cell] = []
        for input in inputs {
            do { cells.append(try cell(input, agents: agents, shifts: shifts)) } catch AppError.invalid(let field, let message) where inputs.count > 1 {
                let who = agents[input.agentId]?.displayName ?? input.agentId
                let when = CivilDay(iso: input.day).map { ScheduleDesk.dayLabel($0) } ?? input.day
                throw AppError.invalid(field: field, message: "\(when) \(who)：\(message)")
            }
        }
        let detail = cells.prefix(5).map { "\($0.day) \($0.agentID)" }.joined(separator: "、") + (cells.count > 5 ? " 等\(cells.count)格" : "")
        try await store.replace(cells, by: user.actor, at: now,
                                audit: AuditEntry(at: now, actor: user.actor, action: .scheduleChanged, target: "roster", detail: "排班 " + detail, client: client))
        return cells
    }

    /// 复制上周: the week of `from` onto the week of `to`; returns the entries written.
    public func copyWeek(_ input: CopyWeekInput, by user: UserAccount, at now: Date, client: String? = nil) async throws -> Int {
        try require(.manageSchedules, user)
        let source = Self.monday(of: try Self.day(input.from, field: "from"))
        let target = Self.monday(of: try Self.day(input.to, field: "to"))
        guard source != target else { throw AppError.invalid(field: "to", message: "不能复制到同一周") }
        return try await store.copyWeek(
            from: source, to: target, by: user.actor, at: now,
            audit: AuditEntry(at: now, actor: user.actor, action: .scheduleChanged, target: "roster", detail: "复制\(source)起一周的排班到\(target)起一周", client: client))
    }

    /// 备班调用: the standby agent now counts from `now` (or from their standby's start, when later).
    public func callIn(_ input: CallInInput, by user: UserAccount, at now: Date, client: String? = nil) async throws {
        try require(.manageSchedules, user)
        let day = try Self.day(input.day)
        let agents = try await agents()
        guard let agent = agents[input.agentId] else { throw AppError.invalid(field: "agent_id", message: "没有这位话务员") }
        guard try await store.callIn(
            day: day, agent: agent.id, by: user.actor, at: now,
            audit: AuditEntry(at: now, actor: user.actor, action: .scheduleChanged, target: "roster", detail: "调用备班 \(day) \(agent.id)", client: client))
        else { throw AppError.conflict(code: "no_standby", message: "\(agent.displayName)当天没有待调用的备班", field: "agent_id") }
    }

    /// A day's roster with its coverage per half hour.
    public struct Day: Sendable {
        public var day: CivilDay
        public var entries: [RosterEntry]
        public var coverage: Coverage
        public var teams: [Team]
        public var agents: [String: UserAccount]
        public var editable: Bool
    }

    public func day(_ day: CivilDay, for user: UserAccount) async throws -> Day {
        try require(.viewSchedules, user)
        let own = user.role == .agent
        let entries = try await store.roster(from: day, to: day, agent: own ? user.id : nil)
        var agents = try await agents()
        if own { agents = agents.filter { $0.key == user.id } }
        return Day(day: day, entries: entries, coverage: Coverage(entries: entries), teams: try await store.teams(), agents: agents,
                   editable: Capability.manageSchedules.isAllowed(for: user.role))
    }

    /// Who is on shift at `now` by team (breaks included) and who is on standby, by display name: the big screen's list.
    public func onShift(at now: Date) async throws -> (teams: [(team: String, agents: [String])], standby: [String]) {
        let day = CivilDay(containing: now)
        let minute = Int(now.timeIntervalSince(day.start) / 60)
        let entries = try await store.roster(from: day, to: day).filter { $0.startMinute <= minute && minute < $0.endMinute }
        guard !entries.isEmpty else { return ([], []) }
        let names = try await services.directory.displayNames(of: Set(entries.map(\.agentID)))
        let working = entries.filter { $0.counts && $0.countsFromMinute <= minute }.map(\.agentID)
        var byTeam: [(team: String, agents: [String])] = []
        var placed: Set<String> = []
        for team in try await store.teams() {
            let here = team.members.filter { working.contains($0) }
            placed.formUnion(here)
            if !here.isEmpty { byTeam.append((team.name, here.map { names[$0] ?? $0 })) }
        }
        let others = working.filter { !placed.contains($0) }
        if !others.isEmpty { byTeam.append(("未分组", others.map { names[$0] ?? $0 })) }
        let standby = entries.filter { $0.kind == .standby && $0.calledInAt == nil }.map { names[$0.agentID] ?? $0.agentID }
        return (byTeam, standby)
    }

    /// "3月4日 周二".
    public static func dayLabel(_ day: CivilDay) -> String {
        let c = day.components
        return "\(c.month)月\(c.day)日 " + ["周日", "周一", "周二", "周三", "周四", "周五", "周六"][day.weekday]
    }
}

extension HotlineApp {
    /// 排班.
    public var schedules: ScheduleDesk { ScheduleDesk(services: services) }
}

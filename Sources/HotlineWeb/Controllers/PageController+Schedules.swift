import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// 排班 and 人力预测 pages: the week grid (supervisors and admins edit, managers read, an agent sees their own row), a
/// day's coverage with the standby agents to call in, one cell in full, teams and shifts, and the staffing forecast.
/// Every read and change is a `ScheduleDesk` or `StaffingDesk` use case, the same the JSON API calls.
extension PageController {
    func registerSchedules(_ router: PageRouter) {
        router.get(RouterPath(WebRoutes.staffing)) { request, context in
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.staffing) }
            try require(.viewStaffing, s)
            let page = try await staffingPage(s, request.uri.queryParameters)
            return try pages.response("staffing", page, status: page.error == nil ? .ok : .unprocessableContent)
        }
        router.get(RouterPath(WebRoutes.schedules)) { request, context in
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.schedules) }
            let p = request.uri.queryParameters
            return try pages.response("schedules", try await weekPage(s, week: p.get("week"), notice: p.get("done").flatMap { Self.scheduleDone[$0] }))
        }
        router.post(RouterPath(WebRoutes.schedules)) { request, context in
            guard let (s, form) = try await postedForm(request, context, requiring: .manageSchedules, upTo: APIBody.maximumBytes) else { return redirect(WebRoutes.login) }
            let week = form["week"] ?? ""
            do {
                let inputs = Self.changedCells(form)
                guard !inputs.isEmpty else { return redirect(WebRoutes.schedules + "?week=" + week + "&done=unchanged") }
                _ = try await app.schedules.assign(inputs, by: s.user, at: clock())
                return redirect(WebRoutes.schedules + "?week=" + week + "&done=saved")
            } catch {
                let e = APIError.from(error)
                guard e.status != .forbidden else { throw e }
                var page = try await weekPage(s, week: week, notice: nil)
                page.error = Self.scheduleMessage(e)
                return try pages.response("schedules", page, status: e.status)
            }
        }
        router.post(RouterPath(WebRoutes.scheduleCopyWeek)) { request, context in
            guard let (s, form) = try await postedForm(request, context, requiring: .manageSchedules, upTo: APIBody.maximumBytes) else { return redirect(WebRoutes.login) }
            let week = form["week"] ?? ""
            do {
                let target = try ScheduleDeskDay.parse(week)
                _ = try await app.schedules.copyWeek(.init(from: target.adding(days: -7).description, to: week), by: s.user, at: clock())
                return redirect(WebRoutes.schedules + "?week=" + week + "&done=copied")
            } catch {
                let e = APIError.from(error)
                guard e.status != .forbidden else { throw e }
                var page = try await weekPage(s, week: week, notice: nil)
                page.error = Self.scheduleMessage(e)
                return try pages.response("schedules", page, status: e.status)
            }
        }
        router.get(RouterPath(WebRoutes.scheduleDay)) { request, context in
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.scheduleDay) }
            let p = request.uri.queryParameters
            return try pages.response("schedule-day", try await dayPage(s, day: p.get("day"), notice: p.get("done").flatMap { Self.scheduleDone[$0] }))
        }
        router.post(RouterPath(WebRoutes.scheduleCallIn)) { request, context in
            guard let (s, form) = try await postedForm(request, context, requiring: .manageSchedules, upTo: APIBody.maximumBytes) else { return redirect(WebRoutes.login) }
            let day = form["day"] ?? ""
            do {
                try await app.schedules.callIn(.init(day: day, agentId: form["agent_id"] ?? ""), by: s.user, at: clock())
                return redirect(WebRoutes.scheduleDay + "?day=" + day + "&done=called")
            } catch {
                let e = APIError.from(error)
                guard e.status != .forbidden else { throw e }
                var page = try await dayPage(s, day: day, notice: nil)
                page.error = Self.scheduleMessage(e)
                return try pages.response("schedule-day", page, status: e.status)
            }
        }
        router.get(RouterPath(WebRoutes.scheduleCell)) { request, context in
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.schedules) }
            try require(.manageSchedules, s)
            let p = request.uri.queryParameters
            return try pages.response("schedule-cell", try await cellPage(s, day: p.get("day") ?? "", agent: p.get("agent") ?? "", form: nil))
        }
        router.post(RouterPath(WebRoutes.scheduleCell)) { request, context in
            guard let (s, form) = try await postedForm(request, context, requiring: .manageSchedules, upTo: APIBody.maximumBytes) else { return redirect(WebRoutes.login) }
            let day = form["day"] ?? "", agent = form["agent_id"] ?? ""
            do {
                _ = try await app.schedules.assign([Self.cellInput(form)], by: s.user, at: clock())
                return redirect(WebRoutes.schedules + "?week=" + day + "&done=cell")
            } catch {
                let e = APIError.from(error)
                guard e.status != .forbidden else { throw e }
                var page = try await cellPage(s, day: day, agent: agent, form: form)
                page.error = Self.scheduleMessage(e)
                return try pages.response("schedule-cell", page, status: e.status)
            }
        }
        router.get(RouterPath(WebRoutes.scheduleSetup)) { request, context in
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.scheduleSetup) }
            let done = request.uri.queryParameters.get("done").flatMap { Self.scheduleDone[$0] }
            return try pages.response("schedule-setup", try await setupPage(s, notice: done))
        }
        router.post(RouterPath(WebRoutes.scheduleTeams)) { request, context in
            guard let (s, form) = try await postedForm(request, context, requiring: .manageSchedules, upTo: APIBody.maximumBytes) else { return redirect(WebRoutes.login) }
            do {
                let id = try Self.formID(form["id"])
                let members = form.keys.filter { $0.hasPrefix("member:") }.sorted().map { String($0.dropFirst("member:".count)) }
                _ = try await app.schedules.saveTeam(.init(name: form["name"] ?? "", leaderId: form["leader_id"], members: members), id: id, by: s.user, at: clock())
                return redirect(WebRoutes.scheduleSetup + "?done=team")
            } catch {
                let e = APIError.from(error)
                guard e.status != .forbidden else { throw e }
                var page = try await setupPage(s, notice: nil)
                page.error = Self.scheduleMessage(e)
                return try pages.response("schedule-setup", page, status: e.status)
            }
        }
        router.post(RouterPath(WebRoutes.scheduleShifts)) { request, context in
            guard let (s, form) = try await postedForm(request, context, requiring: .manageSchedules, upTo: APIBody.maximumBytes) else { return redirect(WebRoutes.login) }
            do {
                let id = try Self.formID(form["id"])
                let input = ScheduleDesk.ShiftInput(name: form["name"] ?? "", start: form["start"] ?? "", end: form["end"] ?? "", breaks: try Self.breakInputs(form))
                _ = try await app.schedules.saveShift(input, id: id, by: s.user, at: clock())
                return redirect(WebRoutes.scheduleSetup + "?done=shift")
            } catch {
                let e = APIError.from(error)
                guard e.status != .forbidden else { throw e }
                var page = try await setupPage(s, notice: nil)
                page.error = Self.scheduleMessage(e)
                return try pages.response("schedule-setup", page, status: e.status)
            }
        }
    }

    static let scheduleDone = [
        "saved": "排班已保存。", "unchanged": "没有改动。", "copied": "已复制上周排班（备班调用记录不复制）。", "called": "已调用备班，该话务员从现在起计入在岗人数。",
        "cell": "该格排班已保存。", "team": "班组已保存。", "shift": "班次已保存；已排的班不随之改变。",
    ]

    /// The schedule pages' names for their fields.
    static let scheduleLabels = [
        "day": "日期", "week": "周", "agent_id": "话务员", "kind": "安排", "shift_ids": "班次", "breaks": "休息", "name": "名称", "start": "开始时间",
        "end": "结束时间", "leader_id": "班组长", "members": "成员", "to": "目标周", "from": "来源周", "assignments": "排班", "service_level": "服务水平目标",
        "answer_seconds": "目标应答时间", "aht": "平均处理时长", "shrinkage": "缩减率", "daily_calls": "预计日话务量",
    ]

    static func scheduleMessage(_ e: APIError) -> String {
        guard let field = e.field, let label = scheduleLabels[field] else { return FieldLabels.message(e) }
        guard let range = e.message.range(of: "无效：") else { return label + "：" + e.message }
        return label + "：" + e.message[range.upperBound...]
    }

    static func formID(_ text: String?) throws -> Int64? {
        guard let text, !text.isEmpty else { return nil }
        guard let id = Int64(text) else { throw APIError.notFound("记录") }
        return id
    }

    /// Up to three breaks from `break<N>_start` and `break<N>_minutes` (both empty: none).
    static func breakInputs(_ form: [String: String]) throws -> [ScheduleDesk.BreakInput] {
        try (1...3).compactMap { i in
            let start = (form["break\(i)_start"] ?? "").trimmingCharacters(in: .whitespaces)
            let minutes = (form["break\(i)_minutes"] ?? "").trimmingCharacters(in: .whitespaces)
            if start.isEmpty && minutes.isEmpty { return nil }
            guard let m = Int(minutes) else { throw AppError.invalid(field: "breaks", message: "第\(i)段休息的分钟数应为整数") }
            return ScheduleDesk.BreakInput(start: start, minutes: m)
        }
    }

    /// The full cell form as the API's input.
    static func cellInput(_ form: [String: String]) throws -> ScheduleDesk.AssignmentInput {
        let ids = [form["shift1"], form["shift2"]].compactMap { $0.flatMap { Int64($0) } }
        return ScheduleDesk.AssignmentInput(
            day: form["day"] ?? "", agentId: form["agent_id"] ?? "", kind: form["kind"] ?? "", shiftIds: ids, breaks: try breakInputs(form))
    }

    /// A cell's value in the week grid: "" (未排), `rest`, `shift:<id>`, `standby:<id>`, or `keep` for anything the select
    /// cannot say (two shifts, breaks of its own).
    static func cellValue(_ entries: [RosterEntry], shifts: [Int64: ShiftTemplate]) -> String {
        guard let e = entries.first else { return "" }
        guard entries.count == 1 else { return "keep" }
        switch e.kind {
        case .rest: return "rest"
        case .shift, .standby:
            guard let id = e.shiftID, let t = shifts[id], t.startMinute == e.startMinute, t.endMinute == e.endMinute, t.breaks == e.breaks else { return "keep" }
            return e.kind.rawValue + ":" + String(id)
        }
    }

    /// The grid's cells whose select changed, as inputs (`c:<agent>:<day>` against its `o:` twin).
    static func changedCells(_ form: [String: String]) -> [ScheduleDesk.AssignmentInput] {
        form.keys.filter { $0.hasPrefix("c:") }.sorted().compactMap { key in
            let value = form[key] ?? "", original = form["o:" + key.dropFirst(2)] ?? ""
            guard value != original, value != "keep", let split = key.lastIndex(of: ":") else { return nil }
            let agent = String(key[key.index(key.startIndex, offsetBy: 2)..<split]), day = String(key[key.index(after: split)...])
            let parts = value.split(separator: ":")
            switch parts.first.map(String.init) ?? "" {
            case "rest": return .init(day: day, agentId: agent, kind: "rest")
            case "shift", "standby":
                return .init(day: day, agentId: agent, kind: String(parts[0]), shiftIds: parts.count > 1 ? Int64(parts[1]).map { [$0] } ?? [-1] : [])
            default: return .init(day: day, agentId: agent, kind: "none")
            }
        }
    }

    func weekPage(_ s: Signed, week text: String?, notice: String?) async throws -> ScheduleWeekPage {
        let today = CivilDay(containing: clock())
        var day = today
        if let text, !text.isEmpty {
            guard let d = CivilDay(iso: text) else { throw APIError(.unprocessableContent, code: "invalid_field", message: "周：日期应为形如2026-01-31的日期") }
            day = d
        }
        let week = try await app.schedules.week(of: day, for: s.user)
        let names = week.agents.mapValues(\.displayName)
        let shifts = Dictionary(uniqueKeysWithValues: week.shifts.map { ($0.id, $0) })
        func options(_ value: String, _ entries: [RosterEntry]) -> [PageOption] {
            var list = [PageOption(value: "", label: "未排", selected: value == ""), PageOption(value: "rest", label: "休息", selected: value == "rest")]
            if value == "keep" {
                list.insert(PageOption(value: "keep", label: entries.map(ScheduleRules.describe).joined(separator: "＋"), selected: true), at: 0)
            }
            for t in week.shifts { list.append(PageOption(value: "shift:\(t.id)", label: t.name, selected: value == "shift:\(t.id)")) }
            for t in week.shifts { list.append(PageOption(value: "standby:\(t.id)", label: "备班·" + t.name, selected: value == "standby:\(t.id)")) }
            return list
        }
        func agentRow(_ id: String, leader: Bool) -> ScheduleWeekPage.Agent {
            let cells = week.days.map { d -> ScheduleWeekPage.Cell in
                let entries = week.cell(id, d)
                let value = Self.cellValue(entries, shifts: shifts)
                var text = entries.map(ScheduleRules.describe).joined(separator: "＋")
                if entries.isEmpty { text = "未排" }
                if s.user.role == .agent, let first = entries.first, first.kind != .rest {
                    text += "（休息" + ScheduleRules.describe(breaks: entries.flatMap(\.breaks)) + "）"
                }
                let style = entries.first.map { $0.kind == .standby ? "standby" : $0.kind == .rest ? "rest" : "shift" } ?? "none"
                let field = "\(id):\(d)"
                return ScheduleWeekPage.Cell(
                    text: text, style: style, field: "c:" + field, originalField: "o:" + field, original: value, options: options(value, entries),
                    editHref: WebRoutes.scheduleCell + "?day=\(d)&agent=\(id)", label: "\(names[id] ?? id) \(ScheduleDesk.dayLabel(d))")
            }
            return ScheduleWeekPage.Agent(name: names[id] ?? id, leader: leader, cells: cells)
        }
        var groups = week.teams.map { t in
            ScheduleWeekPage.Group(name: t.name, agents: t.members.filter { week.agents[$0] != nil }.map { agentRow($0, leader: $0 == t.leaderID) })
        }
        if !week.unassigned.isEmpty { groups.append(.init(name: "未分组", agents: week.unassigned.map { agentRow($0, leader: false) })) }
        let own = s.user.role == .agent
        let end = week.monday.adding(days: 6)
        return ScheduleWeekPage(
            title: own ? "我的排班" : "排班表", user: pageUser(s), notice: notice, error: nil,
            heading: (own ? "我的排班 " : "排班表 ") + "\(Self.shortDay(week.monday))–\(Self.shortDay(end))",
            week: week.monday.description, previousHref: WebRoutes.schedules + "?week=\(week.monday.adding(days: -7))",
            nextHref: WebRoutes.schedules + "?week=\(week.monday.adding(days: 7))", thisWeekHref: WebRoutes.schedules,
            previousWeek: "\(Self.shortDay(week.monday.adding(days: -7)))–\(Self.shortDay(week.monday.adding(days: -1)))",
            days: week.days.map { .init(label: ScheduleDesk.dayLabel($0), href: WebRoutes.scheduleDay + "?day=\($0)") }, groups: groups,
            editable: week.editable, isOwn: own, emptyText: groups.isEmpty ? (own ? "您还没有被排班。" : "还没有话务员。") : nil,
            shiftsText: week.shifts.map { "\($0.name) \(ScheduleRules.clock($0.startMinute))–\(ScheduleRules.clock($0.endMinute))，班中休息：" + ScheduleRules.describe(breaks: $0.breaks) },
            staffingHref: Capability.viewStaffing.isAllowed(for: s.user.role) ? WebRoutes.staffing : nil)
    }

    /// "3月4日".
    static func shortDay(_ d: CivilDay) -> String { "\(d.components.month)月\(d.components.day)日" }

    func dayPage(_ s: Signed, day text: String?, notice: String?) async throws -> ScheduleDayPage {
        var day = CivilDay(containing: clock())
        if let text, !text.isEmpty {
            guard let d = CivilDay(iso: text) else { throw APIError(.unprocessableContent, code: "invalid_field", message: "日期：应为形如2026-01-31的日期") }
            day = d
        }
        let d = try await app.schedules.day(day, for: s.user)
        var required: [Int]?
        var note = "按人力预测的默认目标（20秒内接通80%，缩减率30%）测算需求。"
        if Capability.viewStaffing.isAllowed(for: s.user.role) {
            let result = try await app.staffing.staffing(.init(day: day.description), for: s.user, at: clock())
            if result.source == .none {
                note = "没有话务历史，无法测算需求；可在人力预测页输入预计日话务量。"
            } else {
                required = result.staffing.rows.map(\.requirement.agents)
            }
        } else {
            note = "需求测算见人力预测（管理者、督办员可看）。"
        }
        let c = d.coverage
        func number(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v) }
        // Intervals where nobody is needed, scheduled or standing by are left out.
        let shown = c.onPhones.indices.filter { i in c.onPhones[i] > 0 || c.rostered[i] > 0 || c.standby[i] > 0 || (required?[i] ?? 0) > 0 }
        let intervals = shown.map { i in
            ScheduleDayPage.Interval(
                time: ScheduleRules.clock(i * c.intervalMinutes) + "–" + ScheduleRules.clock((i + 1) * c.intervalMinutes),
                required: required.map { String($0[i]) } ?? "—", scheduled: number(c.onPhones[i]), rostered: String(c.rostered[i]),
                standby: String(c.standby[i]), short: required.map { c.onPhones[i] + 1e-9 < Double($0[i]) } ?? false)
        }
        let names = d.agents.mapValues(\.displayName)
        let teamOf = Dictionary(d.teams.flatMap { t in t.members.map { ($0, t.name) } }, uniquingKeysWith: { a, _ in a })
        let people = d.entries.sorted { (teamOf[$0.agentID] ?? "~", $0.startMinute) < (teamOf[$1.agentID] ?? "~", $1.startMinute) }.map { e in
            ScheduleDayPage.Person(
                name: names[e.agentID] ?? e.agentID, team: teamOf[e.agentID] ?? "未分组", kind: e.kind == .standby ? (e.calledInAt == nil ? "备班" : "备班（已调用）") : e.kind.chineseName,
                hours: e.kind == .rest ? "—" : ScheduleRules.clock(e.startMinute) + "–" + ScheduleRules.clock(e.endMinute),
                breaks: e.kind == .rest ? "—" : ScheduleRules.describe(breaks: e.breaks), calledIn: e.calledInAt.map { "调用于" + $0.chinaShort },
                callInAgent: d.editable && e.kind == .standby && e.calledInAt == nil ? e.agentID : nil)
        }
        let short = intervals.filter(\.short).count
        return ScheduleDayPage(
            title: "排班覆盖", user: pageUser(s), notice: notice, error: nil, heading: "排班覆盖 " + ScheduleDesk.dayLabel(day), day: day.description,
            weekHref: WebRoutes.schedules + "?week=\(day)", previousHref: WebRoutes.scheduleDay + "?day=\(day.adding(days: -1))",
            nextHref: WebRoutes.scheduleDay + "?day=\(day.adding(days: 1))", requirementNote: note, hasRequirement: required != nil,
            shortCount: required == nil ? "" : (short == 0 ? "各时段在岗人数均满足需求。" : "有\(short)个时段在岗人数少于需求（红色标出）。"),
            intervals: intervals, people: people, editable: d.editable, showCoverage: s.user.role != .agent)
    }

    func cellPage(_ s: Signed, day: String, agent: String, form: [String: String]?) async throws -> ScheduleCellPage {
        let d = try ScheduleDeskDay.parse(day)
        let week = try await app.schedules.week(of: d, for: s.user)
        guard let person = week.agents[agent] else { throw APIError.notFound("话务员 \(agent) ") }
        let entries = week.cell(agent, d)
        let working = entries.filter { $0.kind != .rest }
        let kind = form?["kind"] ?? (entries.first?.kind.rawValue ?? "none")
        let first = form?["shift1"] ?? working.first?.shiftID.map(String.init) ?? ""
        let second = form?["shift2"] ?? (working.count > 1 ? working[1].shiftID.map(String.init) ?? "" : "")
        func shiftOptions(_ selected: String, none: String) -> [PageOption] {
            [PageOption(value: "", label: none, selected: selected.isEmpty)]
                + week.shifts.map { PageOption(value: String($0.id), label: "\($0.name) \(ScheduleRules.clock($0.startMinute))–\(ScheduleRules.clock($0.endMinute))", selected: String($0.id) == selected) }
        }
        let current = working.flatMap(\.breaks)
        let breaks = (1...3).map { i in
            ScheduleCellPage.BreakRow(
                index: i, start: form?["break\(i)_start"] ?? (i <= current.count ? ScheduleRules.clock(current[i - 1].startMinute) : ""),
                minutes: form?["break\(i)_minutes"] ?? (i <= current.count ? String(current[i - 1].minutes) : ""))
        }
        return ScheduleCellPage(
            user: pageUser(s), error: nil, heading: "调整排班：\(person.displayName) \(ScheduleDesk.dayLabel(d))", day: d.description, agent: agent,
            kinds: PageOption.list([("shift", "上班"), ("standby", "备班"), ("rest", "休息"), ("none", "未排")], selected: kind),
            firstShift: shiftOptions(first, none: "（请选择）"), secondShift: shiftOptions(second, none: "（不排第二个班次）"), breaks: breaks,
            backHref: WebRoutes.schedules + "?week=\(d)")
    }

    func setupPage(_ s: Signed, notice: String?) async throws -> ScheduleSetupPage {
        let teams = try await app.schedules.teams(for: s.user)
        let shifts = try await app.schedules.shifts(for: s.user)
        let agents = try await services.directory.users().filter { $0.role == .agent }.sorted { $0.id < $1.id }
        func teamForm(_ t: Team?) -> ScheduleSetupPage.TeamForm {
            .init(
                id: t.map { String($0.id) } ?? "", heading: t.map { "班组：" + $0.name } ?? "新建班组", name: t?.name ?? "",
                leaders: [PageOption(value: "", label: "（不指定）", selected: t?.leaderID == nil)]
                    + agents.map { PageOption(value: $0.id, label: $0.displayName, selected: $0.id == t?.leaderID) },
                members: agents.map { PageOption(value: $0.id, label: $0.displayName, selected: t?.members.contains($0.id) ?? false) })
        }
        func shiftForm(_ t: ShiftTemplate?) -> ScheduleSetupPage.ShiftForm {
            .init(
                id: t.map { String($0.id) } ?? "", heading: t.map { "班次：" + $0.name } ?? "新建班次", name: t?.name ?? "",
                start: t.map { ScheduleRules.clock($0.startMinute) } ?? "", end: t.map { ScheduleRules.clock($0.endMinute) } ?? "",
                breaks: (1...3).map { i in
                    let b = t.flatMap { i <= $0.breaks.count ? $0.breaks[i - 1] : nil }
                    return .init(index: i, start: b.map { ScheduleRules.clock($0.startMinute) } ?? "", minutes: b.map { String($0.minutes) } ?? "")
                })
        }
        let editable = Capability.manageSchedules.isAllowed(for: s.user.role)
        return ScheduleSetupPage(
            user: pageUser(s), notice: notice, error: nil, teams: teams.map(teamForm) + (editable ? [teamForm(nil)] : []),
            shifts: shifts.map(shiftForm) + (editable ? [shiftForm(nil)] : []), editable: editable)
    }

    func staffingPage(_ s: Signed, _ p: Parameters) async throws -> StaffingPage {
        let query = StaffingDesk.Query(
            day: p.get("day"), serviceLevel: p.get("service_level"), answerSeconds: p.get("answer_seconds"), aht: p.get("aht"), shrinkage: p.get("shrinkage"),
            dailyCalls: p.get("daily_calls"))
        var page = StaffingPage(
            user: pageUser(s), error: nil, day: query.day ?? CivilDay(containing: clock()).adding(days: 1).description, serviceLevel: query.serviceLevel ?? "0.8",
            answerSeconds: query.answerSeconds ?? "20", aht: query.aht ?? "", shrinkage: query.shrinkage ?? "0.3", dailyCalls: query.dailyCalls ?? "",
            basis: "", noHistory: false, summary: [], chart: "", rows: [], scheduleHref: WebRoutes.scheduleDay)
        let result: StaffingDesk.Result
        do {
            result = try await app.staffing.staffing(query, for: s.user, at: clock())
        } catch {
            let e = APIError.from(error)
            guard e.status == .unprocessableContent else { throw e }
            page.error = Self.scheduleMessage(e)
            return page
        }
        page.day = result.day.description
        page.scheduleHref = WebRoutes.scheduleDay + "?day=\(result.day)"
        switch result.source {
        case .history: page.basis = "按近\(result.historyDays)天的话务历史预测（\(result.dayType)的话务规律、节假日与调休、近期趋势）。"
        case .entered:
            page.basis = result.historyDays > 0
                ? "按输入的预计日话务量，以话务历史预测的各时段分布摊开。" : "按输入的预计日话务量，以热线一天的常见分布摊到各时段。"
        case .none:
            page.basis = "还没有话务历史，无法预测。请在上方输入预计日话务量。"
            page.noHistory = true
        }
        let st = result.staffing
        func percent(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        func number(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v) }
        let total = st.rows.map(\.forecastCalls).reduce(0, +)
        page.summary = [
            .init(label: "预测来电", value: "\(Int(total.rounded()))个"),
            .init(label: "平均处理时长", value: "\(Int(result.averageHandleSeconds.rounded()))秒" + (result.ahtFromHistory ? "（来自话务历史）" : "")),
            .init(label: "在线需求峰值", value: "\(st.plan.peakAgents)人（排班需求\(st.plan.peakScheduledAgents)人）"),
            .init(label: "排班工时需求", value: String(format: "%.1f小时", st.plan.scheduledAgentHours)),
            .init(label: "缺口时段", value: st.shortIntervals == 0 ? "无" : "\(st.shortIntervals)个"),
            .init(label: "按排班的服务水平", value: percent(st.scheduledServiceLevel) + "（模拟：" + percent(st.simulatedServiceLevel) + "）"),
        ]
        let labels = st.rows.map { ScheduleRules.clock($0.startMinute) }
        page.chart = StaffingChart(
            title: "\(result.day) 各时段预测来电、在线需求与排班在线人数", labels: labels, calls: st.rows.map(\.forecastCalls),
            required: st.rows.map { Double($0.requirement.agents) }, scheduled: st.rows.map(\.scheduledAgents)
        ).svg
        page.rows = st.rows.map { r in
            StaffingPage.Row(
                time: ScheduleRules.clock(r.startMinute), calls: String(format: "%.1f", r.forecastCalls), agents: String(r.requirement.agents),
                scheduleNeeded: String(r.requirement.scheduledAgents), scheduled: number(r.scheduledAgents), rostered: String(r.rosteredAgents),
                serviceLevel: r.forecastCalls > 0 ? percent(r.requirement.serviceLevel) : "—", scheduledLevel: percent(r.scheduledServiceLevel),
                simulatedLevel: percent(r.simulatedServiceLevel),
                asa: r.forecastCalls > 0 && r.requirement.averageSpeedOfAnswer.isFinite ? String(format: "%.1f秒", r.requirement.averageSpeedOfAnswer) : "—",
                short: r.isShort)
        }
        return page
    }
}

import Foundation
import HotlineDomain
import HotlineStorage
import HotlineText

extension DemoSeeder {
    /// The demo centre's schedules (排班): three shifts, the demo agents in three teams, and this and next week's roster —
    /// each team on one shift a week (rotating weekly), two days off a week per agent and one standby day (备班).
    func seedSchedules(now: Date) async throws {
        let store = ScheduleStore(database: services.database)
        let audit = AuditEntry(at: now, actor: .system, action: .scheduleChanged, detail: "演示城市初始排班")
        var shifts: [ShiftTemplate] = []
        for (name, start, end, breaks) in [
            ("早班", 8 * 60, 16 * 60, [ShiftBreak(startMinute: 11 * 60 + 30, minutes: 30), ShiftBreak(startMinute: 14 * 60 + 30, minutes: 15)]),
            ("中班", 10 * 60, 18 * 60, [ShiftBreak(startMinute: 12 * 60 + 30, minutes: 30), ShiftBreak(startMinute: 16 * 60, minutes: 15)]),
            ("晚班", 16 * 60, 24 * 60, [ShiftBreak(startMinute: 19 * 60, minutes: 30), ShiftBreak(startMinute: 21 * 60 + 30, minutes: 15)]),
        ] {
            let template = ShiftTemplate(id: 0, name: name, startMinute: start, endMinute: end, breaks: breaks)
            if let saved = try await store.saveShift(template, by: .system, at: now, audit: audit) { shifts.append(saved) }
        }
        let agents = Set(try await services.directory.users().filter { $0.role == .agent }.map(\.id))
        let plan: [(String, [String])] = [("一班", ["agent", "agent2", "agent3"]), ("二班", ["agent4", "agent5", "agent6"]), ("三班", ["agent7", "agent8"])]
        var teams: [[String]] = []
        for (name, members) in plan {
            let here = members.filter(agents.contains)
            guard !here.isEmpty else { continue }
            _ = try await store.saveTeam(Team(id: 0, name: name, leaderID: here.first, members: here), by: .system, at: now, audit: audit, check: { _ in })
            teams.append(here)
        }
        guard shifts.count == 3 else { return }
        let monday = ScheduleDesk.monday(of: CivilDay(containing: now))
        var cells: [ScheduleStore.Cell] = []
        for offset in 0..<14 {
            let day = monday.adding(days: offset)
            for (t, members) in teams.enumerated() {
                let shift = shifts[(t + offset / 7) % shifts.count]
                for (i, agent) in members.enumerated() {
                    let turn = (i * 2 + t + offset) % 7
                    let entry: RosterEntry = switch turn {
                    case 5, 6: RosterEntry(day: day, agentID: agent, kind: .rest, shiftName: "休息")
                    case 4: RosterEntry(day: day, agentID: agent, kind: .standby, template: shift)
                    default: RosterEntry(day: day, agentID: agent, kind: .shift, template: shift)
                    }
                    cells.append(ScheduleStore.Cell(day: day, agentID: agent, entries: [entry]))
                }
            }
        }
        try await store.replace(cells, by: .system, at: now, audit: audit)
        // Six weeks of answered calls before today (a small centre's 450 on a working day), so that 人力预测 forecasts.
        var model = SimulatedCallHistory()
        model.meanWorkdayCalls = 450
        var random = SplitMix64(seed: 15)
        let yesterday = CivilDay(containing: now).adding(days: -1)
        let past = model.generate(from: yesterday.adding(days: -41), to: yesterday, calendar: services.reference.context.calendar, using: &random)
        _ = try await store.importCallHistory(past.history, agents: teams.flatMap { $0 })
    }
}

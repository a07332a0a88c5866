import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// Schedules (排班) and staffing (人力预测) through the API; every call is a `ScheduleDesk` or `StaffingDesk` use case,
/// the same the console calls. Bodies are read before the path is looked at, so a malformed body is a 400 anywhere.
struct ScheduleController: Sendable {
    let schedules: ScheduleDesk
    let staffing: StaffingDesk
    let actors: ActorResolver
    let clients: ClientAddress
    let clock: @Sendable () -> Date

    func register(on router: Router<AppRequestContext>) {
        let read = router.scoped(.ordersRead, by: actors)
        let write = router.scoped(.admin, by: actors)
        read.get(RouterPath(APIRoutes.scheduleTeams)) { _, context in
            try APIJSON.response(Items(items: try await schedules.teams(for: try context.user()).map(TeamView.init)))
        }
        read.get(RouterPath(APIRoutes.scheduleShifts)) { _, context in
            try APIJSON.response(Items(items: try await schedules.shifts(for: try context.user()).map(ShiftView.init)))
        }
        write.post(RouterPath(APIRoutes.scheduleTeams)) { request, context in
            let input = try await request.decode(as: ScheduleDesk.TeamInput.self, context: context)
            let team = try await schedules.saveTeam(input, id: nil, by: try context.user(), at: clock(), client: clients.of(request, context))
            return try APIJSON.response(TeamView(team), status: .created)
        }
        write.put(RouterPath(APIRoutes.scheduleTeam(":id"))) { request, context in
            let input = try await request.decode(as: ScheduleDesk.TeamInput.self, context: context)
            let team = try await schedules.saveTeam(input, id: try Self.id(context, "班组"), by: try context.user(), at: clock(), client: clients.of(request, context))
            return try APIJSON.response(TeamView(team))
        }
        write.post(RouterPath(APIRoutes.scheduleShifts)) { request, context in
            let input = try await request.decode(as: ScheduleDesk.ShiftInput.self, context: context)
            let shift = try await schedules.saveShift(input, id: nil, by: try context.user(), at: clock(), client: clients.of(request, context))
            return try APIJSON.response(ShiftView(shift), status: .created)
        }
        write.put(RouterPath(APIRoutes.scheduleShift(":id"))) { request, context in
            let input = try await request.decode(as: ScheduleDesk.ShiftInput.self, context: context)
            let shift = try await schedules.saveShift(input, id: try Self.id(context, "班次"), by: try context.user(), at: clock(), client: clients.of(request, context))
            return try APIJSON.response(ShiftView(shift))
        }
        read.get(RouterPath(APIRoutes.scheduleRoster)) { request, context in
            let day = try Self.day(request.uri.queryParameters.get("week"), field: "week", default: CivilDay(containing: clock()))
            let week = try await schedules.week(of: day, for: try context.user())
            struct Week: Encodable {
                var monday: CivilDay
                var entries: [EntryView]
            }
            return try APIJSON.response(Week(monday: week.monday, entries: week.entries.map(EntryView.init)))
        }
        read.get(RouterPath(APIRoutes.scheduleCoverage)) { request, context in
            let day = try Self.day(request.uri.queryParameters.get("day"), field: "day", default: CivilDay(containing: clock()))
            let d = try await schedules.day(day, for: try context.user())
            struct Interval: Encodable {
                var start: String
                var scheduledAgents: Double
                var rosteredAgents: Int
                var standbyAgents: Int
            }
            struct Day: Encodable {
                var day: CivilDay
                var entries: [EntryView]
                var intervals: [Interval]
            }
            let c = d.coverage
            return try APIJSON.response(Day(
                day: d.day, entries: d.entries.map(EntryView.init),
                intervals: c.onPhones.indices.map {
                    Interval(start: ScheduleRules.clock($0 * c.intervalMinutes), scheduledAgents: (c.onPhones[$0] * 100).rounded() / 100,
                             rosteredAgents: c.rostered[$0], standbyAgents: c.standby[$0])
                }))
        }
        write.put(RouterPath(APIRoutes.scheduleAssignments)) { request, context in
            let body = try await InputDecoder.readJSON(request)
            let inputs: [ScheduleDesk.AssignmentInput]
            let object = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any]
            if object?["assignments"] != nil {
                inputs = try InputDecoder.decode(ScheduleDesk.AssignmentsInput.self, body: body, format: .json).assignments
            } else {
                inputs = [try InputDecoder.decode(ScheduleDesk.AssignmentInput.self, body: body, format: .json)]
            }
            let cells = try await schedules.assign(inputs, by: try context.user(), at: clock(), client: clients.of(request, context))
            return try APIJSON.response(Items(items: cells.flatMap(\.entries).map(EntryView.init)))
        }
        write.post(RouterPath(APIRoutes.scheduleCopyWeek)) { request, context in
            let input = try await request.decode(as: ScheduleDesk.CopyWeekInput.self, context: context)
            struct Copied: Encodable { var entries: Int }
            return try APIJSON.response(Copied(entries: try await schedules.copyWeek(input, by: try context.user(), at: clock(), client: clients.of(request, context))))
        }
        write.post(RouterPath(APIRoutes.scheduleCallIn)) { request, context in
            let input = try await request.decode(as: ScheduleDesk.CallInInput.self, context: context)
            try await schedules.callIn(input, by: try context.user(), at: clock(), client: clients.of(request, context))
            let day = try await schedules.day(try ScheduleDeskDay.parse(input.day), for: try context.user())
            return try APIJSON.response(Items(items: day.entries.filter { $0.agentID == input.agentId }.map(EntryView.init)))
        }
        read.get(RouterPath(APIRoutes.staffing)) { request, context in
            let p = request.uri.queryParameters
            let result = try await staffing.staffing(
                .init(day: p.get("day"), serviceLevel: p.get("service_level"), answerSeconds: p.get("answer_seconds"), aht: p.get("aht"),
                      shrinkage: p.get("shrinkage"), dailyCalls: p.get("daily_calls")),
                for: try context.user(), at: clock())
            return try APIJSON.response(StaffingView(result))
        }
    }

    static func id(_ context: AppRequestContext, _ what: String) throws -> Int64 {
        let text = context.parameters.get("id") ?? ""
        guard let id = Int64(text) else { throw APIError.notFound("\(what) \(text) ") }
        return id
    }

    static func day(_ text: String?, field: String, default value: CivilDay) throws -> CivilDay {
        guard let text, !text.isEmpty else { return value }
        guard let day = CivilDay(iso: text) else { throw AppError.invalid(field: field, message: "日期应为形如2026-01-31的日期") }
        return day
    }

    struct Items<T: Encodable>: Encodable { var items: [T] }

    struct TeamView: Encodable {
        var id: Int64
        var name: String
        var leaderId: String?
        var members: [String]
        init(_ t: Team) { (id, name, leaderId, members) = (t.id, t.name, t.leaderID, t.members) }
    }

    struct BreakView: Encodable {
        var start: String
        var minutes: Int
        init(_ b: ShiftBreak) { (start, minutes) = (ScheduleRules.clock(b.startMinute), b.minutes) }
    }

    struct ShiftView: Encodable {
        var id: Int64
        var name: String
        var start: String
        var end: String
        var breaks: [BreakView]
        init(_ s: ShiftTemplate) {
            (id, name, start, end) = (s.id, s.name, ScheduleRules.clock(s.startMinute), ScheduleRules.clock(s.endMinute))
            breaks = s.breaks.map(BreakView.init)
        }
    }

    struct EntryView: Encodable {
        var day: CivilDay
        var agentId: String
        var kind: String
        var shiftId: Int64?
        var shiftName: String
        var start: String?
        var end: String?
        var breaks: [BreakView]
        var calledInAt: Date?
        init(_ e: RosterEntry) {
            (day, agentId, kind, shiftId, shiftName) = (e.day, e.agentID, e.kind.rawValue, e.shiftID, e.shiftName)
            start = e.kind == .rest ? nil : ScheduleRules.clock(e.startMinute)
            end = e.kind == .rest ? nil : ScheduleRules.clock(e.endMinute)
            breaks = e.breaks.map(BreakView.init)
            calledInAt = e.calledInAt
        }
    }
}

/// Parses a day for the call-in's answer (the desk has checked it already).
enum ScheduleDeskDay {
    static func parse(_ text: String) throws -> CivilDay {
        guard let day = CivilDay(iso: text.trimmingCharacters(in: .whitespaces)) else { throw AppError.invalid(field: "day", message: "日期应为形如2026-01-31的日期") }
        return day
    }
}

/// `GET /api/v1/staffing`: the targets, where the calls came from, and one row per half hour.
struct StaffingView: Encodable {
    struct Row: Encodable {
        var start: String
        var forecastCalls: Double
        var agents: Int
        var scheduledAgents: Double
        var requiredScheduledAgents: Int
        var rosteredAgents: Int
        var serviceLevel: Double
        var averageSpeedOfAnswer: Double?
        var scheduledServiceLevel: Double?
        var simulatedServiceLevel: Double?
        var short: Bool
    }
    var day: CivilDay
    var serviceLevelTarget: Double
    var answerSeconds: Double
    var shrinkage: Double
    var averageHandleSeconds: Double
    var source: String
    var historyDays: Int
    var forecastCalls: Double
    var shortIntervals: Int
    var scheduledServiceLevel: Double?
    var simulatedServiceLevel: Double?
    var rows: [Row]

    init(_ r: StaffingDesk.Result) {
        func round(_ v: Double, _ places: Double = 1000) -> Double { (v * places).rounded() / places }
        day = r.day
        serviceLevelTarget = r.target.serviceLevel
        answerSeconds = r.target.answerSeconds
        shrinkage = r.target.shrinkage
        averageHandleSeconds = round(r.averageHandleSeconds, 10)
        source = r.source.rawValue
        historyDays = r.historyDays
        forecastCalls = round(r.staffing.rows.map(\.forecastCalls).reduce(0, +), 10)
        shortIntervals = r.staffing.shortIntervals
        scheduledServiceLevel = r.staffing.scheduledServiceLevel.map { round($0) }
        simulatedServiceLevel = r.staffing.simulatedServiceLevel.map { round($0) }
        rows = r.staffing.rows.map { row in
            Row(
                start: ScheduleRules.clock(row.startMinute), forecastCalls: round(row.forecastCalls, 10), agents: row.requirement.agents,
                scheduledAgents: round(row.scheduledAgents, 100), requiredScheduledAgents: row.requirement.scheduledAgents,
                rosteredAgents: row.rosteredAgents, serviceLevel: round(row.requirement.serviceLevel),
                averageSpeedOfAnswer: row.requirement.averageSpeedOfAnswer.isFinite ? round(row.requirement.averageSpeedOfAnswer, 10) : nil,
                scheduledServiceLevel: row.scheduledServiceLevel.map { round($0) }, simulatedServiceLevel: row.simulatedServiceLevel.map { round($0) },
                short: row.isShort)
        }
    }
}

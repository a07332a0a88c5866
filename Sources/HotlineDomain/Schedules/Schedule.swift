import Foundation

/// 班组: a team of agents with its leader. An agent is in at most one team.
public struct Team: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    /// 班组长: a user id (usually a member), nil when none is named.
    public var leaderID: String?
    /// The agents' user ids, in the order they were listed.
    public var members: [String]

    public init(id: Int64, name: String, leaderID: String?, members: [String]) {
        self.id = id
        self.name = name
        self.leaderID = leaderID
        self.members = members
    }
}

/// 休息 inside a shift (用餐、小休): starts `startMinute` after midnight and lasts `minutes`.
public struct ShiftBreak: Sendable, Equatable, Codable, Hashable {
    public var startMinute: Int
    public var minutes: Int

    public init(startMinute: Int, minutes: Int) {
        self.startMinute = startMinute
        self.minutes = minutes
    }

    public var endMinute: Int { startMinute + minutes }
}

/// 班次: a named span of the day (早班 8:00–16:00 …) with its breaks. A shift lies within one day: it starts at or
/// after 00:00 and ends at 24:00 at the latest.
public struct ShiftTemplate: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var startMinute: Int
    public var endMinute: Int
    public var breaks: [ShiftBreak]

    public init(id: Int64, name: String, startMinute: Int, endMinute: Int, breaks: [ShiftBreak]) {
        self.id = id
        self.name = name
        self.startMinute = startMinute
        self.endMinute = endMinute
        self.breaks = breaks
    }
}

/// What one roster entry means for an agent on a day.
public enum RosterKind: String, Sendable, Codable, CaseIterable {
    /// 上班: on the phones for the shift, breaks excepted.
    case shift
    /// 备班: on call for the shift's hours, not counted in coverage until called in (调用).
    case standby
    /// 休息: a day off.
    case rest

    public var chineseName: String {
        switch self {
        case .shift: "上班"
        case .standby: "备班"
        case .rest: "休息"
        }
    }
}

/// One line of the roster (排班): an agent's shift, standby or day off on one day. A shift and a standby carry the
/// hours and breaks they were given (copied from the template, then edited per person), so a template edited later does
/// not change a roster already made.
public struct RosterEntry: Sendable, Equatable, Codable {
    public var day: CivilDay
    public var agentID: String
    public var kind: RosterKind
    /// The template it came from (nil for a day off).
    public var shiftID: Int64?
    public var shiftName: String
    public var startMinute: Int
    public var endMinute: Int
    public var breaks: [ShiftBreak]
    /// When a standby agent was called in (备班调用), and by whom; from then on they count.
    public var calledInAt: Date?
    public var calledInBy: String?

    public init(
        day: CivilDay, agentID: String, kind: RosterKind, shiftID: Int64? = nil, shiftName: String = "", startMinute: Int = 0, endMinute: Int = 0,
        breaks: [ShiftBreak] = [], calledInAt: Date? = nil, calledInBy: String? = nil
    ) {
        self.day = day
        self.agentID = agentID
        self.kind = kind
        self.shiftID = shiftID
        self.shiftName = shiftName
        self.startMinute = startMinute
        self.endMinute = endMinute
        self.breaks = breaks
        self.calledInAt = calledInAt
        self.calledInBy = calledInBy
    }

    /// An entry of `kind` for `template` (its hours and breaks unless `breaks` replaces them).
    public init(day: CivilDay, agentID: String, kind: RosterKind, template: ShiftTemplate, breaks: [ShiftBreak]? = nil) {
        self.init(
            day: day, agentID: agentID, kind: kind, shiftID: template.id, shiftName: template.name, startMinute: template.startMinute,
            endMinute: template.endMinute, breaks: breaks ?? template.breaks)
    }

    /// Whether the entry puts the agent on the phones: a shift, or a standby once called in.
    public var counts: Bool { kind == .shift || (kind == .standby && calledInAt != nil) }

    /// The minute of the day from which the entry counts: its start, or for a standby the call-in time when later.
    public var countsFromMinute: Int {
        guard kind == .standby, let at = calledInAt else { return startMinute }
        let minute = Int(at.timeIntervalSince(day.start) / 60)
        return min(max(startMinute, minute), endMinute)
    }
}

/// Why a schedule input is refused: the field as the API names it and a message in Chinese.
public struct ScheduleError: Error, Equatable, Sendable {
    public var field: String
    public var message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }
}

/// The rules of the roster (排班规则), one place for every front end.
public enum ScheduleRules {
    /// The most breaks a shift may have.
    public static let maximumBreaks = 6
    public static let maximumNameLength = 20

    /// "08:30" for 510; "24:00" for 1440.
    public static func clock(_ minute: Int) -> String { String(format: "%02d:%02d", minute / 60, minute % 60) }

    /// 510 for "08:30" or "8:30"; "24:00" is 1440 (a shift's end); nil for anything else.
    public static func minute(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0...24).contains(h), (0..<60).contains(m), h * 60 + m <= 1440
        else { return nil }
        return h * 60 + m
    }

    /// A template checked: a name, a span within the day of at least 30 minutes, breaks inside it that do not overlap.
    public static func check(_ t: ShiftTemplate) throws(ScheduleError) -> ShiftTemplate {
        var t = t
        t.name = t.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !t.name.isEmpty else { throw ScheduleError("name", "请填写班次名称") }
        guard t.name.count <= maximumNameLength else { throw ScheduleError("name", "班次名称不能超过\(maximumNameLength)字") }
        guard (0..<1440).contains(t.startMinute) else { throw ScheduleError("start", "开始时间应为00:00到23:59之间的时刻") }
        guard t.endMinute <= 1440, t.endMinute >= t.startMinute + 30 else { throw ScheduleError("end", "结束时间应晚于开始时间至少30分钟，最晚24:00") }
        t.breaks = try check(breaks: t.breaks, within: [(t.startMinute, t.endMinute)])
        return t
    }

    /// Breaks checked against the spans they must fall in: each of 5 to 120 minutes, inside one span, none overlapping.
    public static func check(breaks: [ShiftBreak], within spans: [(start: Int, end: Int)]) throws(ScheduleError) -> [ShiftBreak] {
        guard breaks.count <= maximumBreaks else { throw ScheduleError("breaks", "一个班次最多\(maximumBreaks)段休息") }
        let sorted = breaks.sorted { $0.startMinute < $1.startMinute }
        for b in sorted {
            guard (5...120).contains(b.minutes) else { throw ScheduleError("breaks", "每段休息应为5到120分钟") }
            guard spans.contains(where: { b.startMinute >= $0.start && b.endMinute <= $0.end }) else {
                throw ScheduleError("breaks", "休息\(clock(b.startMinute))起\(b.minutes)分钟不在班次时间内")
            }
        }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.startMinute < a.endMinute {
            throw ScheduleError("breaks", "休息\(clock(a.startMinute))与\(clock(b.startMinute))时间重叠")
        }
        return sorted
    }

    /// One agent's entries for one day checked: a day off alone; at most one standby; shifts and standby that do not
    /// overlap; breaks inside their own entry.
    public static func check(day entries: [RosterEntry]) throws(ScheduleError) {
        if entries.contains(where: { $0.kind == .rest }), entries.count > 1 { throw ScheduleError("kind", "休息日不能再排班次") }
        if entries.filter({ $0.kind == .standby }).count > 1 { throw ScheduleError("kind", "一天只能排一个备班") }
        let working = entries.filter { $0.kind != .rest }.sorted { $0.startMinute < $1.startMinute }
        for (a, b) in zip(working, working.dropFirst()) where b.startMinute < a.endMinute {
            throw ScheduleError(
                "shift_ids", "\(a.shiftName)（\(clock(a.startMinute))–\(clock(a.endMinute))）与\(b.shiftName)（\(clock(b.startMinute))–\(clock(b.endMinute))）时间重叠")
        }
        for e in working { _ = try check(breaks: e.breaks, within: [(e.startMinute, e.endMinute)]) }
    }

    /// Every team checked together: names present and distinct, an agent in at most one team, a leader among the members.
    public static func check(teams: [Team], isAgent: (String) -> Bool) throws(ScheduleError) {
        var names: Set<String> = []
        var placed: [String: String] = [:]
        for team in teams {
            let name = team.name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty else { throw ScheduleError("name", "请填写班组名称") }
            guard name.count <= maximumNameLength else { throw ScheduleError("name", "班组名称不能超过\(maximumNameLength)字") }
            guard names.insert(name).inserted else { throw ScheduleError("name", "已有名为“\(name)”的班组") }
            for member in team.members {
                guard isAgent(member) else { throw ScheduleError("members", "成员“\(member)”不是话务员") }
                if let other = placed[member] { throw ScheduleError("members", "话务员“\(member)”已在“\(other)”班组，一人只能在一个班组") }
                placed[member] = name
            }
            if let leader = team.leaderID, !team.members.contains(leader) { throw ScheduleError("leader_id", "班组长应是本班组成员") }
        }
    }
}

import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage

/// 人力预测: the targets form, where the calls come from, the chart and one row per half hour.
struct StaffingPage: Sendable {
    struct Row: Sendable {
        var time: String
        var calls: String
        var agents: String
        var scheduleNeeded: String
        var scheduled: String
        var rostered: String
        var serviceLevel: String
        var scheduledLevel: String
        var simulatedLevel: String
        var asa: String
        var short: Bool
    }

    var title = "人力预测"
    var user: PageUser?
    var error: String?
    var day: String
    var serviceLevel: String
    var answerSeconds: String
    var aht: String
    var shrinkage: String
    var dailyCalls: String
    /// Where the calls come from, in words; a warning when there is no history.
    var basis: String
    var noHistory: Bool
    var summary: [OrderDetailPage.Fact]
    var chart: String
    var rows: [Row]
    var scheduleHref: String
}

/// 排班表: a week of the roster, agents by team × days; an editor's grid of selects, a reader's text.
struct ScheduleWeekPage: Sendable {
    struct Day: Sendable {
        var label: String
        var href: String
    }
    struct Cell: Sendable {
        var text: String
        var style: String
        /// The select's field name and its options (editors), the value it started with.
        var field: String
        var originalField: String
        var original: String
        var options: [PageOption]
        var editHref: String
        var label: String
    }
    struct Agent: Sendable {
        var name: String
        var leader: Bool
        var cells: [Cell]
    }
    struct Group: Sendable {
        var name: String
        var agents: [Agent]
    }

    var title: String
    var user: PageUser?
    var notice: String?
    var error: String?
    var heading: String
    var week: String
    var previousHref: String
    var nextHref: String
    var thisWeekHref: String
    var previousWeek: String
    var days: [Day]
    var groups: [Group]
    var editable: Bool
    var isOwn: Bool
    var emptyText: String?
    var shiftsText: [String]
    var setupHref = WebRoutes.scheduleSetup
    var staffingHref: String?
}

/// 排班·日覆盖: a day's agents on the phones per half hour against the requirement, and who works it.
struct ScheduleDayPage: Sendable {
    struct Interval: Sendable {
        var time: String
        var required: String
        var scheduled: String
        var rostered: String
        var standby: String
        var short: Bool
    }
    struct Person: Sendable {
        var name: String
        var team: String
        var kind: String
        var hours: String
        var breaks: String
        var calledIn: String?
        var callInAgent: String?
    }

    var title: String
    var user: PageUser?
    var notice: String?
    var error: String?
    var heading: String
    var day: String
    var weekHref: String
    var previousHref: String
    var nextHref: String
    var requirementNote: String
    var hasRequirement: Bool
    var shortCount: String
    var intervals: [Interval]
    var people: [Person]
    var editable: Bool
    /// The coverage of the whole floor; not for an agent, who sees only their own day.
    var showCoverage = true
}

/// One cell of the roster edited in full: one or two shifts or a standby, and this person's breaks.
struct ScheduleCellPage: Sendable {
    struct BreakRow: Sendable {
        var index: Int
        var start: String
        var minutes: String
    }

    var title = "调整排班"
    var user: PageUser?
    var error: String?
    var heading: String
    var day: String
    var agent: String
    var kinds: [PageOption]
    var firstShift: [PageOption]
    var secondShift: [PageOption]
    var breaks: [BreakRow]
    var backHref: String
}

/// 班组与班次: the teams with their members and the shift templates, each with its form.
struct ScheduleSetupPage: Sendable {
    struct TeamForm: Sendable {
        var id: String
        var heading: String
        var name: String
        var leaders: [PageOption]
        var members: [PageOption]
    }
    struct ShiftForm: Sendable {
        var id: String
        var heading: String
        var name: String
        var start: String
        var end: String
        var breaks: [ScheduleCellPage.BreakRow]
    }

    var title = "班组与班次"
    var user: PageUser?
    var notice: String?
    var error: String?
    var teams: [TeamForm]
    var shifts: [ShiftForm]
    var editable: Bool
    var backHref = WebRoutes.schedules
}

extension ScheduleRules {
    /// "早班 08:00–16:00（休息12:00起60分钟）".
    static func describe(_ e: RosterEntry) -> String {
        switch e.kind {
        case .rest: return "休息"
        case .shift, .standby:
            let hours = clock(e.startMinute) + "–" + clock(e.endMinute)
            return (e.kind == .standby ? "备班·" : "") + e.shiftName + " " + hours
        }
    }

    static func describe(breaks: [ShiftBreak]) -> String {
        breaks.isEmpty ? "无" : breaks.map { "\(clock($0.startMinute))起\($0.minutes)分钟" }.joined(separator: "、")
    }
}

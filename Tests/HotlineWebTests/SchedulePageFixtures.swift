import Foundation
import HotlineDomain

@testable import HotlineWeb

// Fixtures of the schedule and staffing pages for the snapshot tests.

// `PageUser.agentFixture` is in QualityPageFixtures.swift.

extension StaffingPage {
    static let fixture: StaffingPage = {
        let calls: [Double] = [10, 40, 80, 60]
        return StaffingPage(
            user: .supervisorFixture, error: nil, day: "2025-03-04", serviceLevel: "0.8", answerSeconds: "20", aht: "", shrinkage: "0.3",
            dailyCalls: "", basis: "按近84天的话务历史预测（周二的话务规律、节假日与调休、近期趋势）。", noHistory: false,
            summary: [.init(label: "预测来电", value: "190个"), .init(label: "缺口时段", value: "1个")],
            chart: StaffingChart(title: "2025-03-04 各时段预测来电、在线需求与排班在线人数", labels: ["09:00", "09:30", "10:00", "10:30"], calls: calls,
                                 required: [3, 8, 14, 11], scheduled: [4, 8, 12.5, 12]).svg,
            rows: [
                Row(time: "10:00", calls: "80.0", agents: "14", scheduleNeeded: "20", scheduled: "12.5", rostered: "14", serviceLevel: "83.1%",
                    scheduledLevel: "61.0%", simulatedLevel: "60.2%", asa: "11.4秒", short: true),
                Row(time: "10:30", calls: "60.0", agents: "11", scheduleNeeded: "16", scheduled: "12", rostered: "12", serviceLevel: "85.0%",
                    scheduledLevel: "92.3%", simulatedLevel: "91.8%", asa: "6.2秒", short: false),
            ], scheduleHref: "/schedules/day?day=2025-03-04")
    }()
}

extension ScheduleWeekPage {
    static let fixture: ScheduleWeekPage = {
        let options = [PageOption(value: "", label: "未排"), PageOption(value: "rest", label: "休息"), PageOption(value: "shift:1", label: "早班", selected: true),
                       PageOption(value: "standby:1", label: "备班·早班")]
        func cell(_ day: String, _ text: String, _ style: String, _ value: String) -> Cell {
            Cell(text: text, style: style, field: "c:agent:\(day)", originalField: "o:agent:\(day)", original: value, options: options,
                 editHref: "/schedules/cell?day=\(day)&agent=agent", label: "话务员 王丽 \(day)")
        }
        return ScheduleWeekPage(
            title: "排班表", user: .supervisorFixture, notice: "排班已保存。", error: "3月4日 周二 话务员 王丽：班次：早班（08:00–16:00）与中班（10:00–18:00）时间重叠",
            heading: "排班表 3月3日–3月9日", week: "2025-03-03", previousHref: "/schedules?week=2025-02-24", nextHref: "/schedules?week=2025-03-10",
            thisWeekHref: "/schedules", previousWeek: "2月24日–3月2日",
            days: [.init(label: "3月3日 周一", href: "/schedules/day?day=2025-03-03"), .init(label: "3月4日 周二", href: "/schedules/day?day=2025-03-04")],
            groups: [.init(name: "一班", agents: [.init(name: "话务员 王丽", leader: true, cells: [
                cell("2025-03-03", "早班 08:00–16:00", "shift", "shift:1"), cell("2025-03-04", "休息", "rest", "rest"),
            ])])],
            editable: true, isOwn: false, emptyText: nil, shiftsText: ["早班 08:00–16:00，休息11:30起30分钟"], staffingHref: "/staffing")
    }()
}

extension ScheduleDayPage {
    static let fixture = ScheduleDayPage(
        title: "排班覆盖", user: .supervisorFixture, notice: "已调用备班，该话务员从现在起计入在岗人数。", error: nil, heading: "排班覆盖 3月4日 周二",
        day: "2025-03-04", weekHref: "/schedules?week=2025-03-04", previousHref: "/schedules/day?day=2025-03-03", nextHref: "/schedules/day?day=2025-03-05",
        requirementNote: "按人力预测的默认目标（20秒内接通80%，缩减率30%）测算需求。", hasRequirement: true, shortCount: "有1个时段在岗人数少于需求（红色标出）。",
        intervals: [
            .init(time: "10:00–10:30", required: "14", scheduled: "12.5", rostered: "14", standby: "1", short: true),
            .init(time: "10:30–11:00", required: "11", scheduled: "12", rostered: "12", standby: "1", short: false),
        ],
        people: [
            .init(name: "话务员 王丽", team: "一班", kind: "上班", hours: "08:00–16:00", breaks: "11:30起30分钟", calledIn: nil, callInAgent: nil),
            .init(name: "话务员 李强", team: "一班", kind: "备班", hours: "10:00–18:00", breaks: "无", calledIn: nil, callInAgent: "agent2"),
        ], editable: true)
}

extension ScheduleCellPage {
    static let fixture = ScheduleCellPage(
        user: .supervisorFixture, error: "休息：休息17:00起15分钟不在班次时间内", heading: "调整排班：话务员 王丽 3月4日 周二", day: "2025-03-04", agent: "agent",
        kinds: PageOption.list([("shift", "上班"), ("standby", "备班"), ("rest", "休息"), ("none", "未排")], selected: "shift"),
        firstShift: [PageOption(value: "", label: "（请选择）"), PageOption(value: "1", label: "早班 08:00–16:00", selected: true)],
        secondShift: [PageOption(value: "", label: "（不排第二个班次）", selected: true), PageOption(value: "1", label: "早班 08:00–16:00")],
        breaks: [.init(index: 1, start: "17:00", minutes: "15"), .init(index: 2, start: "", minutes: "")], backHref: "/schedules?week=2025-03-04")
}

extension ScheduleSetupPage {
    static let fixture = ScheduleSetupPage(
        user: .supervisorFixture, notice: "班组已保存。", error: nil,
        teams: [.init(id: "1", heading: "班组：一班", name: "一班", leaders: [PageOption(value: "agent", label: "话务员 王丽", selected: true)],
                      members: [PageOption(value: "agent", label: "话务员 王丽", selected: true), PageOption(value: "agent2", label: "话务员 李强")])],
        shifts: [.init(id: "1", heading: "班次：早班", name: "早班", start: "08:00", end: "16:00", breaks: [.init(index: 1, start: "11:30", minutes: "30")])],
        editable: true)
}

import Foundation
import HotlineDomain
import HotlineStorage
import Hummingbird

/// The supervision board (督办看板).
extension PageController {
    func supervisionBoard(_ s: Signed) async throws -> SupervisionPage {
        guard SupervisionPage.roles.contains(s.user.role) else {
            throw APIError(.forbidden, code: "forbidden", message: "\(s.user.role.chineseName)无权查看督办看板")
        }
        let now = clock()
        let ref = services.reference
        let calendar = ref.context.calendar
        func unit(_ id: UnitID?) -> String { id.flatMap(ref.unitName) ?? id ?? "—" }
        let today = CivilDay(containing: now).components
        let monthStart = CivilDay(year: today.year, month: today.month, day: 1) ?? CivilDay(containing: now)

        // 超期在办: one definition (`OrderFilter.overdueAtUnits`) for this board, the supervisor's home tile and their lists.
        let overdue = HomeQueues.overdueAtUnits
        let longest = try await desk.list(overdue.filter, page: PageRequest(page: 1, size: 10, sort: .due), for: s.user.actor, now: now)
        let perUnit = try await desk.overdueByUnit(for: s.user.actor, now: now)
        let tallies = try await services.supervision.tallies(since: monthStart.start)
        let escalated = try await services.supervision.openEscalated(limit: 10)
        let escalatedCount = try await services.supervision.openEscalatedCount()
        let recent = try await services.supervision.recent(limit: 15)
        // 协调督办: one definition (`OrderFilter.coordination`) for this board, the homes' tile and their lists.
        let coordination = HomeQueues.coordination
        let waiting = try await desk.list(coordination.filter, page: PageRequest(page: 1, size: 10, sort: .oldest), for: s.user.actor, now: now)
        // 督办关注: the same count and list as the supervisor's home tile (`HomeQueues.supervisionFlagged`), from its partial index.
        let flagged = HomeQueues.supervisionFlagged
        let flaggedPage = try await desk.list(flagged.filter, page: .totalOnly, for: s.user.actor, now: now)

        // One row per unit with overdue orders or supervision this month, overdue units first.
        var units: [UnitID: SupervisionPage.UnitRow] = [:]
        var order: [UnitID] = []
        func row(_ id: UnitID) -> SupervisionPage.UnitRow {
            // The unit's count is by lead unit (主办), and so is the list it opens.
            var f = overdue.filter
            f.leadUnit = id
            return .init(unit: unit(id), overdue: "0", overdueHref: WebRoutes.orders(f), urges: "0", yellowCards: "0", redCards: "0", hot: false)
        }
        for c in perUnit {
            order.append(c.unit)
            units[c.unit] = row(c.unit)
            units[c.unit]?.overdue = String(c.count)
        }
        for t in tallies {
            if units[t.unit] == nil {
                order.append(t.unit)
                units[t.unit] = row(t.unit)
            }
            units[t.unit]?.urges = String(t.urges)
            units[t.unit]?.yellowCards = String(t.yellowCards)
            units[t.unit]?.redCards = String(t.redCards)
            units[t.unit]?.hot = t.redCards > 0
        }
        let yellow = tallies.reduce(0) { $0 + $1.yellowCards }
        let red = tallies.reduce(0) { $0 + $1.redCards }
        let overdueCount = longest.totalIsExact ? String(longest.total) : "\(longest.total)+"
        let tiles = [
            QueueTile(label: overdue.label, count: overdueCount, hint: overdue.hint, urgent: longest.total > 0, href: WebRoutes.orders(overdue.filter)),
            QueueTile(label: coordination.label, count: waiting.totalIsExact ? String(waiting.total) : "\(waiting.total)+", hint: coordination.hint,
                      urgent: waiting.total > 0, href: WebRoutes.orders(coordination.filter)),
            QueueTile(label: "提级督办中", count: String(escalatedCount), hint: ref.context.escalationRule.description, urgent: false),
            QueueTile(label: flagged.label, count: flaggedPage.totalIsExact ? String(flaggedPage.total) : "\(flaggedPage.total)+", hint: flagged.hint,
                      urgent: flaggedPage.total > 0, href: WebRoutes.orders(flagged.filter)),
            QueueTile(label: "本月黄牌", count: String(yellow), hint: "自 \(monthStart) 起", urgent: false),
            QueueTile(label: "本月红牌", count: String(red), hint: "自 \(monthStart) 起", urgent: red > 0),
        ]
        func row(_ m: SupervisionStore.Mark) -> SupervisionPage.OrderRow {
            .init(number: m.order.description, href: WebRoutes.order(m.order.description), title: m.title, status: m.status.chineseName, unit: unit(m.unit),
                  when: m.at.chinaShort, note: m.note, mark: m.kind.chineseName, red: m.kind == .redCard, yellow: m.kind == .yellowCard)
        }
        let overdueRows = longest.items.map { item in
            SupervisionPage.OrderRow(
                number: item.number.description, href: WebRoutes.order(item.number.description), title: item.title, status: item.status.chineseName,
                unit: unit(item.leadUnit), when: OrderListPage.timeLeft(item.dueAt, now: now, calendar: calendar).text, note: nil, mark: "", red: false,
                yellow: false)
        }
        let unitRows = order.compactMap { units[$0] }
        let escalatedRows = escalated.map(row)
        let recentRows = recent.map(row)
        let coordinationRows = waiting.items.map { item in
            SupervisionPage.OrderRow(
                number: item.number.description, href: WebRoutes.order(item.number.description), title: item.title, status: item.status.chineseName,
                unit: item.leadUnit.map { unit($0) } ?? "中心", when: "受理于 " + item.createdAt.chinaShort, note: nil, mark: "", red: false, yellow: false)
        }
        return SupervisionPage(
            user: pageUser(s), tiles: tiles, units: unitRows, hasUnits: !unitRows.isEmpty, overdue: overdueRows, hasOverdue: !overdueRows.isEmpty,
            escalated: escalatedRows, hasEscalated: !escalatedRows.isEmpty, recent: recentRows, hasRecent: !recentRows.isEmpty, since: monthStart.description,
            coordination: coordinationRows, hasCoordination: !coordinationRows.isEmpty, coordinationHref: WebRoutes.orders(coordination.filter))
    }
}

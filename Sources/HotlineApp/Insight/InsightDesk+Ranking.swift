import Foundation
import HotlineDomain
import HotlineStorage

/// 考评排名: the units ranked by a month's weighted score, each kind of unit among its own kind (分类考评: districts among
/// districts, city departments among departments, streets among streets…), as centres rank them.
public struct UnitRanking: Sendable {
    public struct Row: Sendable {
        /// 1 for the best score in its group; units without a score come last in their group, unranked (nil).
        public var place: Int?
        public var unit: UnitID
        public var name: String
        /// The group the unit is ranked in: its kind.
        public var group: UnitKind
        public var figures: MeasureFigures
        public var yellowCards: Int
        public var redCards: Int
        public var score: Double?
    }

    /// The month, e.g. `2026-11`.
    public var month: String
    public var from: CivilDay
    public var to: CivilDay
    /// The rows the actor may see (every unit for the centre, the unit's own subtree for a unit's people), group by
    /// group in ``groupOrder``, best first within each.
    public var rows: [Row]
    /// How many units the month ranks in all.
    public var ranked: Int
    /// How many units each group ranks (groups with none are left out).
    public var rankedByGroup: [UnitKind: Int]
    public var settings: MeasureSettings

    /// The order groups are shown in: districts and departments first, as centres publish them.
    public static let groupOrder: [UnitKind] = [.district, .department, .utility, .street, .community, .centre]

    /// The groups with rows, in ``groupOrder``.
    public var groups: [UnitKind] { Self.groupOrder.filter { g in rows.contains { $0.group == g } } }

    /// Sorts `rows` group by group in ``groupOrder``, best score first within a group (rows without a score last, in
    /// `tieBreak`'s order, which also orders equal scores), and sets each scored row's place in its group; equal scores
    /// share a place (1, 2, 2, 4). Returns how many rows each group ranks.
    public static func rank<Row>(
        _ rows: inout [Row], group: (Row) -> UnitKind, score: (Row) -> Double?, tieBreak: (Row, Row) -> Bool, place: (inout Row, Int) -> Void
    ) -> [UnitKind: Int] {
        let groupIndex = Dictionary(uniqueKeysWithValues: groupOrder.enumerated().map { ($1, $0) })
        rows.sort { a, b in
            if group(a) != group(b) { return groupIndex[group(a)]! < groupIndex[group(b)]! }
            switch (score(a), score(b)) {
            case let (x?, y?) where x != y: return x > y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return tieBreak(a, b)
            }
        }
        var ranked: [UnitKind: Int] = [:]
        var current = 0
        for i in rows.indices {
            guard let s = score(rows[i]) else { continue }
            let g = group(rows[i])
            let first = ranked[g] == nil
            ranked[g, default: 0] += 1
            if first || s != score(rows[i - 1]) { current = ranked[g]! }
            place(&rows[i], current)
        }
        return ranked
    }
}

extension InsightDesk {
    /// Parses a month (`YYYY-MM`); the current one when left out.
    public static func month(_ text: String?, today: CivilDay) throws(AppError) -> (from: CivilDay, to: CivilDay, key: String) {
        let c = today.components
        var year = c.year
        var month = c.month
        if let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            let parts = text.split(separator: "-")
            guard parts.count == 2, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m), y >= 2000 else {
                throw .invalid(field: "month", message: "月份应为形如2026-01的年月")
            }
            year = y
            month = m
        }
        guard let first = CivilDay(year: year, month: month, day: 1) else { throw .invalid(field: "month", message: "月份应为形如2026-01的年月") }
        let next = month == 12 ? CivilDay(year: year + 1, month: 1, day: 1)! : CivilDay(year: year, month: month + 1, day: 1)!
        return (first, next.adding(days: -1), String(format: "%04d-%02d", year, month))
    }

    /// The month's ranking (考评排名): every unit with orders it led that were accepted in the month, or cards given in it,
    /// with its rates, its cards of the month, its open overdue orders and its score; each kind of unit ranked among its
    /// own kind, best score first. A unit's people see the rows of their own subtree with each one's place in its group.
    public func ranking(month text: String?, for actor: Actor, at now: Date) async throws -> UnitRanking {
        try require(.viewMeasures, actor)
        let root = try scopeRoot(actor)
        let (from, to, key) = try Self.month(text, today: CivilDay(containing: now))
        let settings = try await store.settings()
        var counts: [UnitID: MeasureCounts] = [:]
        for s in try await store.sums(.unit, from: from, to: to) where !s.key.isEmpty { counts[s.key, default: MeasureCounts()] += s.counts }
        var late: [UnitID: Int] = [:]
        for o in try await store.openOverdueCounts(from: from, to: to, at: now) { if let unit = o.unit { late[unit, default: 0] += o.count } }
        let cards = try await store.cards(from: from.start, to: to.adding(days: 1).start)
        let units = Set(counts.keys).union(late.keys).union(cards.keys)
        var rows = units.map { unit -> UnitRanking.Row in
            let figures = MeasureFigures(counts: counts[unit] ?? MeasureCounts(), openOverdue: late[unit] ?? 0)
            let c = cards[unit] ?? (0, 0)
            return UnitRanking.Row(
                place: nil, unit: unit, name: reference.unitName(unit) ?? unit, group: reference.unitKind(unit) ?? .department, figures: figures,
                yellowCards: c.yellow, redCards: c.red, score: settings.score(figures, yellowCards: c.yellow, redCards: c.red))
        }
        let rankedByGroup = UnitRanking.rank(&rows, group: \.group, score: \.score, tieBreak: { a, b in
            (a.figures.counts.dispatched, b.name) > (b.figures.counts.dispatched, a.name)
        }, place: { $0.place = $1 })
        let ranked = rankedByGroup.values.reduce(0, +)
        if let root {
            let hierarchy = reference.context.units
            rows = rows.filter { hierarchy.isWithin($0.unit, root) }
        }
        return UnitRanking(month: key, from: from, to: to, rows: rows, ranked: ranked, rankedByGroup: rankedByGroup, settings: settings)
    }

    /// The measures' settings (指标设置).
    public func settings(for actor: Actor) async throws -> MeasureSettings {
        try require(.viewMeasures, actor)
        return try await store.settings()
    }

    /// Changes the measures' settings (managers and admins), audited.
    public func changeSettings(_ settings: MeasureSettings, by actor: Actor, at now: Date) async throws {
        try require(.manageMeasures, actor)
        if let problem = settings.problem { throw AppError.invalid(field: problem.field, message: problem.message) }
        let detail = "基本满意计入比例 \(MeasureDefinition.number(settings.basicSatisfactionWeight))，权重 响应率 \(MeasureDefinition.number(settings.responseWeight))、"
            + "解决率 \(MeasureDefinition.number(settings.resolutionWeight))、满意率 \(MeasureDefinition.number(settings.satisfactionWeight))、"
            + "按时办结率 \(MeasureDefinition.number(settings.onTimeWeight))，黄牌扣 \(MeasureDefinition.number(settings.yellowCardPenalty))、"
            + "红牌扣 \(MeasureDefinition.number(settings.redCardPenalty))"
        try await store.setSettings(settings, audit: AuditEntry(at: now, actor: actor, action: .measureSettingsChanged, detail: detail))
    }
}

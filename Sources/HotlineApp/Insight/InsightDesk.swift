import Foundation
import HotlineDomain
import HotlineStorage

/// The measures and the unit ranking (考评指标, 考评排名) within the acting user's data scope, from the rollups the order
/// writes keep (`MeasureStore`): the centre's roles that may read them see the whole city, a unit admin the orders led
/// by its unit or a unit below it. Reports and analyses build on ``measures(_:for:at:)``'s typed rows.
public struct InsightDesk: Sendable {
    let services: HotlineServices

    public init(services: HotlineServices) { self.services = services }

    var store: MeasureStore { services.measures }
    var reference: ReferenceData { services.reference }

    func require(_ capability: Capability, _ actor: Actor) throws(AppError) {
        guard capability.isAllowed(for: actor.role) else { throw .lacks(capability, role: actor.role) }
    }

    /// The unit subtree the actor's figures are limited to; nil for the whole city.
    func scopeRoot(_ actor: Actor) throws(AppError) -> UnitID? {
        switch actor.scope {
        case .all: return nil
        case .subtree(let root): return root
        case .none: throw .lacks(.viewMeasures, role: actor.role)
        }
    }

    /// The measures of `query` for `actor`.
    public func measures(_ query: MeasureQuery, for actor: Actor, at now: Date) async throws -> MeasureReport {
        try require(.viewMeasures, actor)
        let root = try scopeRoot(actor)
        let settings = try await store.settings()
        let units = reference.context.units
        let inScope: Set<UnitID>? = root.map { Set(units.subtree(of: $0)) }
        // 超期未办结, counted in the database by lead unit and the grouping's key, within the actor's scope.
        let overdueKey: MeasureStore.OverdueKey = switch query.by {
        case .unit: .none
        case .category: .category
        case .district: .district
        case .channel: .channel
        case .kind: .kind
        case .day, .week, .month, .year: .day
        }
        let overdue = try await store.openOverdueCounts(from: query.from, to: query.to, at: now, by: overdueKey)
            .filter { o in inScope.map { scope in o.unit.map(scope.contains) ?? false } ?? true }

        // The total: the city's `all` rollup, or the sum of the units in scope.
        let totalCounts: MeasureCounts
        if let inScope {
            totalCounts = try await store.sums(.unit, from: query.from, to: query.to, keys: inScope.sorted()).reduce(MeasureCounts()) { $0 + $1.counts }
        } else {
            totalCounts = try await store.sums(.all, from: query.from, to: query.to).reduce(MeasureCounts()) { $0 + $1.counts }
        }
        let total = MeasureReport.Row(key: "", name: root.flatMap(reference.unitName).map { "\($0)（含下级）" } ?? "全市", figures: MeasureFigures(
            counts: totalCounts, openOverdue: overdue.reduce(0) { $0 + $1.count }), subtree: nil)

        var rows: [MeasureReport.Row]
        switch query.by {
        case .unit:
            rows = try await unitRows(query, inScope: inScope, overdue: overdue)
        case .category, .district, .channel, .kind:
            rows = try await dimensionRows(query, inScope: inScope, overdue: overdue)
        case .day, .week, .month, .year:
            rows = try await periodRows(query, inScope: inScope, overdue: overdue)
        }
        if !query.by.isPeriod {
            rows.sort { ($0.figures.counts.accepted, $1.name) > ($1.figures.counts.accepted, $0.name) }
        }
        return MeasureReport(
            query: query, rows: rows, total: total, settings: settings,
            definitions: MeasureDefinition.all(basicWeight: settings.basicSatisfactionWeight), scopeUnit: root)
    }

    func unitRows(_ q: MeasureQuery, inScope: Set<UnitID>?, overdue: [MeasureStore.OverdueCount]) async throws -> [MeasureReport.Row] {
        let units = reference.context.units
        let sums = try await store.sums(.unit, from: q.from, to: q.to, keys: inScope?.sorted())
        var own: [String: MeasureCounts] = [:]
        for s in sums { own[s.key, default: MeasureCounts()] += s.counts }
        var late: [String: Int] = [:]
        for o in overdue { late[o.unit ?? "", default: 0] += o.count }
        var keys = Set(own.keys).union(late.keys)
        if let inScope { keys.formUnion(inScope) }
        return keys.sorted().compactMap { key -> MeasureReport.Row? in
            var counts = own[key] ?? MeasureCounts()
            var lateCount = late[key] ?? 0
            if q.subtree, !key.isEmpty {
                for unit in units.subtree(of: key) where unit != key {
                    counts += own[unit] ?? MeasureCounts()
                    lateCount += late[unit] ?? 0
                }
            }
            guard !counts.isZero || lateCount > 0 || inScope != nil else { return nil }
            let name = key.isEmpty ? "热线中心（未派单）" : (reference.unitName(key) ?? key)
            return MeasureReport.Row(key: key, name: name, figures: MeasureFigures(counts: counts, openOverdue: lateCount), subtree: key.isEmpty ? nil : q.subtree)
        }
    }

    func dimensionRows(_ q: MeasureQuery, inScope: Set<UnitID>?, overdue: [MeasureStore.OverdueCount]) async throws -> [MeasureReport.Row] {
        let dimension: MeasureStore.Dimension = switch q.by {
        case .category: .category
        case .district: .district
        case .channel: .channel
        default: .kind
        }
        // A category counts under its first level (一级分类), following the tree's parent links.
        let tree = reference.context.categoryTree
        func group(_ key: String) -> String {
            dimension == .category && !key.isEmpty ? (tree.lineage(of: key).last ?? key) : key
        }
        var sums: [String: MeasureCounts] = [:]
        if let inScope {
            // A unit's people: the unit-by-dimension rollups of the units in scope.
            for s in try await store.sums(dimension, perUnit: true, from: q.from, to: q.to) {
                guard let (unit, key) = MeasureStore.splitUnitKey(s.key), inScope.contains(unit) else { continue }
                sums[group(key), default: MeasureCounts()] += s.counts
            }
        } else {
            for s in try await store.sums(dimension, from: q.from, to: q.to) { sums[group(s.key), default: MeasureCounts()] += s.counts }
        }
        var late: [String: Int] = [:]
        for o in overdue { late[group(o.key), default: 0] += o.count }
        return Set(sums.keys).union(late.keys).sorted().map { key in
            MeasureReport.Row(key: key, name: name(key, dimension), figures: MeasureFigures(counts: sums[key] ?? MeasureCounts(), openOverdue: late[key] ?? 0),
                              subtree: nil)
        }
    }

    func name(_ key: String, _ dimension: MeasureStore.Dimension) -> String {
        switch dimension {
        case .category: key.isEmpty ? "未分类" : (reference.categoryName(key) ?? key)
        case .district: key.isEmpty ? "未填写区县" : key
        case .channel: Channel(rawValue: key)?.chineseName ?? key
        case .kind: RequestKind(rawValue: key)?.chineseName ?? key
        case .unit: key.isEmpty ? "热线中心（未派单）" : (reference.unitName(key) ?? key)
        case .all: "全市"
        }
    }

    func periodRows(_ q: MeasureQuery, inScope: Set<UnitID>?, overdue: [MeasureStore.OverdueCount]) async throws -> [MeasureReport.Row] {
        let sums = inScope == nil
            ? try await store.sums(.all, from: q.from, to: q.to, byDay: true)
            : try await store.sums(.unit, from: q.from, to: q.to, keys: inScope!.sorted(), byDay: true)
        var counts: [String: MeasureCounts] = [:]
        var late: [String: Int] = [:]
        for s in sums { if let day = s.day { counts[Self.period(day, q.by), default: MeasureCounts()] += s.counts } }
        for o in overdue {
            guard let ordinal = Int(o.key) else { continue }
            late[Self.period(CivilDay(ordinal: ordinal), q.by), default: 0] += o.count
        }
        // Every period of the query has its row, empty ones too, so a trend has no gaps.
        var keys: [String] = []
        var day = q.from
        while day <= q.to {
            let key = Self.period(day, q.by)
            if keys.last != key { keys.append(key) }
            day = day.adding(days: 1)
        }
        return keys.map { key in
            MeasureReport.Row(key: key, name: Self.periodName(key, q.by), figures: MeasureFigures(counts: counts[key] ?? MeasureCounts(), openOverdue: late[key] ?? 0),
                              subtree: nil)
        }
    }

    /// A day's period key: the day, the Monday of its week, its month or its year.
    static func period(_ day: CivilDay, _ by: MeasureQuery.Grouping) -> String {
        let c = day.components
        switch by {
        case .week: return day.adding(days: -((day.weekday + 6) % 7)).description
        case .month: return String(format: "%04d-%02d", c.year, c.month)
        case .year: return String(c.year)
        default: return day.description
        }
    }

    static func periodName(_ key: String, _ by: MeasureQuery.Grouping) -> String {
        let parts = key.split(separator: "-").compactMap { Int($0) }
        switch by {
        case .year: return "\(key)年"
        case .month where parts.count == 2: return "\(parts[0])年\(parts[1])月"
        case .week where parts.count == 3: return "\(parts[1])月\(parts[2])日起一周"
        case .day where parts.count == 3: return "\(parts[1])月\(parts[2])日"
        default: return key
        }
    }
}

extension HotlineApp {
    /// The measures and the unit ranking (考评指标, 考评排名).
    public var insight: InsightDesk { InsightDesk(services: services) }
}

import Foundation
import HotlineDomain
import HotlineStorage

/// 驻场分析 (Tianmen's method, see ``SpecialistAnalysis``): the departments and matters ranked by their need of a
/// stationed policy specialist, from the measures' rollups; the stationings the managers record, each with its
/// department's direct-answer rate before and after its start. City-wide figures: for the centre's roles that see the
/// whole city (managers, supervisors, admins); managers and admins record stationings.
public struct SpecialistDesk: Sendable {
    let services: HotlineServices

    public init(services: HotlineServices) { self.services = services }

    /// The roles that read the analysis.
    public static let readers: Set<Role> = [.manager, .supervisor, .admin]

    public struct Row: Sendable {
        /// 1 for the highest score.
        public var place: Int
        /// A unit's id or a first-level category's code; "" for 未归属 / 未分类.
        public var key: String
        public var name: String
        public var figures: SpecialistAnalysis.Row
        /// Whether a stationing of this department covers the period's last day.
        public var stationed: Bool
    }

    /// A stationing with its department's direct-answer rate before and after its start.
    public struct Comparison: Sendable {
        public var stationing: Stationing
        public var unitName: String
        public var before: ClosedRange<CivilDay>
        public var after: ClosedRange<CivilDay>
        public var countsBefore: MeasureCounts
        public var countsAfter: MeasureCounts

        public var rateBefore: Double? { SpecialistAnalysis.Row(key: "", counts: countsBefore).directAnswerRate }
        public var rateAfter: Double? { SpecialistAnalysis.Row(key: "", counts: countsAfter).directAnswerRate }
        /// The change in percentage points; nil when either side has no order.
        public var change: Double? { rateAfter.flatMap { a in rateBefore.map { b in a - b } } }
    }

    public struct Report: Sendable {
        public var from: CivilDay
        public var to: CivilDay
        public var departments: [Row]
        public var categories: [Row]
        public var stationings: [Comparison]
        public var total: MeasureCounts
    }

    /// At most this many stationings are compared (the latest first), so the page stays a bounded number of reads.
    public static let comparedStationings = 20

    func requireReader(_ actor: Actor) throws(AppError) {
        guard Self.readers.contains(actor.role), actor.scope == .all else { throw .lacks(.viewMeasures, role: actor.role) }
    }

    func requireEditor(_ actor: Actor) throws(AppError) {
        guard Capability.manageMeasures.isAllowed(for: actor.role) else { throw .lacks(.manageMeasures, role: actor.role) }
    }

    /// The counts of [from, to] as the analysis takes them: two index ranges of the rollups.
    func input(from: CivilDay, to: CivilDay) async throws -> SpecialistAnalysis.Input {
        let store = services.measures
        var input = SpecialistAnalysis.Input()
        var held: [String: MeasureCounts] = [:]
        for s in try await store.sums(.category, from: from, to: to) { held[s.key, default: MeasureCounts()] += s.counts }
        for s in try await store.sums(.category, perUnit: true, from: from, to: to) {
            guard let (unit, category) = MeasureStore.splitUnitKey(s.key) else { continue }
            input.dispatched[.init(unit: unit, category: category), default: MeasureCounts()] += s.counts
            held[category, default: MeasureCounts()] = (held[category] ?? MeasureCounts()) - s.counts
        }
        input.centre = held.filter { !$0.value.isZero }
        return input
    }

    /// The analysis of the acceptance days [from, to] for `actor`.
    public func report(from: CivilDay, to: CivilDay, for actor: Actor, today: CivilDay) async throws -> Report {
        try requireReader(actor)
        let reference = services.reference
        let catalogue = try await services.catalogue.catalogue()
        let tree = reference.context.categoryTree
        let input = try await input(from: from, to: to)
        let stationings = try await services.stationings.all()
        let stationedNow = Set(stationings.filter { $0.from <= to && ($0.to.map { $0 >= to } ?? true) }.map(\.unitID))

        let departments = SpecialistAnalysis.byDepartment(input, catalogue: catalogue, categories: tree).enumerated().map { i, r in
            Row(place: i + 1, key: r.key, name: r.key.isEmpty ? "未归属（派单目录未列明）" : (reference.unitName(r.key) ?? r.key), figures: r,
                stationed: stationedNow.contains(r.key))
        }
        let categories = SpecialistAnalysis.byCategory(input, categories: tree).enumerated().map { i, r in
            Row(place: i + 1, key: r.key, name: r.key.isEmpty ? "未分类" : (reference.categoryName(r.key) ?? r.key), figures: r, stationed: false)
        }
        var comparisons: [Comparison] = []
        for s in stationings.prefix(Self.comparedStationings) {
            let periods = SpecialistAnalysis.comparisonPeriods(start: s.from, end: s.to, today: today)
            let before = try await self.input(from: periods.before.lowerBound, to: periods.before.upperBound)
            var after = SpecialistAnalysis.Input()
            if s.from <= today { after = try await self.input(from: periods.after.lowerBound, to: periods.after.upperBound) }
            comparisons.append(Comparison(
                stationing: s, unitName: reference.unitName(s.unitID) ?? s.unitID, before: periods.before, after: periods.after,
                countsBefore: SpecialistAnalysis.counts(of: s.unitID, before, catalogue: catalogue, categories: tree),
                countsAfter: SpecialistAnalysis.counts(of: s.unitID, after, catalogue: catalogue, categories: tree)))
        }
        let total = try await services.measures.sums(.all, from: from, to: to).reduce(MeasureCounts()) { $0 + $1.counts }
        return Report(from: from, to: to, departments: departments, categories: categories, stationings: comparisons, total: total)
    }

    /// A stationing as a form or the API gives it.
    public struct StationingInput: Sendable, Decodable {
        public var unitID: String
        public var from: String
        public var to: String?
        public var note: String?

        enum CodingKeys: String, CodingKey {
            case unitID = "unit_id", from, to, note
        }

        public init(unitID: String, from: String, to: String?, note: String?) {
            self.unitID = unitID
            self.from = from
            self.to = to
            self.note = note
        }
    }

    /// Records a stationing; an unknown department, a bad day or an end before the start is refused naming its field.
    public func record(_ input: StationingInput, by actor: Actor, at now: Date, client: String? = nil) async throws -> Stationing {
        try requireEditor(actor)
        let unit = input.unitID.trimmingCharacters(in: .whitespaces)
        guard !unit.isEmpty else { throw AppError.invalid(field: "unit_id", message: "请选择驻场部门") }
        guard services.reference.unitName(unit) != nil else { throw AppError.invalid(field: "unit_id", message: "驻场部门不存在") }
        guard let from = CivilDay(iso: input.from.trimmingCharacters(in: .whitespaces)) else {
            throw AppError.invalid(field: "from", message: "驻场开始日期应为形如2026-01-31的日期")
        }
        var to: CivilDay?
        if let text = input.to?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let day = CivilDay(iso: text) else { throw AppError.invalid(field: "to", message: "驻场结束日期应为形如2026-01-31的日期") }
            guard day >= from else { throw AppError.invalid(field: "to", message: "驻场结束日期不能早于开始日期") }
            to = day
        }
        let note = (input.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard note.count <= 200 else { throw AppError.invalid(field: "note", message: "备注不能超过200字") }
        return try await services.stationings.add(
            unitID: unit, from: from, to: to, note: note, by: actor, at: now,
            audit: AuditEntry(at: now, actor: actor, action: .stationingChanged, detail: "新增驻场安排", client: client))
    }

    /// Removes a stationing recorded by mistake.
    public func remove(_ id: Int64, by actor: Actor, at now: Date, client: String? = nil) async throws {
        try requireEditor(actor)
        guard try await services.stationings.remove(
            id, audit: AuditEntry(at: now, actor: actor, action: .stationingChanged, detail: "删除驻场安排", client: client)) else {
            throw AppError.notFound(what: "驻场安排")
        }
    }
}

extension HotlineApp {
    /// 驻场分析.
    public var specialists: SpecialistDesk { SpecialistDesk(services: services) }
}

import Foundation

/// 驻场分析 (Tianmen's method): which departments and matters most need a policy specialist stationed in the centre
/// (政策专员驻场), from the measures' counts of a period.
///
/// Attribution: a dispatched order counts for its lead unit (主办单位). An order answered on the call (or still held by
/// the centre) has no lead unit; it counts for the department that *would* have handled it: the dispatch catalogue's
/// city-wide entry for its category or the nearest ancestor category that has one (district entries are not used: the
/// rollups keep category and unit, not district, per unit). Orders whose category the catalogue does not name count
/// under 未归属 (no department).
///
/// Figures of a group (a department or a first-level category):
/// - 诉求量 volume: accepted orders;
/// - 派单占比 dispatched share: dispatched ÷ accepted (the rest were answered directly or are still at the centre);
/// - 重复诉求率 repeat rate: repeated ÷ accepted;
/// - 不满意率 dissatisfaction: (rated − 满意 − 基本满意) ÷ rated (reached on the callback or rated by the citizen);
/// - 驻场指数 score, 0–100: 100 × (0.4 × volume ÷ the largest group's volume + 0.3 × dispatched share
///   + 0.2 × repeat rate + 0.1 × dissatisfaction), a missing rate counting 0. Ranked by score, then volume.
public enum SpecialistAnalysis {
    /// The weights of the score, in the order volume, dispatched share, repeat rate, dissatisfaction.
    public static let weights = (volume: 0.4, dispatched: 0.3, repeated: 0.2, dissatisfied: 0.1)

    /// The counts of one department or category, and its figures.
    public struct Row: Sendable, Equatable {
        public var key: String
        public var counts: MeasureCounts
        public var score: Double

        public var volume: Int { counts.accepted }
        public var dispatchedShare: Double? { MeasureFigures.rate(Double(counts.dispatched), counts.accepted) }
        public var repeatRate: Double? { MeasureFigures.rate(Double(counts.repeated), counts.accepted) }
        public var dissatisfaction: Double? {
            MeasureFigures.rate(Double(counts.rated - counts.satisfied - counts.basicallySatisfied), counts.rated)
        }
        public var directAnswerRate: Double? { MeasureFigures.rate(Double(counts.directAnswered), counts.accepted) }

        public init(key: String, counts: MeasureCounts, score: Double = 0) {
            self.key = key
            self.counts = counts
            self.score = score
        }
    }

    /// One period's counts: per lead unit and category (dispatched orders), and per category for the orders without a
    /// lead unit (answered directly or still at the centre).
    public struct Input: Sendable, Equatable {
        /// (lead unit, category code) → counts.
        public var dispatched: [Pair: MeasureCounts]
        /// Category code ("" for none) → counts of the orders without a lead unit.
        public var centre: [String: MeasureCounts]

        public struct Pair: Hashable, Sendable {
            public var unit: UnitID
            public var category: String
            public init(unit: UnitID, category: String) {
                self.unit = unit
                self.category = category
            }
        }

        public init(dispatched: [Pair: MeasureCounts] = [:], centre: [String: MeasureCounts] = [:]) {
            self.dispatched = dispatched
            self.centre = centre
        }
    }

    /// The department a category's undispatched orders count for: the catalogue's city-wide entry for it or its nearest
    /// ancestor; nil when none names it.
    public static func department(of category: String, catalogue: DispatchCatalogue, categories: CategoryHierarchy) -> UnitID? {
        guard !category.isEmpty else { return nil }
        return catalogue.responsibleUnit(category: category, district: nil, categories: categories)?.unitID
    }

    /// Per department ("" = 未归属), ranked by score.
    public static func byDepartment(_ input: Input, catalogue: DispatchCatalogue, categories: CategoryHierarchy) -> [Row] {
        var sums: [String: MeasureCounts] = [:]
        for (pair, counts) in input.dispatched { sums[pair.unit, default: MeasureCounts()] += counts }
        for (category, counts) in input.centre {
            sums[department(of: category, catalogue: catalogue, categories: categories) ?? "", default: MeasureCounts()] += counts
        }
        return ranked(sums)
    }

    /// Per first-level category (一级分类, "" = 未分类), ranked by score.
    public static func byCategory(_ input: Input, categories: CategoryHierarchy) -> [Row] {
        func top(_ code: String) -> String { code.isEmpty ? "" : (categories.lineage(of: code).last ?? code) }
        var sums: [String: MeasureCounts] = [:]
        for (pair, counts) in input.dispatched { sums[top(pair.category), default: MeasureCounts()] += counts }
        for (category, counts) in input.centre { sums[top(category), default: MeasureCounts()] += counts }
        return ranked(sums)
    }

    /// The rows of `sums` with their scores, best first; groups with no accepted order are left out.
    public static func ranked(_ sums: [String: MeasureCounts]) -> [Row] {
        let kept = sums.filter { $0.value.accepted > 0 }
        let largest = kept.values.map(\.accepted).max() ?? 0
        return kept.map { key, counts in
            var row = Row(key: key, counts: counts)
            row.score = score(row, largestVolume: largest)
            return row
        }.sorted { ($0.score, $0.volume, $1.key) > ($1.score, $1.volume, $0.key) }
    }

    /// The 驻场指数 of a row (see the type's documentation).
    public static func score(_ row: Row, largestVolume: Int) -> Double {
        let volume = largestVolume == 0 ? 0 : Double(row.volume) / Double(largestVolume)
        let w = weights
        return 100 * (w.volume * volume + w.dispatched * (row.dispatchedShare ?? 0) + w.repeated * (row.repeatRate ?? 0)
            + w.dissatisfied * (row.dissatisfaction ?? 0))
    }

    /// The counts attributed to `unit` in a period (its dispatched orders and the undispatched ones its categories
    /// would have brought it), for the before/after comparison of its direct-answer rate.
    public static func counts(of unit: UnitID, _ input: Input, catalogue: DispatchCatalogue, categories: CategoryHierarchy) -> MeasureCounts {
        var sum = MeasureCounts()
        for (pair, counts) in input.dispatched where pair.unit == unit { sum += counts }
        for (category, counts) in input.centre where department(of: category, catalogue: catalogue, categories: categories) == unit { sum += counts }
        return sum
    }

    /// The two periods of the same length either side of a stationing's start: [start − n, start − 1] and
    /// [start, start + n − 1], n being the days from the start to `end` (the stationing's last day, or today if it is
    /// still going on, and never after today), at least 1.
    public static func comparisonPeriods(start: CivilDay, end: CivilDay?, today: CivilDay) -> (before: ClosedRange<CivilDay>, after: ClosedRange<CivilDay>) {
        let last = min(end ?? today, today)
        let days = max(1, last.ordinal - start.ordinal + 1)
        return (start.adding(days: -days)...start.adding(days: -1), start...start.adding(days: days - 1))
    }
}

/// A stationing (驻场安排): a department's policy specialist working in the centre from one day to another (nil: still there).
public struct Stationing: Sendable, Equatable, Codable {
    public var id: Int64
    public var unitID: UnitID
    public var from: CivilDay
    public var to: CivilDay?
    public var note: String

    public init(id: Int64, unitID: UnitID, from: CivilDay, to: CivilDay?, note: String) {
        self.id = id
        self.unitID = unitID
        self.from = from
        self.to = to
        self.note = note
    }
}

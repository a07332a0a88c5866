import Foundation
import HotlineDomain
import Synchronization

/// The reference data every transition needs (calendar, time limits, unit tree, categories), read once
/// and refreshed when an admin changes it.
public final class ReferenceData: Sendable {
    /// Everything read from the directory in one pass: the loop's context and the names pages show.
    struct Snapshot: Sendable {
        /// The `reference_version` this snapshot was read at (read first, so that a change racing the read is
        /// caught by the next check).
        var version: Int64
        var context: LifecycleContext
        var unitNames: [UnitID: String]
        var unitDistricts: [UnitID: String]
        var unitKinds: [UnitID: UnitKind]
        var categoryNames: [String: String]
        /// Each category as people read it: its ancestors' names and its own, "城乡建设 / 市政设施 / 路灯".
        var categoryPaths: [String: String]
        var categories: [CategoryNode]
    }

    private let state: Mutex<Snapshot>
    private let directory: DirectoryStore
    /// The calendar as bundled (and extended by data files), before administrators' overrides.
    private let baseCalendar: WorkingCalendar

    init(snapshot: Snapshot, directory: DirectoryStore, baseCalendar: WorkingCalendar) {
        state = Mutex(snapshot)
        self.directory = directory
        self.baseCalendar = baseCalendar
    }

    public static func load(directory: DirectoryStore, calendar: WorkingCalendar) async throws -> ReferenceData {
        ReferenceData(snapshot: try await loadSnapshot(directory: directory, calendar: calendar), directory: directory, baseCalendar: calendar)
    }

    public var context: LifecycleContext { state.withLock { $0.context } }

    /// Every unit's name and every category's path of names, for display.
    public var names: (units: [UnitID: String], categories: [String: String]) { state.withLock { ($0.unitNames, $0.categoryPaths) } }

    /// A unit's name, for display.
    public func unitName(_ id: UnitID) -> String? { state.withLock { $0.unitNames[id] } }

    /// The district a unit lies in (区县), nil for units that serve the whole city.
    public func unitDistrict(_ id: UnitID) -> String? { state.withLock { $0.unitDistricts[id] } }

    /// The city's districts (区县) by name, as the district units name them, in name order.
    public var districts: [String] {
        state.withLock { s in Set(s.unitKinds.filter { $0.value == .district }.compactMap { s.unitDistricts[$0.key] }).sorted() }
    }

    /// What kind of unit it is (区县, 市直部门, 街道乡镇…), nil for an unknown id.
    public func unitKind(_ id: UnitID) -> UnitKind? { state.withLock { $0.unitKinds[id] } }

    /// Whether some unit lies in this district: the district field of an address names one of the city's.
    public func isDistrict(_ name: String) -> Bool { state.withLock { $0.unitDistricts.values.contains(name) } }

    /// A category's name, for display.
    public func categoryName(_ code: String) -> String? { state.withLock { $0.categoryNames[code] } }

    /// A category with its ancestors, as people read it ("城乡建设 / 市政设施 / 路灯"), following the tree's parent links.
    public func categoryPath(_ code: String) -> String? { state.withLock { $0.categoryPaths[code] } }

    /// The category tree's nodes in code order, for pickers.
    public var categories: [CategoryNode] { state.withLock { $0.categories } }

    /// Re-reads units, categories, time limits, calendar overrides and settings from the database.
    public func reload() async throws {
        let fresh = try await Self.loadSnapshot(directory: directory, calendar: baseCalendar)
        state.withLock { if fresh.version >= $0.version { $0 = fresh } }
    }

    /// The `reference_version` the snapshot in use was read at.
    public var version: Int64 { state.withLock { $0.version } }

    /// Reloads when another instance (or this one) changed the reference data since the snapshot was read: one
    /// single-row read when nothing changed. Returns whether it reloaded.
    @discardableResult
    public func reloadIfChanged() async throws -> Bool {
        guard try await directory.referenceVersion() != version else { return false }
        try await reload()
        return true
    }

    static func loadSnapshot(directory: DirectoryStore, calendar base: WorkingCalendar) async throws -> Snapshot {
        let version = try await directory.referenceVersion()
        let units = try await directory.units()
        let categories = try await directory.categories()
        // Official schedules an administrator loaded go on top of the bundled ones and make their years official;
        // administrators' overrides go on top of both, day by day, oldest first, and make no year official.
        var schedule = base.schedule
        var officialYears = base.officialYears
        for loaded in try await directory.calendarSchedules() {
            try schedule.merge(csv: loaded.csv)
            officialYears.insert(loaded.year)
        }
        try schedule.merge(overrides: try await directory.calendarOverrides().map(\.override))
        let context = LifecycleContext(
            calendar: WorkingCalendar(schedule: schedule, hours: base.hours, officialYears: officialYears), limits: try await directory.timeLimits(),
            units: UnitHierarchy(parents: Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0.parentID) })),
            categories: Set(categories.map(\.code)), categoryTree: CategoryHierarchy(categories), callbackRule: try await directory.callbackRule(),
            returnReasons: try await directory.returnReasons(),
            replyRules: try await directory.replyRules(), escalationRule: try await directory.escalationRule(),
            leaderReviewUnits: Set(units.filter(\.leaderReview).map(\.id)))
        let categoryNames = Dictionary(uniqueKeysWithValues: categories.map { ($0.code, $0.name) })
        let categoryPaths = Dictionary(uniqueKeysWithValues: categories.map { node in
            (node.code, context.categoryTree.lineage(of: node.code).reversed().compactMap { categoryNames[$0] }.joined(separator: " / "))
        })
        return Snapshot(version: version, context: context, unitNames: Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0.name) }),
                        unitDistricts: Dictionary(uniqueKeysWithValues: units.compactMap { u in u.district.map { (u.id, $0) } }),
                        unitKinds: Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0.kind) }),
                        categoryNames: categoryNames, categoryPaths: categoryPaths, categories: categories)
    }
}

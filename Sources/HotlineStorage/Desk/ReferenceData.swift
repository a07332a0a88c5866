import Foundation
import HotlineDomain
import Synchronization

/// The reference data every transition needs (calendar, time limits, unit tree, categories), read once
/// and refreshed when an admin changes it.
public final class ReferenceData: Sendable {
    private let state: Mutex<LifecycleContext>
    private let names = Mutex<[UnitID: String]>([:])
    private let categoryNames = Mutex<[String: String]>([:])
    private let categoryNodes = Mutex<[CategoryNode]>([])
    private let directory: DirectoryStore

    public init(context: LifecycleContext, directory: DirectoryStore) {
        state = Mutex(context)
        self.directory = directory
    }

    public static func load(directory: DirectoryStore, calendar: WorkingCalendar) async throws -> ReferenceData {
        let data = ReferenceData(context: try await loadContext(directory: directory, calendar: calendar), directory: directory)
        try await data.reloadNames()
        return data
    }

    public var context: LifecycleContext { state.withLock { $0 } }

    /// A unit's name, for display.
    public func unitName(_ id: UnitID) -> String? { names.withLock { $0[id] } }

    /// A category's name, for display.
    public func categoryName(_ code: String) -> String? { categoryNames.withLock { $0[code] } }

    /// The category tree's nodes in code order, for pickers.
    public var categories: [CategoryNode] { categoryNodes.withLock { $0 } }

    /// Re-reads units, categories and time limits from the database.
    public func reload() async throws {
        let fresh = try await Self.loadContext(directory: directory, calendar: context.calendar)
        state.withLock { $0 = fresh }
        try await reloadNames()
    }

    private func reloadNames() async throws {
        let fresh = Dictionary(uniqueKeysWithValues: try await directory.units().map { ($0.id, $0.name) })
        names.withLock { $0 = fresh }
        let nodes = try await directory.categories()
        categoryNames.withLock { $0 = Dictionary(uniqueKeysWithValues: nodes.map { ($0.code, $0.name) }) }
        categoryNodes.withLock { $0 = nodes }
    }

    static func loadContext(directory: DirectoryStore, calendar: WorkingCalendar) async throws -> LifecycleContext {
        let units = try await directory.units()
        let categories = try await directory.categories()
        return LifecycleContext(
            calendar: calendar, limits: try await directory.timeLimits(),
            units: UnitHierarchy(parents: Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0.parentID) })),
            categories: Set(categories.map(\.code)))
    }
}

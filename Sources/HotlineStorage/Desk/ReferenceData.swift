import Foundation
import HotlineDomain
import Synchronization

/// The reference data every transition needs (calendar, time limits, unit tree, categories), read once
/// and refreshed when an admin changes it.
public final class ReferenceData: Sendable {
    private let state: Mutex<LifecycleContext>
    private let directory: DirectoryStore

    public init(context: LifecycleContext, directory: DirectoryStore) {
        state = Mutex(context)
        self.directory = directory
    }

    public static func load(directory: DirectoryStore, calendar: WorkingCalendar) async throws -> ReferenceData {
        ReferenceData(context: try await loadContext(directory: directory, calendar: calendar), directory: directory)
    }

    public var context: LifecycleContext { state.withLock { $0 } }

    /// Re-reads units, categories and time limits from the database.
    public func reload() async throws {
        let fresh = try await Self.loadContext(directory: directory, calendar: context.calendar)
        state.withLock { $0 = fresh }
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

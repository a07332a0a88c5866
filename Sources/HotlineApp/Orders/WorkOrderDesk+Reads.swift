import Foundation
import HotlineDomain
import HotlineStorage

/// Reads of orders beyond one record and one list, each within the reader's data scope.
extension WorkOrderDesk {
    /// The order as stored now, without its events (a cheap check of its version), if the actor's scope covers it.
    public func current(_ number: OrderNumber, for actor: Actor) async throws -> WorkOrder? {
        guard let order = try await store.order(number), actor.scope.allows(order, in: reference.context.units) else { return nil }
        return order
    }

    /// Overdue orders per responsible unit (超期工单数), only the units within the actor's scope.
    public func overdueByUnit(for actor: Actor, now: Date) async throws -> [UnitCount] {
        switch actor.scope {
        case .none: return []
        case .all: return try await store.overdueCountsByUnit(now: now)
        case .subtree(let root):
            let units = reference.context.units
            return try await store.overdueCountsByUnit(now: now).filter { units.isWithin($0.unit, root) }
        }
    }

    /// Each order's latest note of `kind` (e.g. the unit's reason for returning it), for orders the actor may see.
    public func latestNotes(_ kind: EventKind, of numbers: [OrderNumber], for actor: Actor) async throws -> [OrderNumber: String] {
        let notes = try await store.latestNotes(kind, of: numbers)
        guard actor.scope != .all else { return notes }
        var visible: [OrderNumber: String] = [:]
        for (number, note) in notes where try await current(number, for: actor) != nil { visible[number] = note }
        return visible
    }

    /// A reply's file, for those who may see the order; nil — as for a file that does not exist — for everyone else.
    public func attachment(of number: OrderNumber, sha256: String, for actor: Actor) async throws -> StoredAttachment? {
        guard try await current(number, for: actor) != nil else { return nil }
        return try await attachments?.attachment(of: number, sha256: sha256)
    }

    /// The order with this number, whoever holds it, for a citizen's lookup: the proof is the caller's phone, which
    /// the citizen front end compares in constant time (no data scope applies to an order's own caller).
    public func orderForItsCaller(_ number: OrderNumber) async throws -> WorkOrder? {
        try await store.order(number)
    }
}

import Foundation
import HotlineDomain

/// Where the domain meets storage: each request to change the loop becomes one transaction that loads
/// the order, asks ``Lifecycle`` for the change, and stores the new order with its events.
public struct WorkOrderDesk: Sendable {
    public let store: any WorkOrderStore
    public let reference: ReferenceData
    private let intakeQueue: IntakeQueue

    public init(store: any WorkOrderStore, reference: ReferenceData) {
        self.store = store
        self.reference = reference
        intakeQueue = IntakeQueue(store: store)
    }

    /// 受理: numbers and stores a new order. Concurrent intakes share a transaction (group commit).
    public func intake(_ draft: IntakeDraft, by actor: Actor, at now: Date) async throws -> Outcome {
        let context = reference.context
        return try await intakeQueue.submit(NewOrderRequest(day: CivilDay(containing: now), repeatOf: draft.repeatOf) { number, earlier in
            try Intake.open(draft, number: number, earlier: earlier, by: actor, at: now, in: context)
        })
    }

    public func apply(_ transition: Transition, to number: OrderNumber, by actor: Actor, at now: Date) async throws -> Outcome {
        let context = reference.context
        return try await store.update(number) { order in
            try Lifecycle.apply(transition, to: order, by: actor, at: now, in: context)
        }
    }

    /// 并单: merges `source` into `target` in one transaction.
    public func merge(_ source: OrderNumber, into target: OrderNumber, by actor: Actor, at now: Date, note: String?) async throws -> (source: Outcome, target: Outcome) {
        guard source != target else { throw LifecycleError.cannotMergeIntoItself }
        let result = try await store.update(source, target) { s, t in
            let merged = try Lifecycle.merge(s, into: t, by: actor, at: now, note: note)
            return (merged.source, merged.target)
        }
        return (result.0, result.1)
    }
}

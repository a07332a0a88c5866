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
            guard actor.scope.allows(order, in: context.units) else { throw LifecycleError.outOfScope(number) }
            return try Lifecycle.apply(transition, to: order, by: actor, at: now, in: context)
        }
    }

    /// Whether `actor` may send a reply to this order at all (their role replies, the order is in their data scope),
    /// checked before a reply's files are read: an upload is work a stranger must not be able to cause.
    public func checkMayReply(_ number: OrderNumber, by actor: Actor) async throws {
        guard Action.reply.isAllowed(for: actor.role) else { throw LifecycleError.notPermitted(action: .reply, role: actor.role) }
        guard let order = try await store.order(number), actor.scope.allows(order, in: reference.context.units) else {
            throw StoreError.notFound(number)
        }
    }

    /// 答复 with evidence: the reply and its files are stored in one transaction, or neither is.
    public func reply(_ number: OrderNumber, text: String, files: [AttachmentUpload], by actor: Actor, at now: Date) async throws -> Outcome {
        try AttachmentUpload.checkSet(files)
        let context = reference.context
        return try await store.update(number, attaching: files) { order in
            guard actor.scope.allows(order, in: context.units) else { throw LifecycleError.outOfScope(number) }
            return try Lifecycle.apply(.reply(text: text, attachments: files.map(\.info)), to: order, by: actor, at: now, in: context)
        }
    }

    /// One order with its events, if the actor's data scope covers it; otherwise nil, as if it did not exist.
    public func order(_ number: OrderNumber, for actor: Actor) async throws -> (WorkOrder, [StoredEvent])? {
        guard let order = try await store.order(number), actor.scope.allows(order, in: reference.context.units) else { return nil }
        return (order, try await store.events(of: number))
    }

    /// The order list, narrowed to the actor's data scope.
    public func list(_ filter: OrderFilter, page: PageRequest, for actor: Actor, now: Date) async throws -> OrderPage {
        var scoped = filter
        switch actor.scope {
        case .all: break
        case .none: return OrderPage(items: [], total: 0, totalIsExact: true, page: page.page, size: page.size)
        case .subtree(let root):
            let allowed = reference.context.units.subtree(of: root)
            if let asked = filter.unit {
                guard allowed.contains(asked) else { return OrderPage(items: [], total: 0, totalIsExact: true, page: page.page, size: page.size) }
            } else {
                scoped.unitScope = allowed
            }
        }
        return try await store.list(scoped, page: page, now: now)
    }

    /// 并单: merges `source` into `target` in one transaction.
    public func merge(_ source: OrderNumber, into target: OrderNumber, by actor: Actor, at now: Date, note: String?) async throws -> (source: Outcome, target: Outcome) {
        guard source != target else { throw LifecycleError.cannotMergeIntoItself }
        let units = reference.context.units
        let result = try await store.update(source, target) { s, t in
            guard actor.scope.allows(s, in: units) else { throw LifecycleError.outOfScope(source) }
            guard actor.scope.allows(t, in: units) else { throw LifecycleError.outOfScope(target) }
            let merged = try Lifecycle.merge(s, into: t, by: actor, at: now, note: note)
            return (merged.source, merged.target)
        }
        return (result.0, result.1)
    }
}

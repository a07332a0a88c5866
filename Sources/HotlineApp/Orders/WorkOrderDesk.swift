import Foundation
import HotlineDomain
import HotlineStorage

/// The order use cases (工单业务): intake, every action on an order, reading one order's record and lists. The only
/// way any front end reaches the order store: each use case applies the actor's data scope, makes its change in one
/// transaction through ``Lifecycle``, and then runs its after-commit effects (the similar-order index).
public struct WorkOrderDesk: Sendable {
    let store: any WorkOrderStore
    public let reference: ReferenceData
    let restrictions: CallerRestrictionStore?
    let similar: SimilarOrders?
    let audit: AuditLog?
    let attachments: AttachmentStore?
    let directory: DirectoryStore?
    let knowledge: KnowledgeBase?
    private let intakeQueue: IntakeQueue

    public init(
        store: any WorkOrderStore, reference: ReferenceData, restrictions: CallerRestrictionStore? = nil, similar: SimilarOrders? = nil,
        audit: AuditLog? = nil, attachments: AttachmentStore? = nil, directory: DirectoryStore? = nil, knowledge: KnowledgeBase? = nil
    ) {
        self.store = store
        self.reference = reference
        self.restrictions = restrictions
        self.similar = similar
        self.audit = audit
        self.attachments = attachments
        self.directory = directory
        self.knowledge = knowledge
        intakeQueue = IntakeQueue(store: store)
    }

    /// Intakes waiting for their group commit or being written now.
    public var intakeQueueDepth: Int { intakeQueue.queued }

    /// A new order and what the agent should know about it.
    public struct IntakeResult: Sendable {
        public var outcome: Outcome
        /// Plain-Chinese warnings, e.g. that the caller is restricted (限制呼入).
        public var warnings: [Warning]
    }

    public struct Warning: Sendable, Equatable, Encodable {
        public var code: String
        public var message: String
    }

    /// 受理: numbers and stores a new order, with the files the citizen sent (checked against the attachment rules
    /// first: a refused set stores nothing). Concurrent intakes share a transaction (group commit). With `message` (a
    /// channel gateway's), the order is made only once per message: a retried delivery throws ``DuplicateMessage``
    /// naming the first delivery's order, and the message's id is recorded on the order's first event.
    public func intake(
        _ draft: IntakeDraft, files: [AttachmentUpload] = [], by actor: Actor, at now: Date, message: ChannelMessageKey? = nil
    ) async throws -> Outcome {
        try AttachmentUpload.checkSet(files)
        var withFiles = draft
        if withFiles.attachments.isEmpty { withFiles.attachments = files.map(\.info) }
        let draft = withFiles
        let context = reference.context
        let request = NewOrderRequest(day: CivilDay(containing: now), repeatOf: draft.repeatOf, attachments: files, message: message) { number, earlier in
            var outcome = try Intake.open(draft, number: number, earlier: earlier, by: actor, at: now, in: context)
            if let message, !outcome.events.isEmpty { outcome.events[0].details["message_id"] = message.messageID }
            return outcome
        }
        let outcome = try await intakeQueue.submit(request)
        similar?.add(outcome.order)
        return outcome
    }

    /// 受理 with the warnings the agent sees beside the new order. With an `idempotencyKey` (a client's
    /// `Idempotency-Key`: a retry after a lost answer, or a balancer re-sending to another instance), the order is made
    /// once per user and key: the key is claimed in the order's own transaction, and a repeat throws
    /// ``DuplicateMessage`` naming the order the first request made.
    public func take(_ draft: IntakeDraft, by actor: Actor, at now: Date, idempotencyKey: String? = nil) async throws -> IntakeResult {
        let message = idempotencyKey.map {
            ChannelMessageKey(channel: draft.channel, messageID: "api:\(actor.userID):\($0)", sender: actor.userID, receivedAt: now)
        }
        let outcome = try await intake(draft, by: actor, at: now, message: message)
        // A direct answer taken from the knowledge base counts as that entry used (it moves the ranking).
        if let entry = draft.knowledgeEntry, outcome.order.directAnswer != nil, let knowledge,
           let counts = try await knowledge.store.feedback(entry, useful: true, by: actor, at: now, order: outcome.order.number, query: nil) {
            knowledge.noteFeedback(entry, used: counts.used, notUseful: counts.notUseful)
        }
        var warnings: [Warning] = []
        if let restriction = try await restrictions?.active(for: outcome.order.caller.phone, at: now) {
            warnings.append(Warning(code: "caller_restricted", message: "该号码已被限制呼入至 \(restriction.endsAt.chinaISO8601)，原因：\(restriction.reason)"))
        }
        return IntakeResult(outcome: outcome, warnings: warnings)
    }

    /// Carries out `command` on order `number` for `actor`: the one entry for every order action of every front end.
    /// Returns the order's outcome; orders the change reached as well (merges, answers carried to merged orders) are
    /// stored in the same transaction.
    @discardableResult
    public func perform(_ command: OrderCommand, on number: OrderNumber, by actor: Actor, at now: Date) async throws -> Outcome {
        switch command {
        case .transition(let transition): try await apply(transition, to: number, by: actor, at: now)
        case .merge(let target, let note): try await merge(number, into: target, by: actor, at: now, note: note).source
        case .reply(let text, let files): try await reply(number, text: text, files: files, by: actor, at: now)
        }
    }

    public func apply(_ transition: Transition, to number: OrderNumber, by actor: Actor, at now: Date) async throws -> Outcome {
        let context = reference.context
        let unitNames = reference.names.units
        let (outcome, followers) = try await store.update(number, following: { $0.mergedOrders }) { order, merged in
            guard actor.scope.allows(order, in: context.units) else { throw LifecycleError.outOfScope(number) }
            let outcome = try Lifecycle.apply(transition, to: order, by: actor, at: now, in: context)
            // 单位审核通过 sends the reply on as a reply without the unit's review goes: the rules in force now are checked
            // again, and a blocking one refuses it as it would have refused the reply.
            if case .passUnitReview = transition, let reply = order.reply {
                try Self.requirePassing(Self.replyReview(
                    of: reply.text, to: order, unitName: (reply.unit.isEmpty ? order.leadUnit : reply.unit).flatMap { unitNames[$0] },
                    rules: context.replyRules, at: now))
            }
            return (outcome, Lifecycle.carryAnswer(of: outcome, to: merged, by: actor, at: now, in: context))
        }
        similar?.add(outcome.order)
        for follower in followers { similar?.add(follower.order) }
        return outcome
    }

    /// 市民评价: the caller of the order, proven by `phone`, rates it; the phone is checked again in the transaction.
    public func rateByCitizen(
        _ number: OrderNumber, phone: String, satisfaction: Satisfaction, stars: Int?, comment: String, by actor: Actor, at now: Date
    ) async throws -> Outcome {
        let context = reference.context
        return try await store.update(number) { order in
            guard !order.caller.isAnonymous, order.caller.phone == phone else { throw StoreError.notFound(number) }
            return try Lifecycle.apply(.rateByCitizen(satisfaction: satisfaction, stars: stars, comment: comment), to: order, by: actor, at: now, in: context)
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
        let unitNames = reference.names.units
        let outcome = try await store.update(number, attaching: files) { order in
            guard actor.scope.allows(order, in: context.units) else { throw LifecycleError.outOfScope(number) }
            // The unit's self-check (答复自检): a blocking rule refuses the reply before anything is stored; the
            // lifecycle's own checks (status, unit, text) come first so that their refusals stay what they were.
            let outcome = try Lifecycle.apply(.reply(text: text, attachments: files.map(\.info)), to: order, by: actor, at: now, in: context)
            try Self.requirePassing(Self.replyReview(
                of: outcome.order.reply?.text ?? text, to: order, unitName: (actor.unit ?? order.leadUnit).flatMap { unitNames[$0] },
                rules: context.replyRules, at: now))
            return outcome
        }
        similar?.add(outcome.order)
        return outcome
    }

    /// One order with its events, if the actor's data scope covers it; otherwise nil, as if it did not exist.
    public func order(_ number: OrderNumber, for actor: Actor) async throws -> (WorkOrder, [StoredEvent])? {
        guard let stored = try await store.record(number), actor.scope.allows(stored.order, in: reference.context.units) else { return nil }
        return (stored.order, stored.events)
    }

    /// One order's whole record — the order, its log checked against the row's chain head, every reply round —
    /// if the actor's data scope covers it; otherwise nil, as if it did not exist.
    /// `narrated: false` leaves the timeline's sentences out (and the look-up of people's names they need), for a
    /// front end that shows the events as data.
    public func record(_ number: OrderNumber, for actor: Actor, narrated: Bool = true) async throws -> OrderRecord? {
        guard let stored = try await store.record(number), actor.scope.allows(stored.order, in: reference.context.units) else { return nil }
        guard narrated else { return OrderRecord(stored, names: nil) }
        let (units, categories) = reference.names
        let people = try await directory?.displayNames(of: Set(stored.events.map(\.actorID))) ?? [:]
        return OrderRecord(stored, names: NameBook(units: units, categories: categories, people: people))
    }

    /// The order list, narrowed to the actor's data scope.
    public func list(_ filter: OrderFilter, page: PageRequest, for actor: Actor, now: Date) async throws -> OrderPage {
        try Self.checkFilters(filter, for: actor)
        var scoped = filter
        if let code = filter.categoryCode { scoped.categorySubtree = Self.movedSubtree(of: code, in: reference.context) }
        switch actor.scope {
        case .all: break
        case .none: return OrderPage(items: [], total: 0, totalIsExact: true, page: page.page, size: page.size)
        case .subtree(let root):
            let allowed = reference.context.units.subtree(of: root)
            if let lead = filter.leadUnit, !allowed.contains(lead) {
                return OrderPage(items: [], total: 0, totalIsExact: true, page: page.page, size: page.size)
            }
            if let asked = filter.unit {
                guard allowed.contains(asked) else { return OrderPage(items: [], total: 0, totalIsExact: true, page: page.page, size: page.size) }
            } else {
                scoped.unitScope = allowed
            }
        }
        return try await store.list(scoped, page: page, now: now)
    }

    /// The codes of a category's subtree by parent links, or nil when they are exactly the codes its dotted prefix
    /// spells (nothing moved in or out), so the list keeps its plain prefix match.
    static func movedSubtree(of code: String, in context: LifecycleContext) -> [String]? {
        let subtree = context.categoryTree.subtree(of: code)
        let byPrefix = context.categories.filter { $0 == code || $0.hasPrefix(code + ".") }
        return Set(subtree) == byPrefix ? nil : subtree
    }

    /// Searching by a caller's phone number is for the centre: a unit could otherwise confirm who a confidential caller is.
    public static func checkFilters(_ filter: OrderFilter, for actor: Actor) throws {
        if filter.callerPhone != nil, actor.scope != .all {
            throw AppError.forbidden(code: "forbidden", message: "按来电号码检索仅限热线中心人员", field: "phone")
        }
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

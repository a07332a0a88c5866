import Foundation
import HotlineDomain
import HotlineStorage

/// The knowledge-base use cases (知识库): drafting, the review loop (submit, approve, reject, retire, edit), agents'
/// feedback on suggestions, and CSV import. Each change keeps its history and then refreshes this instance's search
/// index (after commit).
public struct KnowledgeDesk: Sendable {
    let services: HotlineServices
    /// Orders, read within the user's data scope (a draft made from a finished order).
    let orders: WorkOrderDesk?

    init(services: HotlineServices, orders: WorkOrderDesk? = nil) {
        self.services = services
        self.orders = orders
    }

    var knowledge: KnowledgeBase { services.knowledge }

    /// An entry's wording as editors send it.
    public struct ContentInput: Decodable, Sendable {
        public var title: String
        public var questions: [String]?
        public var answer: String
        public var categoryCode: String?
        public var unitId: String?
        public var keywords: [String]?
        public var effectiveFrom: Date?
        public var expiresAt: Date?

        public init(title: String, questions: [String]? = nil, answer: String, categoryCode: String? = nil, unitId: String? = nil, keywords: [String]? = nil,
                    effectiveFrom: Date? = nil, expiresAt: Date? = nil) {
            self.title = title
            self.questions = questions
            self.answer = answer
            self.categoryCode = categoryCode
            self.unitId = unitId
            self.keywords = keywords
            self.effectiveFrom = effectiveFrom
            self.expiresAt = expiresAt
        }

        var content: KnowledgeContent {
            KnowledgeContent(title: title, questions: questions ?? [], answer: answer, categoryCode: categoryCode, unitID: unitId, keywords: keywords ?? [],
                             effectiveFrom: effectiveFrom, expiresAt: expiresAt)
        }
    }

    /// A review step's optional note.
    public struct NoteInput: Decodable, Sendable {
        public var note: String?
        public init(note: String?) { self.note = note }
    }

    /// Whether a suggested answer helped, on which order and for which query.
    public struct FeedbackInput: Decodable, Sendable {
        public var useful: Bool
        public var orderNumber: String?
        public var query: String?
    }

    func validated(_ content: KnowledgeContent) throws -> KnowledgeContent {
        let ctx = services.reference.context
        return try KnowledgeWorkflow.validated(content, categories: ctx.categories, units: ctx.units)
    }

    /// A new draft; `source` is the finished order it was drafted from (转为知识草稿), which the user must be able to
    /// see and which must still qualify. The entry keeps the order's number and its first history line says so.
    /// Drafting from an order is for whoever may propose knowledge (`draftKnowledge`); a blank draft is for editors.
    public func create(_ input: ContentInput, from source: OrderNumber? = nil, by user: UserAccount, at now: Date) async throws -> KnowledgeStore.Stored {
        guard let source else {
            guard Capability.manageKnowledge.isAllowed(for: user.role) else { throw AppError.lacks(.manageKnowledge, role: user.role) }
            return try await store(input, source: nil, by: user, at: now)
        }
        _ = try draft(from: try await sourceRecord(source, for: user), by: user)
        return try await store(input, source: source, by: user, at: now)
    }

    /// 转为知识草稿 as it stands: the finished order's request, answer, category and lead unit become a draft.
    public func createDraft(fromOrder number: OrderNumber, by user: UserAccount, at now: Date) async throws -> KnowledgeStore.Stored {
        try await store(try draft(from: try await sourceRecord(number, for: user), by: user), source: number, by: user, at: now)
    }

    /// The order a draft is made from, read within the user's data scope (`draft(from:by:)` checks the capability
    /// and that the order qualifies).
    func sourceRecord(_ number: OrderNumber, for user: UserAccount) async throws -> OrderRecord {
        guard Capability.draftKnowledge.isAllowed(for: user.role) else { throw AppError.lacks(.draftKnowledge, role: user.role) }
        guard let orders, let record = try await orders.record(number, for: user.actor, narrated: false) else {
            throw AppError.notFound(what: "工单 \(number) ")
        }
        return record
    }

    /// Stores a new draft; one from an order keeps its number and says so in the first history line.
    func store(_ input: ContentInput, source: OrderNumber?, by user: UserAccount, at now: Date) async throws -> KnowledgeStore.Stored {
        let note = source.map { "由工单 \($0) 转为知识草稿" }
        let entry = try await knowledge.store.create(try validated(input.content), by: user.actor, at: now, note: note, source: source)
        guard let stored = try await knowledge.store.entry(entry.id) else { throw AppError.notFound(what: "知识条目") }
        return stored
    }

    /// One step of the review loop: `edit` takes new wording, the others an optional note.
    public func act(_ action: KnowledgeAction, on id: Int64, content input: ContentInput?, note: NoteInput?, by user: UserAccount, at now: Date) async throws
        -> KnowledgeStore.Stored
    {
        guard Capability.manageKnowledge.isAllowed(for: user.role) else { throw AppError.lacks(.manageKnowledge, role: user.role) }
        guard action != .create else { throw AppError.notFound(what: "操作 \(action.rawValue) ") }
        var content: KnowledgeContent?
        if action == .edit {
            guard let input else { throw AppError.invalid(field: "title", message: "缺少必填字段") }
            content = try validated(input.content)
        }
        let cleanNote = action == .edit ? nil : try AdminText.optional(note?.note, field: "note", limit: 500)
        let actor = user.actor
        let newContent = content
        // A rejection tells the editor what to change; a retirement says why agents lose the answer (checked once the
        // step itself is allowed, so that an illegal step is named as such).
        let needsNote = (action == .reject || action == .retire) && cleanNote == nil
        guard try await knowledge.store.update(id, action: action, by: actor, at: now, note: cleanNote, { e in
            let next = try KnowledgeWorkflow.apply(action, to: e, content: newContent, by: actor, at: now)
            if needsNote { throw AppError.invalid(field: "note", message: "不能为空") }
            return next
        }) != nil, let stored = try await knowledge.store.entry(id) else { throw AppError.notFound(what: "知识条目 \(id) ") }
        knowledge.refresh(stored)
        try await knowledge.store.database.announce([.knowledge(id)])
        return stored
    }

    /// An agent's verdict on a suggestion; it moves the ranking.
    public func feedback(_ input: FeedbackInput, on id: Int64, by user: UserAccount, at now: Date) async throws -> (used: Int, notUseful: Int) {
        guard Capability.searchKnowledge.isAllowed(for: user.role) else { throw AppError.lacks(.searchKnowledge, role: user.role) }
        let order = try input.orderNumber.map { n throws(AppError) -> OrderNumber in
            guard let number = OrderNumber(n) else { throw .invalid(field: "order_number", message: "工单编号格式不正确") }
            return number
        }
        guard let counts = try await knowledge.store.feedback(id, useful: input.useful, by: user.actor, at: now, order: order, query: input.query) else {
            throw AppError.notFound(what: "知识条目 \(id) ")
        }
        knowledge.noteFeedback(id, used: counts.used, notUseful: counts.notUseful)
        try await knowledge.store.database.announce([.knowledge(id)])
        return (counts.used, counts.notUseful)
    }

    /// CSV import (every row or none), submitted for review.
    public func importCSV(_ text: String, by user: UserAccount, at now: Date) async throws -> KnowledgeImport.Summary {
        guard Capability.manageKnowledge.isAllowed(for: user.role) else { throw AppError.lacks(.manageKnowledge, role: user.role) }
        do {
            return try await KnowledgeImport(services: services).run(csv: text, by: user.actor, publish: false, at: now)
        } catch let e as KnowledgeImport.RowError {
            throw AppError.unprocessable(code: "invalid_csv", message: e.description, field: nil)
        }
    }
}

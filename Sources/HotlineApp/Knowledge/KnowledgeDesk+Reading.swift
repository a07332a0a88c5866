import Foundation
import HotlineDomain
import HotlineStorage

/// Reading the knowledge base (知识库查询): lists by search, category and status, one entry with its history, and a
/// finished order as the start of a draft (解答一个、规范一类). Agents and every role that may search read what is in
/// service; knowledge editors read every wording and the history.
extension KnowledgeDesk {
    /// What a list asks for.
    public struct Browse: Sendable, Equatable {
        /// Words to look for: ranked like the intake assistant's suggestions for what is in service, a plain text
        /// match within a status editors chose (drafts, entries in review, retired ones).
        public var query: String?
        public var categoryCode: String?
        /// Editors only.
        public var status: KnowledgeStatus?
        /// Editors only: the entries whose working wording they wrote last.
        public var mine = false
        /// 1-based.
        public var page = 1
        public var pageSize = 20

        public init(
            query: String? = nil, categoryCode: String? = nil, status: KnowledgeStatus? = nil, mine: Bool = false, page: Int = 1, pageSize: Int = 20
        ) {
            self.query = query
            self.categoryCode = categoryCode
            self.status = status
            self.mine = mine
            self.page = page
            self.pageSize = pageSize
        }

        /// Whether the list is the ranked search over what is in service.
        var ranked: Bool { !(query ?? "").isEmpty && (status == nil || status == .published) && !mine }
    }

    /// One entry of a list: what the reader is shown of it.
    public struct Listed: Sendable {
        public var stored: KnowledgeStore.Stored
        /// The wording this reader sees: the working copy for editors, the approved one for everyone else.
        public var content: KnowledgeContent
        /// HTML-safe excerpt with `<mark>` around the words searched for (ranked search only).
        public var snippet: String?
    }

    public struct Listing: Sendable {
        public var entries: [Listed]
        public var hasMore: Bool
        /// Ranked by the search (best first) rather than newest first.
        public var ranked: Bool
    }

    /// The most results a ranked search pages through.
    public static let rankedLimit = 200

    /// A page of the knowledge base for `user`.
    public func browse(_ b: Browse, for user: UserAccount, now: Date) async throws -> Listing {
        guard Capability.searchKnowledge.isAllowed(for: user.role) else { throw AppError.lacks(.searchKnowledge, role: user.role) }
        let editor = Capability.manageKnowledge.isAllowed(for: user.role)
        if (b.status != nil || b.mine), !editor { throw AppError.lacks(.manageKnowledge, role: user.role) }
        let query = b.query?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard query.count <= 200 else { throw AppError.invalid(field: "q", message: "不能超过200字") }
        guard (1...1000).contains(b.page) else { throw AppError.invalid(field: "page", message: "页码应在1到1000之间") }
        if let code = b.categoryCode, !services.reference.context.categories.contains(code) {
            throw AppError.invalid(field: "category", message: "事项分类不存在")
        }
        let offset = (b.page - 1) * b.pageSize
        if b.ranked {
            let wanted = min(Self.rankedLimit, offset + b.pageSize + 1)
            // A category narrows the ranked list afterwards: ask for every result the pages could show.
            var hits = knowledge.search(query, limit: b.categoryCode == nil ? wanted : Self.rankedLimit, now: now)
            if let code = b.categoryCode {
                let tree = services.reference.context.categoryTree
                hits = hits.filter { $0.categoryCode.map { tree.isWithin($0, code) } ?? false }
            }
            let page = Array(hits.dropFirst(offset).prefix(b.pageSize))
            let stored = try await knowledge.store.entries(page.map(\.id))
            let entries = page.compactMap { hit -> Listed? in
                guard let s = stored[hit.id], let shown = editor ? s.entry.content : s.entry.published else { return nil }
                return Listed(stored: s, content: shown, snippet: hit.snippet)
            }
            return Listing(entries: entries, hasMore: hits.count > offset + b.pageSize && offset + b.pageSize < Self.rankedLimit, ranked: true)
        }
        var filter = KnowledgeFilter(status: b.status, servedOnly: !editor, categoryCode: b.categoryCode)
        if let code = b.categoryCode { filter.categorySubtree = WorkOrderDesk.movedSubtree(of: code, in: services.reference.context) }
        if b.mine { filter.editedBy = user.id }
        if !query.isEmpty { filter.text = query }
        let rows = try await knowledge.store.browse(filter, limit: b.pageSize + 1, offset: offset)
        let entries = rows.prefix(b.pageSize).compactMap { s -> Listed? in
            guard let shown = editor ? s.entry.content : s.entry.published else { return nil }
            return Listed(stored: s, content: shown, snippet: nil)
        }
        return Listing(entries: entries, hasMore: rows.count > b.pageSize, ranked: false)
    }

    /// How many entries are in each status (editors' filter).
    public func statusCounts(for user: UserAccount) async throws -> [KnowledgeStatus: Int] {
        guard Capability.manageKnowledge.isAllowed(for: user.role) else { throw AppError.lacks(.manageKnowledge, role: user.role) }
        return try await knowledge.store.statusCounts()
    }

    /// One entry as its reader sees it, with its history (editors) and the names of the people in it.
    public struct EntryRecord: Sendable {
        public var stored: KnowledgeStore.Stored
        /// The wording shown: the working copy for editors, the approved one for everyone else.
        public var content: KnowledgeContent
        /// Every version and review step, oldest first (editors only; empty for other readers).
        public var history: [KnowledgeRevision]
        /// Display names of the people the entry and its history name, by login.
        public var names: [String: String]
        /// Whether the reader may maintain the knowledge base.
        public var editable: Bool
    }

    /// One entry for `user`: editors see every entry and its history; other readers only an entry in service
    /// (its approved wording); anything else answers as missing.
    public func entry(_ id: Int64, for user: UserAccount) async throws -> EntryRecord {
        guard Capability.searchKnowledge.isAllowed(for: user.role) else { throw AppError.lacks(.searchKnowledge, role: user.role) }
        let editor = Capability.manageKnowledge.isAllowed(for: user.role)
        guard let stored = try await knowledge.store.entry(id) else { throw AppError.notFound(what: "知识条目 \(id) ") }
        let shown: KnowledgeContent
        if editor {
            shown = stored.entry.content
        } else {
            guard stored.entry.status != .retired, let published = stored.entry.published else { throw AppError.notFound(what: "知识条目 \(id) ") }
            shown = published
        }
        let history = editor ? try await knowledge.store.history(id) : []
        let people = Set([stored.entry.createdBy, stored.entry.editedBy] + history.map(\.actorID))
        let names = try await services.directory.displayNames(of: people)
        return EntryRecord(stored: stored, content: shown, history: history, names: names, editable: editor)
    }

    /// Statuses of an order that may become a knowledge draft: finished, with an answer the centre stood by.
    public static let draftableStatuses: Set<WorkOrderStatus> = [.closed, .archived]

    /// The answer a finished order ended with: the direct answer, or the last reply that passed review.
    public static func finalAnswer(of record: OrderRecord) -> String? {
        if let direct = record.order.directAnswer, !direct.isEmpty { return direct }
        if let round = record.replyRounds.last(where: { if case .passed = $0.review { true } else { false } }), !round.text.isEmpty {
            return round.text
        }
        return nil
    }

    /// Whether `user` may turn this order into a knowledge draft now.
    public static func mayDraft(from record: OrderRecord, by user: UserAccount) -> Bool {
        Capability.draftKnowledge.isAllowed(for: user.role) && draftableStatuses.contains(record.order.status) && finalAnswer(of: record) != nil
    }

    /// The new-entry form filled from a finished order (转为知识草稿): the citizen's request as the question, the final
    /// answer, the order's category and lead unit. `record` is read within the user's data scope.
    public func draft(from record: OrderRecord, by user: UserAccount) throws -> ContentInput {
        guard Capability.draftKnowledge.isAllowed(for: user.role) else { throw AppError.lacks(.draftKnowledge, role: user.role) }
        guard Self.draftableStatuses.contains(record.order.status) else {
            throw AppError.conflict(code: "order_not_finished", message: "工单\(record.order.status.chineseName)，办结后才能转为知识草稿", field: nil)
        }
        guard let answer = Self.finalAnswer(of: record) else {
            throw AppError.conflict(code: "no_answer", message: "该工单没有审核通过的答复，不能转为知识草稿", field: nil)
        }
        let order = record.order
        let question = order.content.trimmingCharacters(in: .whitespacesAndNewlines)
        return ContentInput(
            title: String(order.title.prefix(KnowledgeWorkflow.titleLimit)),
            questions: question.isEmpty ? [] : [String(question.prefix(KnowledgeWorkflow.questionLimit))],
            answer: String(answer.prefix(KnowledgeWorkflow.answerLimit)), categoryCode: order.categoryCode, unitId: order.leadUnit)
    }
}

import Foundation
import HotlineDomain
import HotlineStorage

/// The typical-case use cases (典型案例库): supervisors, managers and quality inspectors mark a finished order they can
/// see as a typical case — a title, why (tags) and what to learn — and retire a case; the centre's staff read the
/// library for training. A case shows its order's request and answer with the caller masked; it links to the order
/// only for a reader whose data scope covers it. Marking and retiring are audited.
public struct CaseDesk: Sendable {
    let services: HotlineServices
    let orders: WorkOrderDesk
    var store: TypicalCaseStore { TypicalCaseStore(database: services.database) }

    init(services: HotlineServices, orders: WorkOrderDesk) {
        self.services = services
        self.orders = orders
    }

    /// What a marker sends (the API's JSON and the console's form alike).
    public struct Input: Decodable, Sendable, Equatable {
        public var orderNumber: String
        public var title: String
        public var tags: [String]
        public var note: String

        public init(orderNumber: String, title: String, tags: [String], note: String) {
            self.orderNumber = orderNumber
            self.title = title
            self.tags = tags
            self.note = note
        }
    }

    /// Why a case is retired.
    public struct RetireInput: Decodable, Sendable {
        public var reason: String
        public init(reason: String) { self.reason = reason }
    }

    /// The finished order `user` may mark, read within their data scope.
    public func markable(_ number: OrderNumber, by user: UserAccount) async throws -> OrderRecord {
        guard Capability.markTypicalCases.isAllowed(for: user.role) else { throw AppError.lacks(.markTypicalCases, role: user.role) }
        guard let record = try await orders.record(number, for: user.actor, narrated: false) else { throw AppError.notFound(what: "工单 \(number) ") }
        guard TypicalCase.markableStatuses.contains(record.order.status) else {
            throw AppError.conflict(code: "order_not_finished", message: "工单\(record.order.status.chineseName)，办结或归档后才能标为典型案例", field: "order_number")
        }
        return record
    }

    /// Whether `user` may mark this order now (the order page's link).
    public static func mayMark(_ order: WorkOrder, by user: UserAccount) -> Bool {
        Capability.markTypicalCases.isAllowed(for: user.role) && TypicalCase.markableStatuses.contains(order.status)
    }

    /// Marks a finished order as a typical case. Refused: another role (403), an order the marker cannot see (404), one
    /// not finished or already a case in force (409), a wrong field (422); nothing is stored then.
    public func mark(_ input: Input, by user: UserAccount, client: String?, at now: Date) async throws -> TypicalCaseStore.Stored {
        guard Capability.markTypicalCases.isAllowed(for: user.role) else { throw AppError.lacks(.markTypicalCases, role: user.role) }
        guard let number = OrderNumber(input.orderNumber.trimmingCharacters(in: .whitespaces)) else {
            throw AppError.invalid(field: "order_number", message: "工单编号格式不正确")
        }
        var tags: [TypicalCaseTag] = []
        for text in input.tags {
            guard let tag = TypicalCaseTag(rawValue: text) else {
                throw AppError.invalid(
                    field: "tags",
                    message: "未知的标签「\(String(text.prefix(20)))」，应为" + TypicalCaseTag.allCases.map(\.chineseName).joined(separator: "、") + "之一")
            }
            tags.append(tag)
        }
        let draft: TypicalCase.Draft
        switch TypicalCase.Draft(title: input.title, tags: tags, note: input.note).checked() {
        case .success(let d): draft = d
        case .failure(let e): throw AppError.invalid(field: e.field, message: e.message)
        }
        let order = try await markable(number, by: user).order
        guard
            let stored = try await store.create(
                draft, order: number, orderTitle: order.title, categoryCode: order.categoryCode, by: user.actor, at: now, client: client)
        else {
            throw AppError.conflict(code: "already_typical_case", message: "工单 \(number) 已是典型案例", field: "order_number")
        }
        return stored
    }

    /// Retires a case in force, with the reason (audited).
    public func retire(_ id: Int64, _ input: RetireInput, by user: UserAccount, client: String?, at now: Date) async throws -> TypicalCaseStore.Stored
    {
        guard Capability.markTypicalCases.isAllowed(for: user.role) else { throw AppError.lacks(.markTypicalCases, role: user.role) }
        let reason = input.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 200 else { throw AppError.invalid(field: "reason", message: "撤销须说明理由，不能为空且不能超过200字") }
        guard let existing = try await store.typicalCase(id) else { throw AppError.notFound(what: "典型案例 \(id) ") }
        guard existing.typicalCase.active, let stored = try await store.retire(id, reason: reason, by: user.actor, at: now, client: client) else {
            throw AppError.conflict(code: "case_retired", message: "该典型案例已撤销", field: nil)
        }
        return stored
    }

    /// What a library page asks for.
    public struct Browse: Sendable, Equatable {
        public var query: String?
        public var tags: [String] = []
        public var categoryCode: String?
        /// Marked on or after this day (`YYYY-MM-DD`, China time) …
        public var from: String?
        /// … up to and including this day.
        public var to: String?
        /// Markers only: `retired` or `all` besides the cases in force.
        public var state: String?
        public var page = 1
        public var pageSize = 20

        public init(
            query: String? = nil, tags: [String] = [], categoryCode: String? = nil, from: String? = nil, to: String? = nil, state: String? = nil,
            page: Int = 1, pageSize: Int = 20
        ) {
            self.query = query
            self.tags = tags
            self.categoryCode = categoryCode
            self.from = from
            self.to = to
            self.state = state
            self.page = page
            self.pageSize = pageSize
        }
    }

    public struct Listing: Sendable {
        public var cases: [TypicalCaseStore.Stored]
        public var hasMore: Bool
    }

    /// A page of the library, newest first.
    public func browse(_ b: Browse, for user: UserAccount) async throws -> Listing {
        guard Capability.readCases.isAllowed(for: user.role) else { throw AppError.lacks(.readCases, role: user.role) }
        let query = b.query?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard query.count <= 100 else { throw AppError.invalid(field: "q", message: "不能超过100字") }
        guard (1...1000).contains(b.page) else { throw AppError.invalid(field: "page", message: "页码应在1到1000之间") }
        var filter = CaseFilter(text: query.isEmpty ? nil : query)
        for text in b.tags where !text.isEmpty {
            guard let tag = TypicalCaseTag(rawValue: text) else { throw AppError.invalid(field: "tag", message: "未知的标签") }
            filter.tags.append(tag)
        }
        if let code = b.categoryCode, !code.isEmpty {
            guard services.reference.context.categories.contains(code) else { throw AppError.invalid(field: "category", message: "事项分类不存在") }
            filter.categoryCodes = services.reference.context.categoryTree.subtree(of: code)
        }
        func day(_ text: String?, field: String) throws -> CivilDay? {
            guard let text, !text.isEmpty else { return nil }
            guard let d = CivilDay(iso: text) else { throw AppError.invalid(field: field, message: "日期格式应为 YYYY-MM-DD") }
            return d
        }
        filter.from = try day(b.from, field: "from")?.start
        filter.to = try day(b.to, field: "to")?.adding(days: 1).start
        if let from = filter.from, let to = filter.to, to <= from { throw AppError.invalid(field: "to", message: "结束日期不能早于开始日期") }
        switch b.state ?? "" {
        case "", "active": filter.active = true
        case "retired", "all":
            guard Capability.markTypicalCases.isAllowed(for: user.role) else { throw AppError.lacks(.markTypicalCases, role: user.role) }
            filter.active = b.state == "retired" ? false : nil
        default: throw AppError.invalid(field: "state", message: "应为 active、retired 或 all")
        }
        let rows = try await store.browse(filter, limit: b.pageSize + 1, offset: (b.page - 1) * b.pageSize)
        return Listing(cases: Array(rows.prefix(b.pageSize)), hasMore: rows.count > b.pageSize)
    }

    /// A case as its reader sees it: the case, the order's request and answer with the caller masked, and whether the
    /// reader may open the order itself.
    public struct Record: Sendable {
        public var stored: TypicalCaseStore.Stored
        public var order: WorkOrder
        /// The caller as a case shows them: name and phone masked; a confidential caller withheld.
        public var caller: (name: String, phone: String)
        /// The answer the order ended with (the direct answer or the last reply that passed review).
        public var answer: String?
        /// The reader's data scope covers the order (a link to it is offered).
        public var orderVisible: Bool
        public var names: [String: String]
        /// The reader may retire the case.
        public var retirable: Bool
    }

    /// One case for `user`; a retired case only for those who mark cases.
    public func record(_ id: Int64, for user: UserAccount) async throws -> Record {
        guard Capability.readCases.isAllowed(for: user.role) else { throw AppError.lacks(.readCases, role: user.role) }
        let marker = Capability.markTypicalCases.isAllowed(for: user.role)
        guard let stored = try await store.typicalCase(id), stored.typicalCase.active || marker else { throw AppError.notFound(what: "典型案例 \(id) ") }
        let number = stored.typicalCase.orderNumber
        // The case is the reader's grant to the order's request and answer, whatever their own data scope.
        guard let record = try await orders.record(number, for: .system, narrated: false) else { throw AppError.notFound(what: "工单 \(number) ") }
        var visible = false
        if Capability.viewOrders.isAllowed(for: user.role) { visible = try await orders.current(number, for: user.actor) != nil }
        let c = record.order.caller
        let caller =
            c.confidential
            ? (ContactPrivacy.confidentialPlaceholder, ContactPrivacy.confidentialPlaceholder)
            : (c.name.isEmpty ? "—" : ContactPrivacy.maskName(c.name, type: c.type), ContactPrivacy.maskPhone(c.phone))
        let people = Set([stored.typicalCase.createdBy] + (stored.typicalCase.retiredBy.map { [$0] } ?? []))
        return Record(
            stored: stored, order: record.order, caller: caller, answer: KnowledgeDesk.finalAnswer(of: record), orderVisible: visible,
            names: try await services.directory.displayNames(of: people), retirable: marker && stored.typicalCase.active)
    }

    /// The case in force for an order, if `user` may read cases (the order page's note).
    public func inForce(for number: OrderNumber, user: UserAccount) async throws -> TypicalCaseStore.Stored? {
        guard Capability.readCases.isAllowed(for: user.role) else { return nil }
        return try await store.inForce(for: number)
    }
}

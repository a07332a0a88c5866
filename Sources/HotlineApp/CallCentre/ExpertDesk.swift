import Foundation
import HotlineDomain
import HotlineStorage

/// Expert seats and policy specialists (专家坐席, 政策专员): managers station departments in the centre with their
/// matters, hours and specialists; an agent escalates a call to the seat of its matter (recorded on the call as a
/// transfer, or a three-way call) or leaves a written question; the specialist answers, and the answer can become a
/// knowledge draft in the same step (解答一个、规范一类), for the editors to review.
public struct ExpertDesk: Sendable {
    let services: HotlineServices
    let orders: WorkOrderDesk
    var store: ExpertSeatStore { ExpertSeatStore(database: services.database) }

    init(services: HotlineServices, orders: WorkOrderDesk) {
        self.services = services
        self.orders = orders
    }

    /// Who opens the seats' page: those who ask, answer, manage or watch.
    public static let readers: Set<Role> = [.agent, .dispatcher, .supervisor, .manager, .admin, .unitStaff, .unitAdmin]
    /// Who reads every consultation.
    static let overseers: Set<Role> = [.supervisor, .manager, .admin]

    /// A seat's settings as a form or the API gives them.
    public struct SeatInput: Decodable, Sendable {
        public var name: String
        public var unitId: String
        public var matters: [String]
        /// `09:00-12:00 14:00-17:30`.
        public var hours: String
        public var specialists: [String]
        public var note: String?
        /// Whether the seat is in service (editing only; a new seat is).
        public var active: Bool?

        public init(name: String, unitId: String, matters: [String], hours: String, specialists: [String], note: String? = nil, active: Bool? = nil) {
            self.name = name
            self.unitId = unitId
            self.matters = matters
            self.hours = hours
            self.specialists = specialists
            self.note = note
            self.active = active
        }
    }

    /// A question to a seat.
    public struct AskInput: Decodable, Sendable {
        public var seatId: Int64
        public var question: String
        public var categoryCode: String?
        /// The call being escalated (转接); the agent must have answered it.
        public var callId: String?
        public var orderNumber: String?
        /// A three-way call (三方通话) rather than a transfer.
        public var threeWay: Bool?

        public init(seatId: Int64, question: String, categoryCode: String? = nil, callId: String? = nil, orderNumber: String? = nil, threeWay: Bool? = nil) {
            self.seatId = seatId
            self.question = question
            self.categoryCode = categoryCode
            self.callId = callId
            self.orderNumber = orderNumber
            self.threeWay = threeWay
        }
    }

    /// A specialist's answer.
    public struct AnswerInput: Decodable, Sendable {
        public var answer: String
        /// Make the knowledge draft in the same step.
        public var toKnowledge: Bool?

        public init(answer: String, toKnowledge: Bool? = nil) {
            self.answer = answer
            self.toKnowledge = toKnowledge
        }
    }

    /// A seat with what a reader needs beside it.
    public struct SeatView: Sendable {
        public var seat: ExpertSeat
        public var unitName: String
        public var matterNames: [String]
        public var specialistNames: [String]
        /// Staffed now (in service, a working day, within its hours).
        public var staffed: Bool
        /// Consultations waiting for an answer.
        public var waiting: Int
    }

    func requireReader(_ user: UserAccount) throws {
        guard Self.readers.contains(user.role) else { throw AppError.lacks(.consultExperts, role: user.role) }
    }

    func requireManager(_ user: UserAccount) throws {
        guard Capability.manageExpertSeats.isAllowed(for: user.role) else { throw AppError.lacks(.manageExpertSeats, role: user.role) }
    }

    // MARK: Seats

    /// The seats in service for a reader (with those out of service for managers who ask), the seats serving
    /// `category` first.
    public func seats(for user: UserAccount, category: String? = nil, includingRetired: Bool = false, at now: Date) async throws -> [SeatView] {
        try requireReader(user)
        if includingRetired { try requireManager(user) }
        let all = try await store.seats()
        let waiting = Dictionary(grouping: try await store.consultations(.init(status: .waiting), limit: 500), by: \.seatID).mapValues(\.count)
        let users = Dictionary(try await services.directory.users().map { ($0.id, $0.displayName) }, uniquingKeysWith: { a, _ in a })
        let reference = services.reference
        let tree = reference.context.categoryTree
        let calendar = reference.context.calendar
        let manager = Capability.manageExpertSeats.isAllowed(for: user.role)
        var views = all.filter { $0.active || (manager && includingRetired) }.map { seat in
            SeatView(
                seat: seat, unitName: reference.unitName(seat.content.unitID) ?? seat.content.unitID,
                matterNames: seat.content.matters.map { reference.categoryName($0) ?? $0 },
                specialistNames: seat.content.specialists.map { users[$0] ?? $0 },
                staffed: seat.isStaffed(at: now, calendar: calendar), waiting: waiting[seat.id] ?? 0)
        }
        if let category, !category.isEmpty {
            views.sort { a, b in
                let sa = a.seat.serves(category, in: tree), sb = b.seat.serves(category, in: tree)
                return sa != sb ? sa : (a.staffed != b.staffed ? a.staffed : a.seat.content.name < b.seat.content.name)
            }
        }
        return views
    }

    /// Every seat's name, in service or not (a list of consultations names their seats).
    public func seatNames(for user: UserAccount) async throws -> [Int64: String] {
        try requireReader(user)
        return Dictionary(try await store.seats().map { ($0.id, $0.content.name) }, uniquingKeysWith: { a, _ in a })
    }

    public func seat(_ id: Int64, for user: UserAccount) async throws -> ExpertSeat {
        try requireReader(user)
        guard let seat = try await store.seat(id), seat.active || Capability.manageExpertSeats.isAllowed(for: user.role) else {
            throw AppError.notFound(what: "专家坐席")
        }
        return seat
    }

    func content(_ input: SeatInput) async throws -> ExpertSeatContent {
        let hours: [DayTimeRange]
        switch DayTimeRange.parseList(input.hours) {
        case .success(let h): hours = h
        case .failure(let e): throw AppError.invalid(field: e.field, message: e.message)
        }
        let raw = ExpertSeatContent(
            name: input.name, unitID: input.unitId.trimmingCharacters(in: .whitespaces), matters: input.matters, hours: hours,
            specialists: input.specialists, note: input.note ?? "")
        let reference = services.reference
        let tree = reference.context.categoryTree
        let units = Dictionary(try await services.directory.users().map { ($0.id, $0.unitID) }, uniquingKeysWith: { a, _ in a })
        switch raw.checked(isUnit: { reference.unitName($0) != nil }, isCategory: { tree.isOffered($0) }, unitOf: { units[$0] ?? nil }) {
        case .success(let c): return c
        case .failure(let e): throw AppError.invalid(field: e.field, message: e.message)
        }
    }

    /// A new seat, in service.
    public func addSeat(_ input: SeatInput, by user: UserAccount, at now: Date, client: String? = nil) async throws -> ExpertSeat {
        try requireManager(user)
        let content = try await content(input)
        do {
            return try await store.add(
                content, audit: AuditEntry(at: now, actor: user.actor, action: .expertSeatChanged, detail: "新增专家坐席：\(content.name)", client: client),
                at: now)
        } catch ExpertSeatStoreError.nameTaken {
            throw AppError.conflict(code: "seat_name_taken", message: "已有同名的专家坐席", field: "name")
        }
    }

    /// New settings for a seat, or taking it out of service (`active` false) and back.
    public func editSeat(_ id: Int64, _ input: SeatInput, by user: UserAccount, at now: Date, client: String? = nil) async throws -> ExpertSeat {
        try requireManager(user)
        let content = try await content(input)
        guard let current = try await store.seat(id) else { throw AppError.notFound(what: "专家坐席") }
        let active = input.active ?? current.active
        let detail = active == current.active ? "修改专家坐席：\(content.name)" : (active ? "恢复专家坐席：" : "停用专家坐席：") + content.name
        do {
            guard let seat = try await store.update(
                id, content: content, active: active,
                audit: AuditEntry(at: now, actor: user.actor, action: .expertSeatChanged, detail: detail, client: client), at: now)
            else { throw AppError.notFound(what: "专家坐席") }
            return seat
        } catch ExpertSeatStoreError.nameTaken {
            throw AppError.conflict(code: "seat_name_taken", message: "已有同名的专家坐席", field: "name")
        }
    }

    // MARK: Consultations

    /// 转专家坐席: a question to an in-service seat. With a call, the seat must be staffed now and the call must be
    /// one the agent answered; the call records the transfer. Without one, it is a written question (留言会商) the
    /// specialist answers when on duty.
    public func ask(_ input: AskInput, by user: UserAccount, at now: Date, client: String? = nil) async throws -> ExpertConsultation {
        guard Capability.consultExperts.isAllowed(for: user.role) else { throw AppError.lacks(.consultExperts, role: user.role) }
        guard let seat = try await store.seat(input.seatId), seat.active else {
            throw AppError.invalid(field: "seat_id", message: "专家坐席不存在或已停用")
        }
        let question = input.question.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !question.isEmpty else { throw AppError.invalid(field: "question", message: "请写明要请专家解答的问题") }
        guard question.count <= ExpertConsultation.questionLimit else {
            throw AppError.invalid(field: "question", message: "问题不能超过\(ExpertConsultation.questionLimit)字")
        }
        var category: String?
        if let code = input.categoryCode?.trimmingCharacters(in: .whitespaces), !code.isEmpty {
            guard services.reference.context.categoryTree.isOffered(code) else { throw AppError.invalid(field: "category_code", message: "事项分类不存在") }
            category = code
        }
        var number: OrderNumber?
        if let text = input.orderNumber?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let n = OrderNumber(text), try await orders.order(n, for: user.actor) != nil else {
                throw AppError.invalid(field: "order_number", message: "工单不存在")
            }
            number = n
        }
        var call: String?
        if let id = input.callId?.trimmingCharacters(in: .whitespaces), !id.isEmpty {
            guard try await store.callAnswered(id, by: user.id) else { throw AppError.invalid(field: "call_id", message: "这通来电不是您接听的") }
            guard seat.isStaffed(at: now, calendar: services.reference.context.calendar) else {
                throw AppError.conflict(
                    code: "seat_off_duty",
                    message: "\(seat.content.name)现在不在值守时间（工作日 \(seat.content.hours.map(\.text).joined(separator: "、"))），可不带来电留言会商",
                    field: "seat_id")
            }
            call = id
        }
        let threeWay = call != nil && input.threeWay == true
        let how = call == nil ? "留言会商" : (threeWay ? "三方通话" : "转接")
        return try await store.ask(
            seat: seat, question: question, categoryCode: category, callID: call, orderNumber: number, threeWay: threeWay, by: user.actor, at: now,
            audit: AuditEntry(at: now, actor: user.actor, action: .expertConsulted, detail: "\(how)：\(seat.content.name)", client: client))
    }

    /// What a user's list shows: their own questions (agents, dispatchers), their seats' (specialists), every one
    /// (supervisors, managers, admins).
    /// `asked` asks for the user's own questions (those who consult), `seats` for their seats' (specialists).
    public enum ListView: String, Sendable {
        case asked, seats
    }

    public func consultations(for user: UserAccount, status: ConsultationStatus? = nil, view: ListView? = nil) async throws -> [ExpertConsultation] {
        try requireReader(user)
        switch view {
        case .asked:
            guard Capability.consultExperts.isAllowed(for: user.role) else { throw AppError.lacks(.consultExperts, role: user.role) }
            return try await store.consultations(.init(askedBy: user.id, status: status))
        case .seats:
            guard Capability.answerAsExpert.isAllowed(for: user.role) else { throw AppError.lacks(.answerAsExpert, role: user.role) }
        case nil:
            if Self.overseers.contains(user.role) { return try await store.consultations(.init(status: status)) }
        }
        if Capability.answerAsExpert.isAllowed(for: user.role) {
            let mine = try await store.seats().filter { seat in seat.content.specialists.contains(user.id) || isUnitAdmin(user, of: seat) }.map(\.id)
            return try await store.consultations(.init(seatIDs: mine, status: status))
        }
        return try await store.consultations(.init(askedBy: user.id, status: status))
    }

    func isUnitAdmin(_ user: UserAccount, of seat: ExpertSeat) -> Bool { user.role == .unitAdmin && user.unitID == seat.content.unitID }

    /// One consultation with its seat, for whoever may read it (otherwise as if it did not exist).
    public func consultation(_ id: Int64, for user: UserAccount) async throws -> (ExpertConsultation, ExpertSeat) {
        try requireReader(user)
        guard let c = try await store.consultation(id), let seat = try await store.seat(c.seatID), mayRead(c, seat: seat, user: user) else {
            throw AppError.notFound(what: "专家会商")
        }
        return (c, seat)
    }

    func mayRead(_ c: ExpertConsultation, seat: ExpertSeat, user: UserAccount) -> Bool {
        Self.overseers.contains(user.role) || c.askedBy == user.id || seat.content.specialists.contains(user.id) || isUnitAdmin(user, of: seat)
    }

    /// Whether `user` answers at `seat`.
    public func answers(_ seat: ExpertSeat, _ user: UserAccount) -> Bool {
        Capability.answerAsExpert.isAllowed(for: user.role) && seat.content.specialists.contains(user.id)
    }

    /// 专家解答: the seat's specialist answers a waiting question, optionally making the knowledge draft in the same
    /// step. A second answer is refused and changes nothing.
    public func answer(_ id: Int64, _ input: AnswerInput, by user: UserAccount, at now: Date, client: String? = nil) async throws -> ExpertConsultation {
        guard Capability.answerAsExpert.isAllowed(for: user.role) else { throw AppError.lacks(.answerAsExpert, role: user.role) }
        let (c, seat) = try await consultation(id, for: user)
        guard answers(seat, user) else {
            throw AppError.forbidden(code: "not_specialist", message: "您不是\(seat.content.name)的政策专员", field: nil)
        }
        let text = input.answer.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw AppError.invalid(field: "answer", message: "解答不能为空") }
        guard text.count <= ExpertConsultation.answerLimit else {
            throw AppError.invalid(field: "answer", message: "解答不能超过\(ExpertConsultation.answerLimit)字")
        }
        guard c.status == .waiting else { throw Self.answeredAlready }
        var draft: KnowledgeContent?
        if input.toKnowledge == true {
            var answered = c
            answered.answer = text
            draft = try answered.knowledgeDraft(unitID: seat.content.unitID).map { try KnowledgeDesk(services: services).validated($0) }
        }
        guard let stored = try await store.answer(
            id, answer: text, by: user.actor, at: now, draft: draft,
            audit: AuditEntry(at: now, actor: user.actor, action: .expertAnswered, detail: draft == nil ? "解答" : "解答并转为知识草稿", client: client))
        else { throw Self.answeredAlready }
        return stored
    }

    static let answeredAlready = AppError.conflict(code: "already_answered", message: "该问题已有解答", field: nil)

    /// 转为知识草稿 for an answer that has no draft yet: the seat's specialists or the knowledge editors.
    public func draftKnowledge(_ id: Int64, by user: UserAccount, at now: Date) async throws -> Int64 {
        let editor = Capability.manageKnowledge.isAllowed(for: user.role)
        guard editor || Capability.answerAsExpert.isAllowed(for: user.role) else { throw AppError.lacks(.answerAsExpert, role: user.role) }
        guard let c = try await store.consultation(id), let seat = try await store.seat(c.seatID), editor || answers(seat, user) else {
            throw AppError.notFound(what: "专家会商")
        }
        guard c.status == .answered else { throw AppError.conflict(code: "not_answered", message: "该问题尚未解答", field: nil) }
        guard c.knowledgeEntryID == nil else { throw Self.draftedAlready }
        guard let content = try c.knowledgeDraft(unitID: seat.content.unitID).map({ try KnowledgeDesk(services: services).validated($0) }) else {
            throw AppError.conflict(code: "not_answered", message: "该问题尚未解答", field: nil)
        }
        do {
            guard let entry = try await store.draftKnowledge(id, content: content, by: user.actor, at: now) else { throw Self.draftedAlready }
            return entry
        } catch ExpertSeatStoreError.draftExists {
            throw Self.draftedAlready
        }
    }

    static let draftedAlready = AppError.conflict(code: "already_drafted", message: "该解答已转为知识草稿", field: nil)
}

extension HotlineApp {
    /// Expert seats and specialists (专家坐席).
    public var experts: ExpertDesk { ExpertDesk(services: services, orders: desk) }
}

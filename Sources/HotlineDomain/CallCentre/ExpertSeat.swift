import Foundation

/// A time of day as minutes after midnight, China time (e.g. 9:00 is 540).
public struct DayTimeRange: Sendable, Equatable, Codable, Hashable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    public func contains(minute: Int) -> Bool { minute >= start && minute < end }

    /// `09:00-12:00`.
    public var text: String { ScheduleRules.clock(start) + "-" + ScheduleRules.clock(end) }

    /// Ranges written as `09:00-12:00 14:00-17:30` (spaces, commas or 、 between them), checked to lie within a day,
    /// to end after they start and not to overlap; nil with the reason when they do not.
    public static func parseList(_ text: String) -> Result<[DayTimeRange], ExpertSeatError> {
        let parts = text.split(whereSeparator: { " ,，、;；\n".contains($0) }).map(String.init)
        var ranges: [DayTimeRange] = []
        for part in parts {
            let ends = part.replacingOccurrences(of: "－", with: "-").replacingOccurrences(of: "—", with: "-").replacingOccurrences(of: "至", with: "-")
                .split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
            guard ends.count == 2, let start = minutes(ends[0]), let end = minutes(ends[1]) else {
                return .failure(ExpertSeatError(field: "hours", message: "值守时间应写成“09:00-12:00 14:00-17:30”的形式"))
            }
            guard end > start else { return .failure(ExpertSeatError(field: "hours", message: "值守时间“\(part)”的结束应晚于开始")) }
            ranges.append(DayTimeRange(start: start, end: end))
        }
        ranges.sort { $0.start < $1.start }
        for (a, b) in zip(ranges, ranges.dropFirst()) where b.start < a.end {
            return .failure(ExpertSeatError(field: "hours", message: "值守时间“\(a.text)”与“\(b.text)”重叠"))
        }
        return .success(ranges)
    }

    /// A time of day as the roster reads it (`08:30`, `8:30`, `24:00`), a full-width colon allowed.
    static func minutes(_ text: String) -> Int? { ScheduleRules.minute(text.replacingOccurrences(of: "：", with: ":")) }
}

/// What is wrong with an expert seat or a consultation, naming the field.
public struct ExpertSeatError: Error, Sendable, Equatable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// 专家坐席: a department stationed in the centre (驻场部门) answering, through its policy specialists (政策专员), the
/// matters agents cannot answer alone — 公积金, 人社, 司法 and the like. Agents escalate a call to the seat of its
/// matter while the seat is staffed; the seat is staffed on working days (the city's calendar) in its hours.
public struct ExpertSeat: Sendable, Equatable, Codable {
    public var id: Int64
    public var content: ExpertSeatContent
    public var active: Bool

    public init(id: Int64, content: ExpertSeatContent, active: Bool = true) {
        self.id = id
        self.content = content
        self.active = active
    }

    /// Whether the seat is in service and staffed at `date`: an active seat, on a working day, within its hours.
    public func isStaffed(at date: Date, calendar: WorkingCalendar) -> Bool {
        guard active else { return false }
        let day = CivilDay(containing: date)
        guard calendar.isWorkingDay(day) else { return false }
        let minute = Int(date.timeIntervalSince(day.start) / 60)
        return content.hours.contains { $0.contains(minute: minute) }
    }

    /// Whether the seat answers the category `code` (one of its matters or a category below one).
    public func serves(_ code: String, in tree: CategoryHierarchy) -> Bool {
        content.matters.contains { tree.isWithin(code, $0) }
    }
}

/// An expert seat's settings as managers keep them.
public struct ExpertSeatContent: Sendable, Equatable, Codable {
    /// 坐席名称, e.g. 公积金专家坐席; what a transfer names.
    public var name: String
    /// The stationed department (驻场部门).
    public var unitID: UnitID
    /// The categories the seat answers (each with everything below it).
    public var matters: [String]
    /// 值守时间 on working days.
    public var hours: [DayTimeRange]
    /// The users who answer at the seat (政策专员), staff of the department.
    public var specialists: [String]
    /// 说明: what the seat covers, for agents.
    public var note: String

    public init(name: String, unitID: UnitID, matters: [String], hours: [DayTimeRange], specialists: [String], note: String = "") {
        self.name = name
        self.unitID = unitID
        self.matters = matters
        self.hours = hours
        self.specialists = specialists
        self.note = note
    }

    public static let nameLimit = 30
    public static let noteLimit = 300
    public static let specialistLimit = 20

    /// The settings trimmed, or the first wrong field. `isCategory` says whether a code names a category in use;
    /// `unitOf` gives an active user's unit (nil for an unknown or inactive user, or one of no unit).
    public func checked(isUnit: (UnitID) -> Bool, isCategory: (String) -> Bool, unitOf: (String) -> UnitID?) -> Result<ExpertSeatContent, ExpertSeatError> {
        var c = self
        c.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        c.note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        c.matters = Array(NSOrderedSet(array: matters.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })) as? [String] ?? []
        c.specialists = Array(NSOrderedSet(array: specialists.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })) as? [String] ?? []
        guard !c.name.isEmpty else { return .failure(.init(field: "name", message: "坐席名称不能为空")) }
        guard c.name.count <= Self.nameLimit else { return .failure(.init(field: "name", message: "坐席名称不能超过\(Self.nameLimit)字")) }
        guard isUnit(c.unitID) else { return .failure(.init(field: "unit_id", message: "驻场部门不存在")) }
        guard !c.matters.isEmpty else { return .failure(.init(field: "matters", message: "请至少选择一个解答事项")) }
        if let bad = c.matters.first(where: { !isCategory($0) }) { return .failure(.init(field: "matters", message: "解答事项“\(bad)”不是在用的事项分类")) }
        guard !c.hours.isEmpty else { return .failure(.init(field: "hours", message: "请填写值守时间")) }
        guard !c.specialists.isEmpty else { return .failure(.init(field: "specialists", message: "请至少指定一名政策专员")) }
        guard c.specialists.count <= Self.specialistLimit else { return .failure(.init(field: "specialists", message: "政策专员不能超过\(Self.specialistLimit)人")) }
        for user in c.specialists {
            guard unitOf(user) == c.unitID else { return .failure(.init(field: "specialists", message: "政策专员“\(user)”不是驻场部门在用的用户")) }
        }
        guard c.note.count <= Self.noteLimit else { return .failure(.init(field: "note", message: "说明不能超过\(Self.noteLimit)字")) }
        return .success(c)
    }
}

/// Where a consultation stands (会商状态).
public enum ConsultationStatus: String, Sendable, Codable, CaseIterable {
    /// 待解答.
    case waiting
    /// 已解答.
    case answered

    public var chineseName: String {
        switch self {
        case .waiting: "待解答"
        case .answered: "已解答"
        }
    }
}

/// 专家会商: an agent's question to an expert seat — escalated from a call (recorded on the call as a transfer, or a
/// three-way call with the specialist), or from an order — and the specialist's answer, which can become a knowledge
/// draft in one step (解答一个、规范一类).
public struct ExpertConsultation: Sendable, Equatable {
    public var id: Int64
    public var seatID: Int64
    public var question: String
    public var categoryCode: String?
    /// The call it was escalated from (a transfer on that call).
    public var callID: String?
    public var orderNumber: OrderNumber?
    public var threeWay: Bool
    public var askedBy: String
    public var askedAt: Date
    public var status: ConsultationStatus
    public var answer: String?
    public var answeredBy: String?
    public var answeredAt: Date?
    /// The knowledge draft made from the answer.
    public var knowledgeEntryID: Int64?

    public init(
        id: Int64, seatID: Int64, question: String, categoryCode: String?, callID: String?, orderNumber: OrderNumber?, threeWay: Bool, askedBy: String,
        askedAt: Date, status: ConsultationStatus = .waiting, answer: String? = nil, answeredBy: String? = nil, answeredAt: Date? = nil,
        knowledgeEntryID: Int64? = nil
    ) {
        self.id = id
        self.seatID = seatID
        self.question = question
        self.categoryCode = categoryCode
        self.callID = callID
        self.orderNumber = orderNumber
        self.threeWay = threeWay
        self.askedBy = askedBy
        self.askedAt = askedAt
        self.status = status
        self.answer = answer
        self.answeredBy = answeredBy
        self.answeredAt = answeredAt
        self.knowledgeEntryID = knowledgeEntryID
    }

    public static let questionLimit = 1000
    public static let answerLimit = 4000

    /// The knowledge draft an answer becomes: the question's first sentence as the title, the question as the way
    /// callers ask it, the answer, the matter and the department.
    public func knowledgeDraft(unitID: UnitID) -> KnowledgeContent? {
        guard let answer else { return nil }
        let firstLine = question.split(whereSeparator: { "\n。？?！!".contains($0) }).first.map(String.init) ?? question
        let title = String(firstLine.trimmingCharacters(in: .whitespaces).prefix(40))
        return KnowledgeContent(
            title: title.isEmpty ? "专家坐席解答" : title, questions: [String(question.prefix(KnowledgeWorkflow.questionLimit))], answer: answer,
            categoryCode: categoryCode, unitID: unitID)
    }
}

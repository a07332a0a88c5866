import Foundation

/// Why a finished order is worth teaching from (典型案例标签).
public enum TypicalCaseTag: String, Sendable, Codable, CaseIterable {
    /// 优秀办理: handled well, to copy.
    case exemplary
    /// 群众不满意: the citizen stayed unsatisfied, to learn why.
    case unsatisfied
    /// 重复诉求: the same request came back again and again.
    case repeatRequest = "repeat_request"
    /// 部门推诿: units passed the order between them.
    case buckPassing = "buck_passing"
    /// 政策咨询: a policy question answered well or badly.
    case policyQuestion = "policy_question"
    /// 疑难复杂: many units, long history, hard to settle.
    case complex
    /// 应急处置: an urgent livelihood matter.
    case urgent
    /// 服务规范: how the call itself was conducted (wording, attitude).
    case serviceManner = "service_manner"

    public var chineseName: String {
        switch self {
        case .exemplary: "优秀办理"
        case .unsatisfied: "群众不满意"
        case .repeatRequest: "重复诉求"
        case .buckPassing: "部门推诿"
        case .policyQuestion: "政策咨询"
        case .complex: "疑难复杂"
        case .urgent: "应急处置"
        case .serviceManner: "服务规范"
        }
    }
}

/// A typical case (典型案例): a finished order that supervisors, managers or quality inspectors hold up for training,
/// with why and what to learn. The case refers to its order; it never copies the caller's name or phone.
public struct TypicalCase: Sendable, Equatable, Codable {
    public var id: Int64
    public var orderNumber: OrderNumber
    public var title: String
    public var tags: [TypicalCaseTag]
    /// 教学要点: what to learn from the order.
    public var note: String
    /// The order's category when it was marked (the library's category filter).
    public var categoryCode: String?
    public var createdAt: Date
    public var createdBy: String
    public var retiredAt: Date?
    public var retiredBy: String?
    public var retireReason: String?

    public init(
        id: Int64, orderNumber: OrderNumber, title: String, tags: [TypicalCaseTag], note: String, categoryCode: String?, createdAt: Date,
        createdBy: String
    ) {
        self.id = id
        self.orderNumber = orderNumber
        self.title = title
        self.tags = tags
        self.note = note
        self.categoryCode = categoryCode
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    public var active: Bool { retiredAt == nil }

    /// Orders that may become a case: finished (办结, 归档), so the lesson has an outcome.
    public static let markableStatuses: Set<WorkOrderStatus> = [.closed, .archived]
    public static let titleLimit = 60
    public static let noteLimit = 2000

    /// What a marker sends, checked: a title, at least one tag, a teaching note.
    public struct Draft: Sendable, Equatable {
        public var title: String
        public var tags: [TypicalCaseTag]
        public var note: String

        public init(title: String, tags: [TypicalCaseTag], note: String) {
            self.title = title
            self.tags = tags
            self.note = note
        }

        /// The draft trimmed with repeated tags dropped, or the first wrong field and why (in Chinese).
        public func checked() -> Result<Draft, ScriptFieldError> {
            var d = self
            d.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
            d.note = note.trimmingCharacters(in: .whitespacesAndNewlines)
            var seen = Set<TypicalCaseTag>()
            d.tags = tags.filter { seen.insert($0).inserted }
            if d.title.isEmpty || d.title.count > TypicalCase.titleLimit {
                return .failure(.init(field: "title", message: "不能为空且不能超过\(TypicalCase.titleLimit)字"))
            }
            if d.tags.isEmpty { return .failure(.init(field: "tags", message: "至少选择一个")) }
            if d.note.isEmpty || d.note.count > TypicalCase.noteLimit {
                return .failure(.init(field: "note", message: "不能为空且不能超过\(TypicalCase.noteLimit)字"))
            }
            return .success(d)
        }
    }
}

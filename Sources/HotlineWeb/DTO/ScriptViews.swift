import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage

/// A reply script as the API shows it (话术).
struct ScriptView: Encodable {
    var id: Int64
    var title: String
    var categoryCode: String?
    /// The matter's path of names; 通用 for a general script.
    var categoryName: String
    var situation: ScriptSituation
    var situationName: String
    var text: String
    var tags: [String]
    var active: Bool
    var version: Int
    var createdAt: Date
    var createdBy: String
    var updatedAt: Date
    var updatedBy: String

    init(_ s: ReplyScript, reference: ReferenceData) {
        id = s.id
        title = s.content.title
        categoryCode = s.content.categoryCode
        categoryName = s.content.categoryCode.map { reference.categoryName($0) ?? $0 } ?? ScriptView.general
        situation = s.content.situation
        situationName = s.content.situation.chineseName
        text = s.content.text
        tags = s.content.tags
        active = s.active
        version = s.version
        createdAt = s.createdAt
        createdBy = s.createdBy
        updatedAt = s.updatedAt
        updatedBy = s.updatedBy
    }

    /// The name of a script without a matter.
    static let general = "通用"
}

/// A script as the intake desk's assistant answer carries it: what the agent reads and copies.
struct AssistScriptView: Encodable {
    var id: Int64
    var title: String
    var situation: ScriptSituation
    var situationName: String
    var categoryName: String
    var text: String
    var tags: [String]

    init(_ s: ReplyScript, reference: ReferenceData) {
        id = s.id
        title = s.content.title
        situation = s.content.situation
        situationName = s.content.situation.chineseName
        categoryName = s.content.categoryCode.map { reference.categoryName($0) ?? $0 } ?? ScriptView.general
        text = s.content.text
        tags = s.content.tags
    }
}

/// A typical case as the API shows it (典型案例): never the caller's name or phone.
struct CaseView: Encodable {
    var id: Int64
    var orderNumber: String
    var orderTitle: String
    var title: String
    var tags: [TypicalCaseTag]
    var tagNames: [String]
    var note: String
    var categoryCode: String?
    var categoryName: String?
    var active: Bool
    var createdAt: Date
    var createdBy: String
    var retiredAt: Date?
    var retiredBy: String?
    var retireReason: String?

    init(_ s: TypicalCaseStore.Stored, reference: ReferenceData) {
        let c = s.typicalCase
        id = c.id
        orderNumber = c.orderNumber.description
        orderTitle = s.orderTitle
        title = c.title
        tags = c.tags
        tagNames = c.tags.map(\.chineseName)
        note = c.note
        categoryCode = c.categoryCode
        categoryName = c.categoryCode.map { reference.categoryName($0) ?? $0 }
        active = c.active
        createdAt = c.createdAt
        createdBy = c.createdBy
        retiredAt = c.retiredAt
        retiredBy = c.retiredBy
        retireReason = c.retireReason
    }
}

/// One case with its order's request and answer, the caller masked.
struct CaseDetailView: Encodable {
    struct Order: Encodable {
        var number: String
        var title: String
        var content: String
        var kind: RequestKind
        var kindName: String
        var status: WorkOrderStatus
        var statusName: String
        var createdAt: Date
        var leadUnitName: String?
        var callerName: String
        var callerPhone: String
        var answer: String?
        var satisfactionName: String?
        /// The reader's data scope covers the order.
        var visible: Bool
    }
    var typicalCase: CaseView
    var order: Order

    init(_ r: CaseDesk.Record, reference: ReferenceData) {
        typicalCase = CaseView(r.stored, reference: reference)
        let o = r.order
        order = Order(
            number: o.number.description, title: o.title, content: o.content, kind: o.kind, kindName: o.kind.chineseName, status: o.status,
            statusName: o.status.chineseName, createdAt: o.timeline.createdAt, leadUnitName: o.leadUnit.flatMap(reference.unitName),
            callerName: r.caller.name, callerPhone: r.caller.phone, answer: r.answer, satisfactionName: o.callback?.satisfaction.chineseName,
            visible: r.orderVisible)
    }
}

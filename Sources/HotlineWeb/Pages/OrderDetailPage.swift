import Foundation
import HotlineDomain
import HotlineStorage

/// 工单详情: the order's facts, the actions the viewer may take now, and the hash-chained timeline.
struct OrderDetailPage: Sendable {
    struct Fact: Sendable {
        var label: String
        var value: String
    }
    struct Option: Sendable {
        var value: String
        var label: String
    }
    struct Field: Sendable {
        enum Kind: Sendable { case text, number, textarea, select, multiSelect }
        var id: String
        var name: String
        var label: String
        var required: Bool
        var options: [Option]
        // Stored rather than computed: templates see stored properties only.
        var isText: Bool
        var isNumber: Bool
        var isTextarea: Bool
        var isSelect: Bool
        var isMultiSelect: Bool

        init(id: String, name: String, label: String, kind: Kind, required: Bool, options: [Option] = []) {
            self.id = id
            self.name = name
            self.label = label
            self.required = required
            self.options = options
            isText = kind == .text
            isNumber = kind == .number
            isTextarea = kind == .textarea
            isSelect = kind == .select
            isMultiSelect = kind == .multiSelect
        }
    }
    struct ActionForm: Sendable {
        var name: String
        var action: String
        var fields: [Field]
    }
    struct Event: Sendable {
        var at: String
        var kind: String
        var actor: String
        var note: String?
        var details: String?
    }
    struct Head: Sendable {
        var number: String
        var title: String
        var content: String
    }

    var title: String
    var user: PageUser?
    var order: Head
    var notice: String?
    var error: String?
    var facts: [Fact]
    var reply: String?
    var actions: [ActionForm]
    var verified: Bool
    var events: [Event]
    /// For dispatchers and agents on an order still to dispatch: what the assistant recommends.
    var advice: Advice? = nil

    struct Advice: Sendable {
        var units: [Fact]
        var similar: [Fact]
        var hasSimilar: Bool
    }

    static let fixture = OrderDetailPage(
        title: "工单 20250303000001", user: .fixture,
        order: Head(number: "20250303000001", title: "小区路灯不亮", content: "东区幸福路12号小区路灯坏了一周。"), notice: nil, error: nil,
        facts: [Fact(label: "状态", value: "待派单"), Fact(label: "来电人", value: "张先生 138****5678")], reply: nil,
        actions: [ActionForm(name: "派单", action: "/orders/20250303000001/dispatch", fields: [
            Field(id: "dispatch-lead_unit", name: "lead_unit", label: "主办单位", kind: .select, required: true,
                  options: [Option(value: "dist-east", label: "东区人民政府")])])],
        verified: true,
        events: [Event(at: "2025-03-03 10:00", kind: "受理", actor: "话务员一（话务员）", note: nil, details: "channel=phone kind=complaint")])
}

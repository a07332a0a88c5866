import Foundation
import HotlineDomain
import HotlineStorage

/// 工单详情: the order's facts, the actions the viewer may take now, and the hash-chained timeline.
struct OrderDetailPage: Sendable {
    struct Fact: Sendable {
        var label: String
        var value: String
        /// Where the label links to (another order), from ``WebRoutes``.
        var href: String? = nil
    }
    struct Option: Sendable {
        var value: String
        var label: String
        /// A radio button chosen beforehand (only where the choice is already made, e.g. the one allowed card colour).
        var checked: Bool = false
    }
    struct Field: Sendable {
        enum Kind: Sendable { case text, number, textarea, select, multiSelect, files, radio, date, dateTime }
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
        var isFiles: Bool
        var isRadio: Bool
        var isDate: Bool
        var isDateTime: Bool
        /// For file inputs: the accepted name endings.
        var accept: String = ""

        init(id: String, name: String, label: String, kind: Kind, required: Bool, options: [Option] = [], chosen: String? = nil) {
            self.id = id
            self.name = name
            self.label = label
            self.required = required
            self.options = options.map { var o = $0; o.checked = $0.value == chosen; return o }
            isText = kind == .text
            isNumber = kind == .number
            isTextarea = kind == .textarea
            isSelect = kind == .select
            isMultiSelect = kind == .multiSelect
            isFiles = kind == .files
            isRadio = kind == .radio
            isDate = kind == .date
            isDateTime = kind == .dateTime
            if isFiles { accept = AttachmentPolicy.acceptAttribute }
        }
    }
    struct ActionForm: Sendable {
        var name: String
        var action: String
        var fields: [Field]
        /// Forms that upload files are sent as multipart/form-data.
        var multipart: Bool = false
        /// A plain-Chinese line above the fields, e.g. the callback attempts so far.
        var hint: String? = nil
    }
    /// A file attached to the reply, linked for those who may see the order.
    struct Attachment: Sendable {
        var name: String
        var href: String
        var size: String
        var isImage: Bool
    }
    /// One reply round (答复) and what review made of it.
    struct Round: Sendable {
        var heading: String
        var byline: String
        var text: String
        var files: [Attachment]
        var review: String?
        var sentBack: Bool
        var hasFiles: Bool
        /// The review rules' verdicts on the current reply (答复审核规则), for the reviewer.
        var checks: [RuleCheck]
        var hasChecks: Bool

        init(heading: String, byline: String, text: String, files: [Attachment], review: String?, sentBack: Bool, checks: [RuleCheck] = []) {
            self.heading = heading
            self.byline = byline
            self.text = text
            self.files = files
            self.review = review
            self.sentBack = sentBack
            hasFiles = !files.isEmpty
            self.checks = checks
            hasChecks = !checks.isEmpty
        }
    }
    /// One review rule's verdict: 通过, 提醒 or 拦截, and what it says.
    struct RuleCheck: Sendable {
        var state: String
        var label: String
        var text: String

        init(_ r: ReplyRuleResult) {
            state = r.passed ? "pass" : r.severity == .block ? "block" : "warn"
            label = r.passed ? "通过" : r.severity == .block ? "不通过" : "提醒"
            text = r.passed ? r.id.description : (r.message ?? r.id.description)
        }
    }
    /// One line of the timeline: when, who, what happened as a sentence, and what the person wrote.
    struct Event: Sendable {
        var at: String
        var actor: String
        var sentence: String
        var note: String?
    }
    struct Head: Sendable {
        var number: String
        var title: String
        var content: String
    }

    var title: String
    var user: PageUser?
    /// The page's own path, which its live-update stream watches.
    var livePath: String = ""
    var order: Head
    /// 绿色通道, 营商环境, shown by the title.
    var lanes: [LaneBadge] = []
    var notice: String?
    var error: String?
    var facts: [Fact]
    /// A direct answer given on the call (直接答复).
    var reply: String?
    /// Every reply round, latest first, with its files and the review's verdict.
    var rounds: [Round] = []
    /// 诉求附件: the photos the citizen sent with the request.
    var intakeFiles: [Attachment] = []
    var hasIntakeFiles = false
    /// 并单: the callers of orders merged into this one.
    var mergedCallers: [Fact] = []
    var hasMergedCallers = false
    var actions: [ActionForm]
    var verified: Bool
    /// The chain mark in words: 记录完整，未被篡改, or 记录异常 with what is wrong.
    var chainText: String = "记录完整，未被篡改"
    var events: [Event]
    /// For dispatchers and agents on an order still to dispatch: what the assistant recommends.
    var advice: Advice? = nil
    /// 查看完整号码: offered to roles that may reveal contact data, unless the caller is hidden from them.
    var reveal: RevealForm? = nil
    /// A full number just revealed: on this response only, never stored.
    var revealed: Revealed? = nil
    /// 转为知识草稿: the new-entry form filled from this finished order (knowledge editors).
    var knowledgeDraft: String? = nil
    /// 标为典型案例: the form for this finished order (supervisors, managers, quality inspectors), unless it is a case already.
    var typicalCase: String? = nil
    /// 来电人画像, for the centre's roles that deal with callers.
    var callerProfile: CallerProfilePanel? = nil
    /// 存证: whether the order is in the latest signed checkpoint, with its inclusion proof.
    var checkpoint: CheckpointPanel? = nil

    struct RevealForm: Sendable {
        var action: String
        /// The caller gave an ID number (证件号码), which can be revealed as well.
        var hasIDNumber: Bool
    }

    struct Revealed: Sendable {
        var label: String
        var value: String
        /// `tel:` for a phone number, so that a callback agent can dial it.
        var dial: String?
    }

    struct Advice: Sendable {
        var units: [Fact]
        /// Which units were left out because they returned the order: "已排除退单单位：江城区人民政府".
        var excluded: String?
        var similar: [Fact]
        var hasSimilar: Bool
    }

    /// A file size as people read it: 820 KB, 2.4 MB.
    static func size(_ bytes: Int) -> String {
        bytes < 1024 * 1024 ? "\(max(1, (bytes + 512) / 1024)) KB" : String(format: "%.1f MB", Double(bytes) / 1024 / 1024)
    }


}

import HotlineDomain

/// The knowledge forms' words: field labels for refusals, the forms of the review steps, and what a step did.
enum KnowledgeLabels {
    static let labels: [String: String] = [
        "title": "标题", "questions": "常见问法", "answer": "答案", "category_code": "事项分类", "unit_id": "责任单位", "keywords": "关键词",
        "effective_from": "生效日期", "expires_at": "失效日期", "note": "说明", "q": "检索词", "category": "事项分类", "page": "页码",
    ]

    /// The label of a review step's note.
    static func noteLabel(_ action: KnowledgeAction) -> String {
        switch action {
        case .reject: "退回理由"
        case .retire: "下线理由"
        case .approve: "审核意见"
        default: "说明"
        }
    }

    /// A refusal as the form shows it: "字段 title 无效：不能为空" becomes "标题：不能为空".
    static func message(_ e: APIError, noteLabel: String? = nil) -> String {
        guard let field = e.field, let range = e.message.range(of: "无效：") else { return e.message }
        let plain = field.replacingOccurrences(of: "\\[[0-9]+\\]", with: "", options: .regularExpression)
        let label = plain == "note" ? noteLabel ?? "说明" : labels[plain] ?? FieldLabels.label(plain)
        return label + "：" + e.message[range.upperBound...]
    }

    /// A step's form; retiring an entry that was never published discards a draft (作废) rather than taking an answer
    /// away from agents.
    static func form(_ action: KnowledgeAction, id: String, everPublished: Bool) -> KnowledgeEntryPage.ActionForm {
        let discards = action == .retire && !everPublished
        let (hint, needsNote, style): (String, Bool, String) =
            switch action {
            case .submit: ("提交后由其他编辑审核，审核通过即发布给话务员。", false, "primary")
            case .approve: ("发布后话务员即可检索和采用。", false, "primary")
            case .reject: ("退回给编辑修改，理由会显示在条目上。", true, "")
            case .retire: (discards ? "作废后条目不再出现在草稿和待审核中。" : "下线后话务员不再看到此条目，可修改后重新提交。", true, "danger")
            case .create, .edit: ("", false, "")
            }
        return .init(
            name: discards ? "作废" : action.chineseName, action: WebRoutes.knowledgeAction(id, action.rawValue), hint: hint,
            hasNote: action != .submit, needsNote: needsNote, noteLabel: discards ? "作废理由" : noteLabel(action),
            noteID: "note-" + action.rawValue, style: style)
    }

    /// What a redirect after a step reports, by its `done` key.
    static let done: [String: String] = [
        "create": "已保存为草稿。提交审核后由其他编辑审核发布。", "edit": "已保存修改（草稿）。提交审核后生效。", "submit": "已提交审核。",
        "approve": "已审核通过并发布，话务员现在可以检索和采用。", "reject": "已退回修改。", "retire": "已下线，话务员不再看到此条目。",
    ]
}

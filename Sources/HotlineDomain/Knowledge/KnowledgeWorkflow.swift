import Foundation

/// What can happen to a knowledge entry.
public enum KnowledgeAction: String, Sendable, Codable, CaseIterable {
    case create, edit, submit, approve, reject, retire

    public var chineseName: String {
        switch self {
        case .create: "新建"
        case .edit: "修改"
        case .submit: "提交审核"
        case .approve: "审核通过并发布"
        case .reject: "退回修改"
        case .retire: "下线"
        }
    }
}

public enum KnowledgeError: Error, Equatable, Sendable {
    case notPermitted(Role)
    case illegal(action: KnowledgeAction, from: KnowledgeStatus)
    /// Four eyes: the editor of a wording cannot approve it.
    case ownWording
    case invalid(field: String, message: String)

    public var code: String {
        switch self {
        case .notPermitted: "forbidden"
        case .illegal: "illegal_transition"
        case .ownWording: "own_wording"
        case .invalid: "invalid_field"
        }
    }

    public var message: String {
        switch self {
        case .notPermitted(let role): "\(role.chineseName)无权维护知识库"
        case .illegal(let action, let from): "知识条目当前状态为「\(from.chineseName)」，不能\(action.chineseName)"
        case .ownWording: "不能审核自己修改的内容，请由其他编辑审核"
        case .invalid(let field, let message): "字段 \(field) 无效：\(message)"
        }
    }
}

/// The knowledge base's review loop (知识审核): draft → in review → published → retired; an edit of any
/// live entry starts a new draft while the published wording stays in service.
public enum KnowledgeWorkflow {
    public static let titleLimit = 100
    public static let answerLimit = 5000
    public static let questionLimit = 200
    public static let maximumQuestions = 20

    /// Checks and cleans content; categories and units must exist when given.
    public static func validated(_ c: KnowledgeContent, categories: Set<String>, units: UnitHierarchy) throws(KnowledgeError) -> KnowledgeContent {
        var clean = c
        clean.title = c.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !clean.title.isEmpty, clean.title.count <= titleLimit else { throw .invalid(field: "title", message: "不能为空且不能超过\(titleLimit)字") }
        clean.answer = c.answer.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !clean.answer.isEmpty, clean.answer.count <= answerLimit else { throw .invalid(field: "answer", message: "不能为空且不能超过\(answerLimit)字") }
        clean.questions = c.questions.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        guard clean.questions.count <= maximumQuestions, clean.questions.allSatisfy({ $0.count <= questionLimit }) else {
            throw .invalid(field: "questions", message: "至多\(maximumQuestions)种问法，每种不超过\(questionLimit)字")
        }
        clean.keywords = c.keywords.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        guard clean.keywords.count <= 30, clean.keywords.allSatisfy({ $0.count <= 30 }) else { throw .invalid(field: "keywords", message: "至多30个，每个不超过30字") }
        if let code = c.categoryCode, !categories.contains(code) { throw .invalid(field: "category_code", message: "事项分类不存在") }
        if let unit = c.unitID, !units.contains(unit) { throw .invalid(field: "unit_id", message: "单位不存在") }
        if let from = c.effectiveFrom, let to = c.expiresAt, to <= from { throw .invalid(field: "expires_at", message: "失效时间应晚于生效时间") }
        return clean
    }

    /// Applies `action` to `entry`. `content` is the new wording for `edit`.
    public static func apply(_ action: KnowledgeAction, to entry: KnowledgeEntry, content: KnowledgeContent? = nil, by actor: Actor,
                             at now: Date) throws(KnowledgeError) -> KnowledgeEntry {
        guard Capability.manageKnowledge.isAllowed(for: actor.role) else { throw .notPermitted(actor.role) }
        var e = entry
        switch action {
        case .create:
            throw .illegal(action: .create, from: entry.status)
        case .edit:
            // Any entry can be reworded, a retired one too: the new wording starts as a draft.
            guard let content else { throw .invalid(field: "content", message: "缺少修改内容") }
            e.content = content
            e.status = .draft
            e.editedBy = actor.userID
        case .submit:
            guard entry.status == .draft else { throw .illegal(action: .submit, from: entry.status) }
            e.status = .inReview
        case .approve:
            guard entry.status == .inReview else { throw .illegal(action: .approve, from: entry.status) }
            guard entry.editedBy != actor.userID else { throw .ownWording }
            e.status = .published
            e.published = entry.content
            e.publishedVersion = entry.version + 1
        case .reject:
            guard entry.status == .inReview else { throw .illegal(action: .reject, from: entry.status) }
            e.status = .draft
        case .retire:
            guard entry.status != .retired else { throw .illegal(action: .retire, from: entry.status) }
            e.status = .retired
            e.published = nil
        }
        e.version += 1
        e.updatedAt = now
        return e
    }
}

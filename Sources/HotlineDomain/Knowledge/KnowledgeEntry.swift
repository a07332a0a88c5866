import Foundation

/// Where a knowledge entry stands (知识状态): written, checked by a second editor, served to agents, retired.
public enum KnowledgeStatus: String, Sendable, Codable, CaseIterable {
    case draft
    case inReview = "in_review"
    case published
    case retired

    public var chineseName: String {
        switch self {
        case .draft: "草稿"
        case .inReview: "待审核"
        case .published: "已发布"
        case .retired: "已下线"
        }
    }
}

/// What a knowledge entry says (知识内容): the matter, the ways citizens ask about it, the authoritative answer.
public struct KnowledgeContent: Sendable, Equatable, Codable {
    public var title: String
    /// Ways a citizen asks (问法).
    public var questions: [String]
    public var answer: String
    public var categoryCode: String?
    /// The unit that owns the answer (责任单位).
    public var unitID: UnitID?
    public var keywords: [String]
    /// The answer applies from this time (生效) …
    public var effectiveFrom: Date?
    /// … until this time (失效).
    public var expiresAt: Date?

    public init(title: String, questions: [String] = [], answer: String, categoryCode: String? = nil, unitID: UnitID? = nil, keywords: [String] = [],
                effectiveFrom: Date? = nil, expiresAt: Date? = nil) {
        self.title = title
        self.questions = questions
        self.answer = answer
        self.categoryCode = categoryCode
        self.unitID = unitID
        self.keywords = keywords
        self.effectiveFrom = effectiveFrom
        self.expiresAt = expiresAt
    }

    /// Whether the answer applies at `now`.
    public func isEffective(at now: Date) -> Bool {
        (effectiveFrom.map { $0 <= now } ?? true) && (expiresAt.map { now < $0 } ?? true)
    }

    /// The text the search index reads: the title and questions count twice, as agents type the citizen's words.
    public var searchableText: String {
        ([title, title] + questions + questions + keywords + [answer]).joined(separator: " ")
    }
}

/// A knowledge-base entry (知识条目). Editing never takes an answer away from agents: the working copy
/// (`content`) goes through review while the last approved copy (`published`) stays in service.
public struct KnowledgeEntry: Sendable, Equatable, Codable {
    public var id: Int64
    public var status: KnowledgeStatus
    /// Bumped by every change.
    public var version: Int
    public var content: KnowledgeContent
    /// What agents see, if the entry has ever been approved and is not retired.
    public var published: KnowledgeContent?
    public var publishedVersion: Int?
    public var createdAt: Date
    public var createdBy: String
    public var updatedAt: Date
    /// The last person to change the wording; someone else must approve it.
    public var editedBy: String

    public init(id: Int64, content: KnowledgeContent, by actor: String, at now: Date) {
        self.id = id
        status = .draft
        version = 1
        self.content = content
        createdAt = now
        createdBy = actor
        updatedAt = now
        editedBy = actor
    }

    /// Whether agents can be shown this entry at `now`.
    public func isLive(at now: Date) -> Bool {
        guard status != .retired, let published else { return false }
        return published.isEffective(at: now)
    }
}

import Foundation

/// The moment of a call a reply script is for (话术场景), in the order a call goes through them.
public enum ScriptSituation: String, Sendable, Codable, CaseIterable {
    /// 开场: the greeting and the agent's number.
    case opening
    /// 核实信息: asking for the facts an order needs (place, time, contact).
    case inquiry
    /// 安抚: calming an upset or anxious caller.
    case comfort
    /// 政策解释: explaining a rule or a procedure.
    case policy
    /// 转接: handing the call to an emergency number, a department's line or a specialist.
    case transfer
    /// 不予受理: telling the caller, politely, that the hotline cannot take the matter and where to go.
    case refusal
    /// 结束语: closing the call, with the order number and what happens next.
    case closing

    public var chineseName: String {
        switch self {
        case .opening: "开场"
        case .inquiry: "核实信息"
        case .comfort: "安抚"
        case .policy: "政策解释"
        case .transfer: "转接"
        case .refusal: "不予受理"
        case .closing: "结束语"
        }
    }

    /// Where it comes in a call (the desk lists scripts in this order).
    public var position: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}

/// What a reply script says (话术内容): a title, the matter it serves (a category and everything below it; none for a
/// general script used on any call), the situation, the words themselves, and tags to find it by.
public struct ReplyScriptContent: Sendable, Equatable, Codable {
    public var title: String
    /// The category whose subtree the script serves; nil for a general script (通用).
    public var categoryCode: String?
    public var situation: ScriptSituation
    public var text: String
    public var tags: [String]

    public init(title: String, categoryCode: String? = nil, situation: ScriptSituation, text: String, tags: [String] = []) {
        self.title = title
        self.categoryCode = categoryCode
        self.situation = situation
        self.text = text
        self.tags = tags
    }

    public static let titleLimit = 60
    public static let textLimit = 1000
    public static let tagLimit = 10
    public static let tagLength = 20

    /// The content with whitespace trimmed and repeated tags dropped, or the first field that is wrong and why (in
    /// Chinese). `isCategory` says whether a code names a category new content may use.
    public func checked(isCategory: (String) -> Bool) -> Result<ReplyScriptContent, ScriptFieldError> {
        var c = self
        c.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        c.text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        c.categoryCode = categoryCode.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        var seen = Set<String>()
        c.tags = tags.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty && seen.insert($0).inserted }
        if c.title.isEmpty || c.title.count > Self.titleLimit { return .failure(.init(field: "title", message: "不能为空且不能超过\(Self.titleLimit)字")) }
        if c.text.isEmpty || c.text.count > Self.textLimit { return .failure(.init(field: "text", message: "不能为空且不能超过\(Self.textLimit)字")) }
        if let code = c.categoryCode, !isCategory(code) { return .failure(.init(field: "category_code", message: "事项分类不存在或已退用")) }
        if c.tags.count > Self.tagLimit || c.tags.contains(where: { $0.count > Self.tagLength }) {
            return .failure(.init(field: "tags", message: "最多\(Self.tagLimit)个，每个不超过\(Self.tagLength)字"))
        }
        return .success(c)
    }
}

/// A field of a script or a typical case that is wrong, and why (in Chinese).
public struct ScriptFieldError: Error, Sendable, Equatable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// A standard reply script (标准话术): what agents say, in the centre's approved words, at one moment of a call about
/// one matter. Editors change and retire scripts; every version stays in the history.
public struct ReplyScript: Sendable, Equatable, Codable {
    public var id: Int64
    public var content: ReplyScriptContent
    /// Retired scripts (已停用) are no longer shown to agents.
    public var active: Bool
    /// Bumped by every change.
    public var version: Int
    public var createdAt: Date
    public var createdBy: String
    public var updatedAt: Date
    public var updatedBy: String

    public init(
        id: Int64, content: ReplyScriptContent, active: Bool = true, version: Int = 1, createdAt: Date, createdBy: String, updatedAt: Date,
        updatedBy: String
    ) {
        self.id = id
        self.content = content
        self.active = active
        self.version = version
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    /// Whether the script serves a call about `category` (nil: not yet classified): a general script serves every call,
    /// a matter's script the calls in its subtree. `lineage` is the category and its ancestors (`CategoryHierarchy`).
    public func serves(lineage: [String]) -> Bool {
        guard let code = content.categoryCode else { return true }
        return lineage.contains(code)
    }

    /// The scripts for a call, best first: by the moment of the call, then the most specific matter first (deeper
    /// in `lineage`, general last), then the title.
    public static func forCall(_ scripts: [ReplyScript], lineage: [String]) -> [ReplyScript] {
        func depth(_ s: ReplyScript) -> Int { s.content.categoryCode.flatMap { lineage.firstIndex(of: $0) } ?? lineage.count }
        return scripts.filter { $0.active && $0.serves(lineage: lineage) }.sorted {
            ($0.content.situation.position, depth($0), $0.content.title, $0.id) < ($1.content.situation.position, depth($1), $1.content.title, $1.id)
        }
    }
}

/// A step in a script's life, kept in its history (话术修改记录).
public enum ScriptAction: String, Sendable, Codable, CaseIterable {
    case create
    case edit
    case retire
    case restore

    public var chineseName: String {
        switch self {
        case .create: "新建"
        case .edit: "修改"
        case .retire: "停用"
        case .restore: "恢复启用"
        }
    }
}

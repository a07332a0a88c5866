import Foundation

/// One item of a scoring form (评分项): what is judged, how many of the 100 points it carries, what earns them, and
/// whether it is fatal (致命项: scoring 0 on it makes the whole inspection 0).
public struct QualityItem: Sendable, Equatable, Codable {
    public var name: String
    public var weight: Int
    public var guide: String
    public var fatal: Bool

    public init(name: String, weight: Int, guide: String = "", fatal: Bool = false) {
        self.name = name
        self.weight = weight
        self.guide = guide
        self.fatal = fatal
    }
}

/// What a scoring form says (质检评分表): a name and weighted items whose weights sum to 100.
public struct QualityFormContent: Sendable, Equatable, Codable {
    public var name: String
    public var items: [QualityItem]

    public init(name: String, items: [QualityItem]) {
        self.name = name
        self.items = items
    }

    public static let total = 100
    public static let nameLimit = 40
    public static let itemLimit = 20
    public static let guideLimit = 200

    /// The content with whitespace trimmed, or the first wrong field and why (in Chinese). Fields are named as the API
    /// names them: `name`, `items`, `items[2].name`, `items[2].weight`, `items[2].guide`.
    public func checked() -> Result<QualityFormContent, ScriptFieldError> {
        var c = self
        c.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if c.name.isEmpty || c.name.count > Self.nameLimit { return .failure(.init(field: "name", message: "不能为空且不能超过\(Self.nameLimit)字")) }
        if c.items.isEmpty || c.items.count > Self.itemLimit {
            return .failure(.init(field: "items", message: "应有1到\(Self.itemLimit)个评分项"))
        }
        var seen = Set<String>()
        for i in c.items.indices {
            c.items[i].name = c.items[i].name.trimmingCharacters(in: .whitespacesAndNewlines)
            c.items[i].guide = c.items[i].guide.trimmingCharacters(in: .whitespacesAndNewlines)
            let item = c.items[i]
            if item.name.isEmpty || item.name.count > Self.nameLimit {
                return .failure(.init(field: "items[\(i)].name", message: "第\(i + 1)项的名称不能为空且不能超过\(Self.nameLimit)字"))
            }
            guard seen.insert(item.name).inserted else {
                return .failure(.init(field: "items[\(i)].name", message: "评分项「\(item.name)」重复"))
            }
            if item.weight < 1 || item.weight > Self.total {
                return .failure(.init(field: "items[\(i)].weight", message: "第\(i + 1)项的分值应在1到\(Self.total)之间"))
            }
            if item.guide.count > Self.guideLimit {
                return .failure(.init(field: "items[\(i)].guide", message: "第\(i + 1)项的评分说明不能超过\(Self.guideLimit)字"))
            }
        }
        let sum = c.items.reduce(0) { $0 + $1.weight }
        if sum != Self.total { return .failure(.init(field: "items", message: "各项分值之和应为\(Self.total)分，现为\(sum)分")) }
        return .success(c)
    }

    /// The demo's form: the five items of a 12345 call's quality.
    public static let standard = QualityFormContent(
        name: "12345热线通话质检评分表",
        items: [
            QualityItem(name: "开头语和结束语", weight: 10, guide: "使用规范开头语并报工号；结束前复述工单要点、告知办理流程并致谢。"),
            QualityItem(name: "答复准确性", weight: 30, guide: "答复内容与知识库一致，事实、时限、办理地点准确无误。", fatal: true),
            QualityItem(name: "政策正确性", weight: 25, guide: "政策依据引用正确，不作超出职责的承诺。", fatal: true),
            QualityItem(name: "服务态度与同理心", weight: 20, guide: "语气平和耐心，倾听并安抚来电人情绪，不推诿。"),
            QualityItem(name: "工单填写完整性", weight: 15, guide: "诉求、地点、联系方式、分类填写完整准确，标题概括得当。"),
        ])
}

/// A scoring form as stored: its content at its current version.
public struct QualityForm: Sendable, Equatable, Codable {
    public var id: Int64
    public var version: Int
    public var content: QualityFormContent
    public var updatedAt: Date
    public var updatedBy: String

    public init(id: Int64, version: Int, content: QualityFormContent, updatedAt: Date, updatedBy: String) {
        self.id = id
        self.version = version
        self.content = content
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }
}

/// A score against a form's items (评分): points per item and comments.
public struct QualityScore: Sendable, Equatable, Codable {
    public var points: [Int]
    public var comments: [String]
    public var overall: String

    public init(points: [Int], comments: [String], overall: String) {
        self.points = points
        self.comments = comments
        self.overall = overall
    }

    public static let commentLimit = 500

    /// The score checked against `form`: one mark per item within 0...weight, comments within their length. Fields as
    /// the API names them (`scores[1]`, `comments[1]`, `comment`).
    public func checked(against form: QualityFormContent) -> Result<QualityScore, ScriptFieldError> {
        var s = self
        guard s.points.count == form.items.count else {
            return .failure(.init(field: "scores", message: "应为每个评分项打分（共\(form.items.count)项）"))
        }
        for (i, item) in form.items.enumerated() where !(0...item.weight).contains(s.points[i]) {
            return .failure(.init(field: "scores[\(i)]", message: "「\(item.name)」的得分应在0到\(item.weight)之间"))
        }
        s.comments = (0..<form.items.count).map { i in i < comments.count ? comments[i].trimmingCharacters(in: .whitespacesAndNewlines) : "" }
        if let i = s.comments.firstIndex(where: { $0.count > Self.commentLimit }) {
            return .failure(.init(field: "comments[\(i)]", message: "「\(form.items[i].name)」的评语不能超过\(Self.commentLimit)字"))
        }
        s.overall = overall.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.overall.count > Self.commentLimit { return .failure(.init(field: "comment", message: "不能超过\(Self.commentLimit)字")) }
        return .success(s)
    }

    /// The total: the sum of the items' points, or 0 when a fatal item scored 0 (致命项).
    public func total(on form: QualityFormContent) -> Int {
        for (i, item) in form.items.enumerated() where item.fatal && i < points.count && points[i] == 0 { return 0 }
        return points.reduce(0, +)
    }

    /// Whether a fatal item scored 0.
    public func fatalMiss(on form: QualityFormContent) -> Bool {
        form.items.enumerated().contains { i, item in item.fatal && i < points.count && points[i] == 0 }
    }
}

/// The grade of a total (质检结论).
public enum QualityGrade: String, Sendable, Codable, CaseIterable {
    case excellent
    case pass
    case fail

    /// 优秀 at 90 and above, 合格 at 60 and above.
    public static let excellentFrom = 90
    public static let passFrom = 60

    public init(total: Int) {
        self = total >= Self.excellentFrom ? .excellent : total >= Self.passFrom ? .pass : .fail
    }

    public var passed: Bool { self != .fail }

    public var chineseName: String {
        switch self {
        case .excellent: "优秀"
        case .pass: "合格"
        case .fail: "不合格"
        }
    }
}

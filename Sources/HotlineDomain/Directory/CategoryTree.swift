import Foundation

/// A node of the matter category tree (事项分类). Codes are given as dotted paths (`03`, `03.02`, `03.02.01`) and
/// never change afterwards, so stored orders keep theirs: a category moved under another parent keeps its code, and
/// the tree is read through `parentCode` (see ``CategoryHierarchy``), not through the code's prefix.
public struct CategoryNode: Sendable, Equatable, Codable {
    public var code: String
    public var name: String
    public var parentCode: String?
    /// Depth in the tree, 1 for a top-level category.
    public var level: Int
    /// 退用: no longer offered for new orders or reclassification; old orders still show it.
    public var retired: Bool

    public init(code: String, name: String, parentCode: String?, level: Int? = nil, retired: Bool = false) {
        self.code = code
        self.name = name
        self.parentCode = parentCode
        self.level = level ?? code.split(separator: ".").count
        self.retired = retired
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            code: try c.decode(String.self, forKey: .code), name: try c.decode(String.self, forKey: .name),
            parentCode: try c.decodeIfPresent(String.self, forKey: .parentCode), level: try c.decodeIfPresent(Int.self, forKey: .level),
            retired: try c.decodeIfPresent(Bool.self, forKey: .retired) ?? false)
    }
}

/// Builds the category tree from rows of names, one column per level, up to five levels deep.
public struct CategoryTree: Sendable, Equatable {
    public static let maximumDepth = 5
    public private(set) var nodes: [CategoryNode] = []
    private var codeByPath: [[String]: String] = [:]

    public init() {}

    public enum BuildError: Error, Equatable {
        case tooDeep(row: Int)
        case emptyName(row: Int)
    }

    /// Adds a path of names (`["城乡建设", "安全生产", "事故处理"]`), creating missing nodes.
    public mutating func add(path: [String], row: Int = 0) throws(BuildError) {
        let names = path.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard names.count <= Self.maximumDepth else { throw .tooDeep(row: row) }
        guard !names.isEmpty else { throw .emptyName(row: row) }
        var parent: String?
        for depth in 1...names.count {
            let prefix = Array(names[0..<depth])
            if let existing = codeByPath[prefix] {
                parent = existing
                continue
            }
            let siblings = nodes.filter { $0.parentCode == parent }.count
            let code = (parent.map { $0 + "." } ?? "") + String(format: "%02d", siblings + 1)
            nodes.append(CategoryNode(code: code, name: names[depth - 1], parentCode: parent))
            codeByPath[prefix] = code
            parent = code
        }
    }

    /// Builds the tree from CSV text whose first line is a header (`level1,level2,...`).
    public static func fromCSV(_ text: String) throws(BuildError) -> CategoryTree {
        var tree = CategoryTree()
        for (index, line) in text.split(whereSeparator: \.isNewline).enumerated() where index > 0 {
            try tree.add(path: line.split(separator: ",", omittingEmptySubsequences: false).map(String.init), row: index + 1)
        }
        return tree
    }
}

import Foundation

/// The category tree as the loop reads it: each code's parent and which categories are retired (退用).
///
/// Codes are identities, not paths: a category moved under another parent keeps its code (orders are never
/// rewritten), so subtrees and ancestors come from the parent links. A code the tree does not know is read by its
/// dotted prefixes, as codes are first given.
public struct CategoryHierarchy: Sendable, Equatable {
    private var parents: [String: String]
    private var known: Set<String>
    private var children: [String: [String]]
    /// Retired categories: kept for the orders that carry them, refused for new ones.
    public private(set) var retired: Set<String>

    public init(_ nodes: [CategoryNode]) {
        known = Set(nodes.map(\.code))
        parents = [:]
        children = [:]
        retired = Set(nodes.filter(\.retired).map(\.code))
        for node in nodes {
            guard let parent = node.parentCode else { continue }
            parents[node.code] = parent
            children[parent, default: []].append(node.code)
        }
    }

    /// A tree of known codes whose parents are their dotted prefixes (tests and callers without stored nodes).
    public init(codes: Set<String>) {
        self.init(codes.map { code in
            let parts = code.split(separator: ".")
            return CategoryNode(code: code, name: code, parentCode: parts.count > 1 ? parts.dropLast().joined(separator: ".") : nil)
        })
    }

    public func contains(_ code: String) -> Bool { known.contains(code) }

    public func isRetired(_ code: String) -> Bool { retired.contains(code) }

    /// Known and not retired: may be given to a new order or chosen when reclassifying.
    public func isOffered(_ code: String) -> Bool { known.contains(code) && !retired.contains(code) }

    public func parent(of code: String) -> String? {
        if known.contains(code) { return parents[code] }
        let parts = code.split(separator: ".")
        return parts.count > 1 ? parts.dropLast().joined(separator: ".") : nil
    }

    /// The code and its ancestors, nearest first.
    public func lineage(of code: String) -> [String] {
        var result = [code]
        var current = code
        while let next = parent(of: current), !result.contains(next), result.count <= CategoryTree.maximumDepth * 4 {
            result.append(next)
            current = next
        }
        return result
    }

    /// Whether `code` is `ancestor` or lies below it.
    public func isWithin(_ code: String, _ ancestor: String) -> Bool { lineage(of: code).contains(ancestor) }

    /// The code and every category below it, parents before children.
    public func subtree(of code: String) -> [String] {
        var result: [String] = []
        var queue = [code]
        var seen: Set<String> = []
        while !queue.isEmpty {
            let next = queue.removeFirst()
            guard seen.insert(next).inserted else { continue }
            result.append(next)
            queue += (children[next] ?? []).sorted()
        }
        return result
    }

    /// Levels from `code` down to its deepest descendant, counting `code` itself.
    public func height(of code: String) -> Int {
        1 + ((children[code] ?? []).map { height(of: $0) }.max() ?? 0)
    }

    /// Whether putting `code` under `newParent` would put it below itself.
    public func wouldCycle(_ code: String, newParent: String?) -> Bool {
        guard let newParent else { return false }
        return isWithin(newParent, code)
    }
}

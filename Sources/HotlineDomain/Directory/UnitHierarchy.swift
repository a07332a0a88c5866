/// The kinds of unit in the tree (单位类型).
public enum UnitKind: String, Sendable, Codable, CaseIterable {
    /// 热线中心.
    case centre
    /// 市直部门.
    case department
    /// 区县.
    case district
    /// 街道 / 乡镇.
    case street
    /// 社区 / 村.
    case community
    /// 公共服务企业 (水电气暖).
    case utility

    public var chineseName: String {
        switch self {
        case .centre: "热线中心"
        case .department: "市直部门"
        case .district: "区县"
        case .street: "街道乡镇"
        case .community: "社区村"
        case .utility: "公共服务企业"
        }
    }
}

/// The parent links of the unit tree: enough to tell whether one unit sits below another.
public struct UnitHierarchy: Sendable, Equatable {
    public private(set) var parents: [UnitID: UnitID?]

    public init(parents: [UnitID: UnitID?] = [:]) { self.parents = parents }

    public func contains(_ unit: UnitID) -> Bool { parents[unit] != nil }

    /// Whether `unit` is strictly below `ancestor`.
    public func isDescendant(_ unit: UnitID, of ancestor: UnitID) -> Bool {
        var current = parents[unit] ?? nil
        var steps = 0
        while let c = current, steps < 64 {
            if c == ancestor { return true }
            current = parents[c] ?? nil
            steps += 1
        }
        return false
    }

    /// Whether `unit` is `ancestor` or below it.
    public func isWithin(_ unit: UnitID, _ ancestor: UnitID) -> Bool {
        unit == ancestor || isDescendant(unit, of: ancestor)
    }
}

extension UnitHierarchy {
    /// Whether giving `unit` the parent `newParent` would put the unit below itself.
    public func wouldCycle(_ unit: UnitID, newParent: UnitID?) -> Bool {
        guard let newParent else { return false }
        return isWithin(newParent, unit)
    }
}

/// Which work orders an actor may see and act on (数据权限).
public enum DataScope: Sendable, Equatable {
    /// Centre roles: every order.
    case all
    /// Unit roles: orders linked (lead, assisting or passed down) to this unit or a unit below it.
    case subtree(UnitID)
    /// No order at all through the staff interfaces (e.g. knowledge editors; citizens verify separately).
    case none

    public func allows(_ order: WorkOrder, in units: UnitHierarchy) -> Bool {
        switch self {
        case .all: true
        case .none: false
        case .subtree(let root):
            ([order.leadUnit].compactMap { $0 } + order.assistingUnits + order.subUnits).contains { units.isWithin($0, root) }
        }
    }
}

extension Actor {
    public var scope: DataScope {
        switch role {
        case .agent, .dispatcher, .reviewer, .callbackAgent, .supervisor, .manager, .qualityInspector, .admin, .system: .all
        case .unitStaff, .unitAdmin: unit.map(DataScope.subtree) ?? .none
        case .citizen, .knowledgeEditor: .none
        }
    }
}

extension UnitHierarchy {
    /// `root` and every unit below it.
    public func subtree(of root: UnitID) -> [UnitID] {
        parents.keys.filter { isWithin($0, root) }.sorted()
    }
}

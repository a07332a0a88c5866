/// One line of the dispatch catalogue (派单目录): the unit responsible for a category, in one district or,
/// when `district` is nil, anywhere.
public struct CatalogueEntry: Sendable, Equatable, Codable {
    public var categoryCode: String
    public var district: String?
    public var unitID: UnitID

    public init(categoryCode: String, district: String? = nil, unitID: UnitID) {
        self.categoryCode = categoryCode
        self.district = district
        self.unitID = unitID
    }
}

/// The dispatch catalogue: which unit handles a matter. The most specific entry wins: a deeper category
/// beats a shallower one, and within the same category a district's own entry beats the city-wide one.
public struct DispatchCatalogue: Sendable, Equatable {
    private var byKey: [Key: UnitID] = [:]

    private struct Key: Hashable {
        var category: String
        var district: String
    }

    public init(_ entries: [CatalogueEntry] = []) {
        for e in entries { byKey[Key(category: e.categoryCode, district: e.district ?? "")] = e.unitID }
    }

    public var entries: [CatalogueEntry] {
        byKey.map { CatalogueEntry(categoryCode: $0.key.category, district: $0.key.district.isEmpty ? nil : $0.key.district, unitID: $0.value) }
            .sorted { ($0.categoryCode, $0.district ?? "") < ($1.categoryCode, $1.district ?? "") }
    }

    /// The responsible unit for a category (and its ancestors, nearest first) in a district; `categories` says where a
    /// moved category now sits (by its dotted code when not given).
    public func responsibleUnit(category: String, district: String?, categories: CategoryHierarchy? = nil) -> CatalogueEntry? {
        for code in (categories ?? CategoryHierarchy([])).lineage(of: category) {
            if let district, !district.isEmpty, let unit = byKey[Key(category: code, district: district)] {
                return CatalogueEntry(categoryCode: code, district: district, unitID: unit)
            }
            if let unit = byKey[Key(category: code, district: "")] {
                return CatalogueEntry(categoryCode: code, district: nil, unitID: unit)
            }
        }
        return nil
    }

    /// When only a broad category is known (城乡建设), the units the catalogue names below it, with the share of
    /// entries each holds: a district's own entries where it has any below the category, else the city-wide ones.
    public func unitsBelow(category: String, district: String?, categories: CategoryHierarchy? = nil) -> [(unitID: UnitID, share: Double)] {
        let tree = categories ?? CategoryHierarchy([])
        let below = byKey.filter { tree.isWithin($0.key.category, category) }
        let local = below.filter { district != nil && $0.key.district == district! }
        let chosen = local.isEmpty ? below.filter { $0.key.district.isEmpty } : local
        guard !chosen.isEmpty else { return [] }
        var counts: [UnitID: Int] = [:]
        for (_, unit) in chosen { counts[unit, default: 0] += 1 }
        return counts.map { ($0.key, Double($0.value) / Double(chosen.count)) }.sorted { $0.share != $1.share ? $0.share > $1.share : $0.unitID < $1.unitID }
    }
}

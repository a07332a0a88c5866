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

    /// The responsible unit for a category (and its ancestors, nearest first) in a district.
    public func responsibleUnit(category: String, district: String?) -> CatalogueEntry? {
        var parts = category.split(separator: ".").map(String.init)
        while !parts.isEmpty {
            let code = parts.joined(separator: ".")
            if let district, !district.isEmpty, let unit = byKey[Key(category: code, district: district)] {
                return CatalogueEntry(categoryCode: code, district: district, unitID: unit)
            }
            if let unit = byKey[Key(category: code, district: "")] {
                return CatalogueEntry(categoryCode: code, district: nil, unitID: unit)
            }
            parts.removeLast()
        }
        return nil
    }
}

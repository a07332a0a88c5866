import Foundation
import HotlineDomain
import HotlineStorage
import HotlineResources

/// The demo city 江州市, read from the data files that ship with the platform: its unit tree, its users,
/// and templates of the requests its citizens make.
public struct DemoCity: Sendable {
    public let units: [HandlingUnit]
    public let users: [UserAccount]
    public let templates: [RequestTemplate]
    public let categories: CategoryTree
    let surnames: [String]
    let titles: [String]
    let roads: [String]
    /// The districts' and streets' shapes (地图); orders get coordinates inside them.
    public var shapes: MapShapes? = nil

    public static func bundled() throws -> DemoCity {
        let units = try rows("demo/units.csv", columns: 7).map { f in
            guard let kind = UnitKind(rawValue: f[2]) else { throw DemoDataError.bad("unit kind \(f[2])") }
            return HandlingUnit(id: f[0], name: f[1], kind: kind, parentID: f[3].nilIfEmpty, district: f[4].nilIfEmpty,
                                contactName: f[5].nilIfEmpty, contactPhone: f[6].nilIfEmpty)
        }
        let users = try rows("demo/users.csv", columns: 4).map { f in
            guard let role = Role(rawValue: f[2]) else { throw DemoDataError.bad("role \(f[2])") }
            return UserAccount(id: f[0], displayName: f[1], role: role, unitID: f[3].nilIfEmpty)
        }
        let templates = try rows("demo/requests.csv", columns: 6).map { f in
            guard let kind = RequestKind(rawValue: f[0]) else { throw DemoDataError.bad("kind \(f[0])") }
            return RequestTemplate(kind: kind, categoryPath: f[1].split(separator: "/").map(String.init), lead: f[2],
                                   lanes: f[3].split(separator: " ").compactMap { Lane(rawValue: String($0)) }, title: f[4], content: f[5])
        }
        var people: [String: [String]] = [:]
        for f in try rows("demo/people.csv", columns: 2) { people[f[0]] = f[1].split(separator: " ").map(String.init) }
        var city = DemoCity(units: units, users: users, templates: templates, categories: try BundledData.categoryTree(),
                            surnames: people["surname"] ?? ["王"], titles: people["title"] ?? ["先生"], roads: people["road"] ?? ["人民路"])
        city.shapes = try MapShapes(geoJSON: Data(try BundledData.text("demo/map.geojson").utf8))
        return city
    }

    /// Rows of a bundled CSV without its header; the last column takes the rest of the line.
    static func rows(_ name: String, columns: Int) throws -> [[String]] {
        try BundledData.text(name).split(whereSeparator: \.isNewline).dropFirst().map { line in
            let fields = line.split(separator: ",", maxSplits: columns - 1, omittingEmptySubsequences: false).map(String.init)
            guard fields.count == columns else { throw DemoDataError.bad("\(name): \(line)") }
            return fields
        }
    }

    /// The dispatch catalogue the demo city starts with, from its request templates: a department or utility
    /// city-wide, or each district's government for matters handled where they happen.
    func catalogue() -> [(categoryCode: String, district: String?, unitID: UnitID?)] {
        var entries: [String: (categoryCode: String, district: String?, unitID: UnitID?)] = [:]
        let districts = units.filter { $0.kind == .district }
        for t in templates {
            guard let code = categoryCode(for: t.categoryPath) else { continue }
            if t.lead == "district" {
                for d in districts { entries[code + "@" + (d.district ?? "")] = (code, d.district, d.id) }
            } else {
                entries[code + "@"] = (code, nil, t.lead)
            }
        }
        return entries.keys.sorted().compactMap { entries[$0] }
    }

    /// The category code of a path of names, or of its deepest known ancestor.
    func categoryCode(for path: [String]) -> String? {
        var parent: String?
        var code: String?
        for name in path {
            guard let node = categories.nodes.first(where: { $0.parentCode == parent && $0.name == name }) else { break }
            code = node.code
            parent = node.code
        }
        return code
    }
}

/// A kind of request the demo city's citizens make; `{district}`, `{street}`, `{community}`, `{road}` and
/// `{n}` are filled in per order.
public struct RequestTemplate: Sendable {
    public var kind: RequestKind
    public var categoryPath: [String]
    /// A unit id, or `district` for the district where the matter is.
    public var lead: String
    public var lanes: [Lane]
    public var title: String
    public var content: String
}

enum DemoDataError: Error, CustomStringConvertible {
    case bad(String)
    var description: String {
        switch self {
        case .bad(let what): "demo data cannot be read: \(what)"
        }
    }
}

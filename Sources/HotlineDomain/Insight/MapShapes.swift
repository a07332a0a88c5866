import Foundation

/// A place on the map in degrees (WGS-84 as GeoJSON gives it).
public struct GeoPoint: Sendable, Equatable, Codable {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// The district and street shapes of a city (行政区划边界): polygons read from a GeoJSON feature collection whose
/// features carry `level` (`district` or `street`), `name`, and for a street its `district` and the `unit` that
/// governs it (the name orders record as their street).
public struct MapShapes: Sendable, Equatable {
    public enum Level: String, Sendable, Codable {
        case district, street
    }

    public struct Shape: Sendable, Equatable {
        public var level: Level
        public var name: String
        /// The district the shape lies in (a district's own name).
        public var district: String
        /// The street's governing unit as orders name it (`江城区滨江街道办事处`).
        public var unit: String?
        /// Polygons, each its exterior ring first then any holes.
        public var polygons: [[[GeoPoint]]]

        /// Whether the point lies inside the shape (even-odd rule over each polygon's rings).
        public func contains(_ p: GeoPoint) -> Bool {
            polygons.contains { rings in rings.reduce(false) { inside, ring in inside != Self.ring(ring, contains: p) } }
        }

        /// The smallest box holding the shape.
        public var bounds: (south: Double, west: Double, north: Double, east: Double) {
            let points = polygons.flatMap { $0.first ?? [] }
            return (points.map(\.latitude).min() ?? 0, points.map(\.longitude).min() ?? 0,
                    points.map(\.latitude).max() ?? 0, points.map(\.longitude).max() ?? 0)
        }

        /// Whether an order's recorded street (`location.street`) names this street: its unit's name or its own.
        public func matches(street: String) -> Bool {
            street == name || street == unit || (street.count >= 2 && street.hasSuffix(name))
        }

        static func ring(_ ring: [GeoPoint], contains p: GeoPoint) -> Bool {
            var inside = false
            var j = ring.count - 1
            for i in ring.indices {
                let a = ring[i], b = ring[j]
                if (a.latitude > p.latitude) != (b.latitude > p.latitude),
                   p.longitude < (b.longitude - a.longitude) * (p.latitude - a.latitude) / (b.latitude - a.latitude) + a.longitude {
                    inside.toggle()
                }
                j = i
            }
            return inside
        }
    }

    public var shapes: [Shape]

    public init(shapes: [Shape]) { self.shapes = shapes }

    public enum ShapeError: Error, Equatable {
        case unreadable(String)
    }

    /// Reads a GeoJSON FeatureCollection of Polygon and MultiPolygon features; other geometries are skipped.
    public init(geoJSON data: Data) throws {
        struct Collection: Decodable { var features: [Feature] }
        struct Feature: Decodable {
            var properties: [String: String]?
            var geometry: Geometry?
        }
        struct Geometry: Decodable {
            var type: String
            var coordinates: Coordinates?
        }
        enum Coordinates: Decodable {
            case polygon([[[Double]]])
            case multiPolygon([[[[Double]]]])
            init(from decoder: any Decoder) throws {
                let c = try decoder.singleValueContainer()
                if let p = try? c.decode([[[Double]]].self) { self = .polygon(p) } else { self = .multiPolygon(try c.decode([[[[Double]]]].self)) }
            }
        }
        let collection: Collection
        do { collection = try JSONDecoder().decode(Collection.self, from: data) } catch { throw ShapeError.unreadable("\(error)") }
        func ring(_ r: [[Double]]) -> [GeoPoint] { r.compactMap { $0.count >= 2 ? GeoPoint(latitude: $0[1], longitude: $0[0]) : nil } }
        shapes = collection.features.compactMap { feature in
            guard let p = feature.properties, let name = p["name"], let level = Level(rawValue: p["level"] ?? ""),
                  let coordinates = feature.geometry?.coordinates else { return nil }
            let polygons: [[[GeoPoint]]] =
                switch coordinates {
                case .polygon(let rings): [rings.map(ring)]
                case .multiPolygon(let polys): polys.map { $0.map(ring) }
                }
            return Shape(level: level, name: name, district: level == .district ? name : p["district"] ?? "", unit: p["unit"], polygons: polygons)
        }
    }

    public var districts: [Shape] { shapes.filter { $0.level == .district } }
    public var streets: [Shape] { shapes.filter { $0.level == .street } }

    public func district(_ name: String) -> Shape? { districts.first { $0.name == name } }

    /// The street shape an order's recorded street names, within its district when the district is known.
    public func street(_ street: String, in district: String?) -> Shape? {
        streets.first { (district == nil || $0.district == district) && $0.matches(street: street) }
    }

    /// A point drawn uniformly inside the shape (rejection from its bounding box); nil for a degenerate shape.
    public static func randomPoint(in shape: Shape, using rng: inout some RandomNumberGenerator) -> GeoPoint? {
        let b = shape.bounds
        guard b.north > b.south, b.east > b.west else { return nil }
        for _ in 0..<200 {
            let p = GeoPoint(latitude: Double.random(in: b.south..<b.north, using: &rng), longitude: Double.random(in: b.west..<b.east, using: &rng))
            if shape.contains(p) { return p }
        }
        return nil
    }
}

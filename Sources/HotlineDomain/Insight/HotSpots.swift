import Foundation

/// Hot spots (热点区域): dense clusters of orders with coordinates, found on a grid of square cells.
///
/// The rule: a cell is dense when it holds at least `minimumOrders` orders and at least `factor` times the mean of
/// the cells that hold any; dense cells that touch (sides or corners) form one hot spot. A hot spot's size is the sum
/// of its cells' orders, its centre their order-weighted centre; the largest come first.
public struct HotSpotRule: Sendable, Equatable, Codable {
    /// The cell's side in degrees (0.005° is about 550 m north–south at 30° N).
    public var cellDegrees: Double
    public var minimumOrders: Int
    public var factor: Double

    public init(cellDegrees: Double = 0.005, minimumOrders: Int = 5, factor: Double = 3) {
        self.cellDegrees = cellDegrees
        self.minimumOrders = minimumOrders
        self.factor = factor
    }

    public static let standard = HotSpotRule()

    /// The cell holding a point: `floor(degrees / cellDegrees)` on each axis.
    public func cell(of p: GeoPoint) -> GridCell {
        GridCell(row: Int((p.latitude / cellDegrees).rounded(.down)), column: Int((p.longitude / cellDegrees).rounded(.down)), count: 1)
    }
}

/// One grid cell with its count of orders; `row` and `column` are `floor(latitude / size)` and `floor(longitude / size)`.
public struct GridCell: Sendable, Equatable, Hashable, Codable {
    public var row: Int
    public var column: Int
    public var count: Int

    public init(row: Int, column: Int, count: Int) {
        self.row = row
        self.column = column
        self.count = count
    }
}

public struct HotSpot: Sendable, Equatable, Codable {
    public var centre: GeoPoint
    /// Orders in the hot spot's cells.
    public var count: Int
    /// Dense cells in the cluster.
    public var cells: Int
    /// Half the diagonal of the cluster's box in metres, at least half a cell: the radius to draw it with.
    public var radiusMetres: Double
}

public enum HotSpots {
    /// The hot spots among `cells` (at most one entry per row and column), largest first, at most `limit`.
    public static func find(_ cells: [GridCell], rule: HotSpotRule = .standard, limit: Int = 10) -> [HotSpot] {
        let occupied = cells.filter { $0.count > 0 }
        guard !occupied.isEmpty else { return [] }
        let mean = Double(occupied.reduce(0) { $0 + $1.count }) / Double(occupied.count)
        let threshold = max(Double(rule.minimumOrders), rule.factor * mean)
        var dense: [Key: Int] = [:]
        for c in occupied where Double(c.count) >= threshold { dense[Key(row: c.row, column: c.column), default: 0] += c.count }
        var seen: Set<Key> = []
        var spots: [HotSpot] = []
        for start in dense.keys.sorted() where !seen.contains(start) {
            var stack = [start]
            var members: [Key] = []
            seen.insert(start)
            while let k = stack.popLast() {
                members.append(k)
                for dr in -1...1 {
                    for dc in -1...1 {
                        let n = Key(row: k.row + dr, column: k.column + dc)
                        if dense[n] != nil, !seen.contains(n) {
                            seen.insert(n)
                            stack.append(n)
                        }
                    }
                }
            }
            let count = members.reduce(0) { $0 + dense[$1]! }
            let size = rule.cellDegrees
            let lat = members.reduce(0.0) { $0 + (Double($1.row) + 0.5) * size * Double(dense[$1]!) } / Double(count)
            let lon = members.reduce(0.0) { $0 + (Double($1.column) + 0.5) * size * Double(dense[$1]!) } / Double(count)
            let rows = Double((members.map(\.row).max()! - members.map(\.row).min()!) + 1) * size
            let columns = Double((members.map(\.column).max()! - members.map(\.column).min()!) + 1) * size * cos(lat * .pi / 180)
            let radius = 0.5 * (rows * rows + columns * columns).squareRoot() * 111_320
            spots.append(HotSpot(centre: GeoPoint(latitude: lat, longitude: lon), count: count, cells: members.count, radiusMetres: radius))
        }
        return Array(spots.sorted {
            $0.count != $1.count ? $0.count > $1.count : ($0.centre.latitude, $0.centre.longitude) > ($1.centre.latitude, $1.centre.longitude)
        }.prefix(limit))
    }

    struct Key: Hashable, Comparable {
        var row: Int
        var column: Int
        static func < (a: Key, b: Key) -> Bool { (a.row, a.column) < (b.row, b.column) }
    }
}

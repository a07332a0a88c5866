import Foundation
import HotlineDomain
import HotlineStorage

/// 工单地图: orders of a period by district and street (a choropleth over the city's shapes), the newest orders that
/// have coordinates as points, and hot spots (dense clusters) — within the viewer's data scope.
public struct OrderMap: Sendable {
    public let services: HotlineServices
    /// The city's district and street shapes.
    public let shapes: MapShapes

    /// Most points one answer carries (the newest); hot spots are counted over all of the period's points.
    public static let pointLimit = 2_000
    /// The longest period one map covers, in days.
    public static let maximumDays = 366
    /// The period when none is given: the last 30 days, today included.
    public static let defaultDays = 30

    public init(services: HotlineServices, shapes: MapShapes) {
        self.services = services
        self.shapes = shapes
    }

    /// The map's filters, named as the API's query and the page's form: `from` and `to` (YYYY-MM-DD, both days
    /// included), `category` (a category code, with its subtree), `status` (`open` 未办结, `finished` 已结束, or status codes
    /// separated by commas).
    public struct Filters: Decodable, Sendable, Equatable {
        public var from: String?
        public var to: String?
        public var category: String?
        public var status: String?

        public init(from: String? = nil, to: String? = nil, category: String? = nil, status: String? = nil) {
            self.from = from
            self.to = to
            self.category = category
            self.status = status
        }
    }

    public struct Area: Sendable, Equatable {
        public var name: String
        public var district: String
        public var count: Int
    }

    public struct View: Sendable {
        /// The period, both days included.
        public var from: CivilDay
        public var to: CivilDay
        public var total: Int
        public var districts: [Area]
        public var streets: [Area]
        /// Orders whose district is not one of the map's shapes (or was not recorded).
        public var unplaced: Int
        public var points: [MapStore.Point]
        /// Orders of the period with coordinates (all of them, however many points are shown).
        public var located: Int
        public var hotSpots: [HotSpot]
    }

    public func view(_ filters: Filters, for user: UserAccount, now: Date) async throws -> View {
        guard Capability.viewMap.isAllowed(for: user.role) else { throw AppError.lacks(.viewMap, role: user.role) }
        let (query, from, to) = try self.query(filters, for: user.actor, now: now)
        async let placesRead = services.map.places(query)
        async let pointsRead = services.map.points(query, limit: Self.pointLimit)
        async let cellsRead = services.map.cells(query, rule: .standard)
        let (places, points, cells) = try await (placesRead, pointsRead, cellsRead)
        var districts = shapes.districts.map { Area(name: $0.name, district: $0.name, count: 0) }
        var streets = shapes.streets.map { Area(name: $0.name, district: $0.district, count: 0) }
        var unplaced = 0
        for place in places {
            guard let district = place.district, let d = districts.firstIndex(where: { $0.name == district }) else {
                unplaced += place.count
                continue
            }
            districts[d].count += place.count
            if let street = place.street, let shape = shapes.street(street, in: district),
               let s = streets.firstIndex(where: { $0.name == shape.name && $0.district == shape.district }) {
                streets[s].count += place.count
            }
        }
        return View(from: from, to: to, total: places.reduce(0) { $0 + $1.count }, districts: districts, streets: streets, unplaced: unplaced,
                    points: points, located: cells.reduce(0) { $0 + $1.count }, hotSpots: HotSpots.find(cells))
    }

    /// The store's query for the filters and the actor's data scope, with the period as days.
    func query(_ f: Filters, for actor: Actor, now: Date) throws -> (MapStore.Query, CivilDay, CivilDay) {
        func day(_ text: String?, field: String, label: String) throws -> CivilDay? {
            guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let day = CivilDay(iso: text) else { throw AppError.invalid(field: field, message: "\(label)应为有效日期，格式 YYYY-MM-DD") }
            return day
        }
        let to = try day(f.to, field: "to", label: "结束日期") ?? CivilDay(containing: now)
        let from = try day(f.from, field: "from", label: "开始日期") ?? to.adding(days: -(Self.defaultDays - 1))
        guard from <= to else { throw AppError.invalid(field: "from", message: "开始日期不能晚于结束日期") }
        guard to.ordinal - from.ordinal < Self.maximumDays else { throw AppError.invalid(field: "to", message: "开始日期到结束日期一次最多\(Self.maximumDays)天") }
        var query = MapStore.Query(from: from.start, to: to.adding(days: 1).start)
        if let status = f.status?.trimmingCharacters(in: .whitespaces), !status.isEmpty {
            switch status {
            case "open": query.statuses = WorkOrderStatus.open
            case "finished": query.statuses = WorkOrderStatus.allCases.filter { !$0.isOpen }
            default:
                let parsed = status.split(separator: ",").map { WorkOrderStatus(rawValue: String($0)) }
                guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil }) else { throw AppError.invalid(field: "status", message: "状态不是可选的值") }
                query.statuses = parsed.compactMap { $0 }
            }
        }
        if let code = f.category?.trimmingCharacters(in: .whitespaces), !code.isEmpty {
            let context = services.reference.context
            guard context.categories.contains(code) else { throw AppError.invalid(field: "category", message: "事项分类不存在") }
            query.categoryCode = code
            query.categorySubtree = WorkOrderDesk.movedSubtree(of: code, in: context)
        }
        switch actor.scope {
        case .all: break
        case .none: query.unitScope = []
        case .subtree(let root): query.unitScope = services.reference.context.units.subtree(of: root)
        }
        return (query, from, to)
    }
}

extension HotlineServices {
    /// The map's reads (地图).
    public var map: MapStore { MapStore(database: database) }
    /// A caller's own orders for their profile (来电人画像).
    public var callerHistory: CallerHistoryStore { CallerHistoryStore(database: database) }
}

extension HotlineApp {
    /// 工单地图 over the given shapes (the demo city's when none are given).
    public func map(shapes: MapShapes) -> OrderMap { OrderMap(services: services, shapes: shapes) }
    /// 来电人画像.
    public var callers: CallerProfiles { CallerProfiles(desk: desk, services: services) }
}

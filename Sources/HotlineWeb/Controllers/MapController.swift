import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// 工单地图 through the API: `GET /api/v1/map?from=&to=&category=&status=` (counts by district and street, the newest
/// points, hot spots) and `GET /api/v1/map/shapes` (the city's shapes as GeoJSON), for the roles that may see the map.
struct MapController: Sendable {
    let map: OrderMap
    let setup: MapSetup
    let actors: ActorResolver
    let clock: @Sendable () -> Date

    func register(on router: Router<AppRequestContext>) {
        let routes = router.scoped(.ordersRead, by: actors)
        routes.get(RouterPath(APIRoutes.map)) { request, context in
            let user = try context.require(.viewMap)
            let view = try await map.view(Self.filters(request), for: user, now: clock())
            return try APIJSON.response(MapResponse(view, names: map.services.reference))
        }
        routes.get(RouterPath(APIRoutes.mapShapes)) { _, context in
            _ = try context.require(.viewMap)
            var headers = HTTPFields()
            headers[.contentType] = "application/geo+json"
            headers[.cacheControl] = "private, max-age=3600"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: setup.geoJSON)))
        }
    }

    /// The map's filters from a query string (the API's and the page's form use the same names).
    static func filters(_ request: Request) -> OrderMap.Filters {
        let q = request.uri.queryParameters
        return OrderMap.Filters(from: q.get("from"), to: q.get("to"), category: q.get("category"), status: q.get("status"))
    }
}

/// The map's answer: snake_case keys, days as YYYY-MM-DD, every name in Chinese.
struct MapResponse: Encodable {
    struct Area: Encodable {
        var name: String
        var district: String?
        var count: Int
    }
    struct Point: Encodable {
        var number: String
        var latitude: Double
        var longitude: Double
        var status: String
        var statusName: String
        var categoryName: String?
    }
    struct Spot: Encodable {
        var latitude: Double
        var longitude: Double
        var count: Int
        var radiusMetres: Int
    }
    var from: String
    var to: String
    var total: Int
    var located: Int
    var unplaced: Int
    var districts: [Area]
    var streets: [Area]
    var points: [Point]
    var pointLimit: Int
    var hotSpots: [Spot]
    var hotSpotRule: HotSpotRule

    init(_ view: OrderMap.View, names: ReferenceData) {
        from = view.from.description
        to = view.to.description
        total = view.total
        located = view.located
        unplaced = view.unplaced
        districts = view.districts.map { Area(name: $0.name, district: nil, count: $0.count) }
        streets = view.streets.map { Area(name: $0.name, district: $0.district, count: $0.count) }
        points = view.points.map { p in
            Point(number: p.number.description, latitude: p.location.latitude, longitude: p.location.longitude, status: p.status.rawValue,
                  statusName: p.status.chineseName, categoryName: p.categoryCode.flatMap(names.categoryName))
        }
        pointLimit = OrderMap.pointLimit
        hotSpots = view.hotSpots.map { Spot(latitude: $0.centre.latitude, longitude: $0.centre.longitude, count: $0.count, radiusMetres: Int($0.radiusMetres.rounded())) }
        hotSpotRule = .standard
    }
}

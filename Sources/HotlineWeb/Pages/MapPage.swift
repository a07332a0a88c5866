import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage

/// 工单地图 (`/insight/map`): the filter form, the map (Leaflet draws the shapes, the choropleth, points and hot spots
/// from `/api/v1/map`) and the same figures as tables, so the page reads without the map as well.
struct MapPage: Sendable {
    struct Option: Sendable {
        var value: String
        var label: String
        var selected: Bool
    }
    struct Row: Sendable {
        var name: String
        var count: Int
    }
    struct Spot: Sendable {
        var place: String
        var count: Int
    }

    var title = "工单地图"
    var user: PageUser?
    var from: String
    var to: String
    var categories: [Option]
    var statuses: [Option]
    /// The API's URL with the same filters, for the map's script.
    var dataURL: String
    var shapesURL: String
    var tileURL: String
    /// Leaflet is installed (else the page says so and shows the tables alone).
    var leaflet: Bool
    var summary: String
    var districts: [Row]
    var streets: [Row]
    var hotSpots: [Spot]
    var hasHotSpots: Bool

    static let roles: Set<Role> = Capability.viewMap.allowedRoles

    init(user: PageUser, filters: OrderMap.Filters, view: OrderMap.View, shapes: MapShapes, reference: ReferenceData, leaflet: Bool, tileURL: String?) {
        self.user = user
        from = view.from.description
        to = view.to.description
        categories = [Option(value: "", label: "全部分类", selected: filters.category == nil)]
            + reference.categories.filter { $0.level <= 2 && !$0.retired }.map { n in
                Option(value: n.code, label: (reference.categoryPath(n.code) ?? n.name), selected: filters.category == n.code)
            }
        statuses = [("", "全部状态"), ("open", "未办结"), ("finished", "已结束")].map { Option(value: $0.0, label: $0.1, selected: (filters.status ?? "") == $0.0) }
            + WorkOrderStatus.allCases.map { Option(value: $0.rawValue, label: $0.chineseName, selected: filters.status == $0.rawValue) }
        var items: [(String, String)] = [("from", from), ("to", to)]
        if let c = filters.category, !c.isEmpty { items.append(("category", c)) }
        if let s = filters.status, !s.isEmpty { items.append(("status", s)) }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_.,"))
        dataURL = APIRoutes.map + "?" + items.map { $0 + "=" + ($1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") }.joined(separator: "&")
        shapesURL = APIRoutes.mapShapes
        self.tileURL = tileURL ?? ""
        self.leaflet = leaflet
        summary = "\(from) 至 \(to) 共受理 \(view.total) 件，其中 \(view.located) 件有坐标" + (view.unplaced > 0 ? "，\(view.unplaced) 件未标明所在区县" : "")
            + (view.points.count < view.located ? "；地图上显示最新的 \(view.points.count) 个点。" : "。")
        districts = view.districts.sorted { $0.count > $1.count }.map { Row(name: $0.name, count: $0.count) }
        streets = view.streets.sorted { $0.count > $1.count }.map { Row(name: $0.district + " " + $0.name, count: $0.count) }
        hotSpots = view.hotSpots.map { spot in
            let street = shapes.streets.first { $0.contains(spot.centre) }
            let district = shapes.districts.first { $0.contains(spot.centre) }
            let place = street.map { $0.district + $0.name } ?? district?.name ?? "市域内"
            return Spot(place: place + "（约 \(Int((spot.radiusMetres / 10).rounded()) * 10) 米范围）", count: spot.count)
        }
        hasHotSpots = !hotSpots.isEmpty
    }
}

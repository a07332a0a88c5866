import Foundation
import HotlineDomain
import HotlineResources
import Testing

/// The map's shapes and hot spots, and the caller profile's tag rules, on hand-built data.
@Suite struct MapAndProfileDomainTests {
    static func demoShapes() throws -> MapShapes { try MapShapes(geoJSON: Data(try BundledData.text("demo/map.geojson").utf8)) }

    @Test func theDemoCityShipsFourDistrictsAndTheirStreets() throws {
        let shapes = try Self.demoShapes()
        #expect(shapes.districts.map(\.name).sorted() == ["江城区", "湖滨区", "青山县", "高新区"].sorted())
        #expect(shapes.streets.count == 6)
        // Every street lies inside its district: each of a street's corners is in it or on its edge, so its centre is.
        for street in shapes.streets {
            let ring = street.polygons[0][0]
            let centre = GeoPoint(latitude: ring.dropLast().map(\.latitude).reduce(0, +) / Double(ring.count - 1),
                                  longitude: ring.dropLast().map(\.longitude).reduce(0, +) / Double(ring.count - 1))
            #expect(shapes.district(street.district)?.contains(centre) == true, "\(street.name)")
        }
        #expect(shapes.street("湖滨区湖畔街道办事处", in: "湖滨区")?.name == "湖畔街道")
        #expect(shapes.street("湖畔街道", in: "江城区") == nil)
        let lakeside = GeoPoint(latitude: 30.2885, longitude: 120.2250)
        #expect(shapes.shapes.filter { $0.contains(lakeside) }.map(\.name) == ["湖滨区", "湖畔街道"])
        #expect(shapes.shapes.filter { $0.contains(GeoPoint(latitude: 31, longitude: 121)) }.isEmpty)
    }

    @Test func aRandomPointFallsInsideItsShape() throws {
        let shapes = try Self.demoShapes()
        var rng = SystemRandomNumberGenerator()
        for shape in shapes.shapes {
            let p = try #require(MapShapes.randomPoint(in: shape, using: &rng))
            #expect(shape.contains(p))
        }
    }

    @Test func touchingDenseCellsMakeOneHotSpot() {
        // Mean of the five cells 25 / 5 = 5; with factor 1.5 a dense cell holds ≥ max(5, 7.5): (0,0) with 12 and (1,1) with
        // 9, which touch at a corner — one spot of 21 orders, centred at ((0.5 × 12 + 1.5 × 9) / 21) cells on each axis.
        let cells = [GridCell(row: 0, column: 0, count: 12), GridCell(row: 1, column: 1, count: 9), GridCell(row: 5, column: 5, count: 1),
                     GridCell(row: 5, column: 6, count: 1), GridCell(row: 9, column: 9, count: 2)]
        let rule = HotSpotRule(cellDegrees: 0.01, minimumOrders: 5, factor: 1.5)
        let spots = HotSpots.find(cells, rule: rule)
        #expect(spots.count == 1)
        #expect(spots.first?.count == 21 && spots.first?.cells == 2)
        let expected = (0.5 * 12 + 1.5 * 9) / 21 * 0.01
        #expect(abs((spots.first?.centre.latitude ?? 0) - expected) < 1e-12)
        #expect(abs((spots.first?.centre.longitude ?? 0) - expected) < 1e-12)
        #expect(HotSpots.find(cells, rule: HotSpotRule(cellDegrees: 0.01, minimumOrders: 5, factor: 3)).isEmpty, "15 is above 12")
    }

    @Test func theAgeComesFromTheResidentIDsBirthDate() {
        let now = CivilDay(iso: "2025-03-03")!.at(minutes: 600)
        #expect(CallerTagRule.age(idNumber: "330102196503031234", at: now) == 60, "the birthday today counts")
        #expect(CallerTagRule.age(idNumber: "330102196503041234", at: now) == 59)
        #expect(CallerTagRule.age(idNumber: "33010219650304123X", at: now) == 59)
        #expect(CallerTagRule.age(idNumber: "330102196513041234", at: now) == nil, "no 13th month")
        #expect(CallerTagRule.age(idNumber: "91330100MA27XXXX1X", at: now) == nil, "a credit code")
    }
}

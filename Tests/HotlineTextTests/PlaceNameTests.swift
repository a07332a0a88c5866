import Foundation
import Testing
@testable import HotlineText

/// Place names match as whole places: the address's district field wins, and a bare place name that starts a road,
/// an estate or a building name is not that place.
@Suite struct PlaceNameTests {
    /// A city like the demo one: district governments, a street office under 江城区, a city department.
    static let gazetteer = Gazetteer(places: [
        ("江城区", "dist-jiangcheng"), ("江城", "dist-jiangcheng"), ("湖滨区", "dist-hubin"), ("湖滨", "dist-hubin"),
        ("高新区", "dist-gaoxin"), ("高新", "dist-gaoxin"), ("青山县", "dist-qingshan"), ("青山", "dist-qingshan"),
        ("滨江街道", "st-riverside"), ("滨江", "st-riverside"), ("江城区滨江", "st-riverside"), ("西湖景区", "dept-parks"),
    ])
    static let districts = ["dist-jiangcheng": "江城区", "dist-hubin": "湖滨区", "dist-gaoxin": "高新区", "dist-qingshan": "青山县",
                            "st-riverside": "江城区"]

    static let mentions: [(text: String, place: String)] = [
        ("家住湖滨区湖畔街道", "湖滨区"), ("湖滨区路灯不亮", "湖滨区"), ("高新区大厦门口", "高新区"), ("青山县城关镇", "青山县"),
        ("湖滨这边的路灯坏了", "湖滨"), ("湖滨路灯不亮", "湖滨"), ("湖滨街头有人摆摊", "湖滨"), ("在高新上班", "高新"),
        ("滨江街道办不作为", "滨江街道"), ("滨江街道的小区", "滨江街道"), ("我在青山。", "青山"), ("去江城", "江城"),
        // A road named after a place still lies in the district named before it.
        ("江城区滨江路12号", "江城区"), ("江城区湖滨路", "江城区"),
    ]

    static let notMentions: [String] = [
        "湖滨路8号", "滨江大道和科技大道路口", "青山小区门口", "高新大厦3楼", "湖滨花园12栋", "江城广场", "湖滨街12号", "青山巷",
        "滨江路口", "高新商城", "江城家园", "湖滨新村", "高新公寓", "青山苑", "湖滨大街", "滨江桥下",
    ]

    @Test(arguments: mentions)
    func aWholePlaceNameIsAMention(text: String, place: String) {
        #expect(Self.gazetteer.mentions(in: text).map(\.name) == [place], "\(text)")
    }

    @Test(arguments: notMentions)
    func aPlaceNameThatStartsARoadEstateOrBuildingIsNot(text: String) {
        #expect(Self.gazetteer.mentions(in: text).isEmpty, "\(text)")
    }

    @Test func namesThatCarryTheirLevelAreMentionsWhateverFollows() {
        #expect(PlaceName.isMention("湖滨区", followedBy: "路"))
        #expect(PlaceName.isMention("滨江街道", followedBy: "小区"))
        #expect(!PlaceName.isMention("湖滨", followedBy: "路8"))
        #expect(PlaceName.isMention("湖滨", followedBy: "路灯"))
        #expect(PlaceName.isMention("湖滨", followedBy: ""))
    }

    @Test func eachStretchOfTextCountsForOneNameAndIsCounted() {
        let found = Self.gazetteer.mentions(in: "滨江街道和滨江大道，湖滨区、湖滨区")
        #expect(found == [Gazetteer.Mention(name: "滨江街道", label: "st-riverside", count: 1), Gazetteer.Mention(name: "湖滨区", label: "dist-hubin", count: 2)])
        #expect(Gazetteer.evidence(found) == ["dist-hubin": 1 + log(2.0), "st-riverside": 1])
    }

    static let districtCases: [(text: String, district: String?, labels: Set<String>)] = [
        // The address's district beats a road named after another district.
        ("湖滨路8号小区门口垃圾堆放", "江城区", ["dist-jiangcheng"]),
        // … and a place the text names in another district.
        ("我亲戚住湖滨区，我家楼下噪音扰民", "江城区", ["dist-jiangcheng"]),
        ("高新区的公司在青山县的工地夜间施工", "青山县", ["dist-qingshan"]),
        // Places within the district stay, and so do places of the whole city.
        ("滨江街道门口西湖景区的车", "江城区", ["dist-jiangcheng", "st-riverside", "dept-parks"]),
        // Without the field the text speaks alone.
        ("我亲戚住湖滨区", nil, ["dist-hubin"]),
        ("我亲戚住湖滨区", "", ["dist-hubin"]),
    ]

    @Test(arguments: districtCases)
    func theDistrictFieldWinsOverPlaceNamesInTheText(text: String, district: String?, labels: Set<String>) {
        let found = Self.gazetteer.mentions(in: text, district: district) { Self.districts[$0] }
        #expect(Set(found.map(\.label)) == labels, "\(text) / \(district ?? "nil")")
    }

    @Test func onlyUnitsOfTheAddresssDistrictOrOfTheWholeCityServeIt() {
        #expect(PlaceName.serves(unitDistrict: "江城区", requestDistrict: "江城区"))
        #expect(!PlaceName.serves(unitDistrict: "湖滨区", requestDistrict: "江城区"))
        #expect(PlaceName.serves(unitDistrict: nil, requestDistrict: "江城区"), "a city department")
        #expect(PlaceName.serves(unitDistrict: "湖滨区", requestDistrict: nil))
        #expect(PlaceName.serves(unitDistrict: "湖滨区", requestDistrict: ""))
    }

    @Test func theDistrictFieldCountsAsOneMoreMention() {
        let found = Self.gazetteer.mentions(in: "江城区建设路", district: "江城区") { Self.districts[$0] }
        #expect(found == [Gazetteer.Mention(name: "江城区", label: "dist-jiangcheng", count: 2)])
    }

    @Test func theClassifierTakesPlaceEvidenceWorkedOutByTheCaller() {
        var options = TextClassifier.Options()
        options.neighbourWeight = 0
        options.minDocumentFrequency = 1
        options.gazetteer = Gazetteer(places: [("湖滨", "东"), ("江城", "西")])
        let model = TextClassifier.train(texts: ["路灯坏了", "路灯不亮", "井盖丢了", "井盖破了"], labels: ["东", "西", "东", "西"], options: options)
        #expect(model.rank("湖滨路灯坏了").first?.label == "东")
        #expect(model.rank("湖滨路灯坏了", places: ["西": 3]).first?.label == "西")
        #expect(model.scores("湖滨路灯坏了") == model.scores("湖滨路灯坏了", places: model.gazetteer!.evidence(in: "湖滨路灯坏了")))
    }
}

/// When a place name found in a text is a mention of that place (地名识别). A name that carries its level (江城区,
/// 青山县, 城关镇, 滨江街道, 望江社区) is the place whatever follows. A bare name (江城, 湖滨, 高新) is often the first
/// part of something else's name — a road (湖滨路, 滨江大道), an estate (青山小区) or a building (高新大厦) — which may
/// lie anywhere in the city, so there it is not a mention.
public enum PlaceName {
    /// Endings that give a name its level.
    public static let levelEndings = ["街道", "社区", "省", "市", "县", "区", "镇", "乡", "村"]
    /// Words that, right after a bare place name, make it part of a road's name.
    public static let roadWords = ["大道", "大街", "路", "街", "巷", "弄", "胡同", "桥"]
    /// … of an estate's name.
    public static let estateWords = ["小区", "花园", "家园", "公寓", "新村", "苑", "府", "公馆", "山庄"]
    /// … of a building's name.
    public static let buildingWords = ["大厦", "大楼", "广场", "商场", "商城"]
    /// Ordinary words that begin like those: 湖滨路灯 are 湖滨's street lamps, 湖滨街道 a sub-district named after the place.
    public static let ordinaryWords = ["路灯", "路况", "路人", "路过", "路费", "路线", "路网", "街道", "街头", "街区", "街坊", "桥梁"]

    /// How many characters after a name the rules look at (the longest word above).
    static let lookahead = 2

    static let otherNames = roadWords + estateWords + buildingWords

    /// Whether a unit lying in `unitDistrict` (nil: it serves the whole city) may handle a request whose address's
    /// district field says `requestDistrict` (nil: not given). The field wins: a unit of another district may not.
    public static func serves(unitDistrict: String?, requestDistrict: String?) -> Bool {
        guard let unitDistrict, let requestDistrict, !requestDistrict.isEmpty else { return true }
        return unitDistrict == requestDistrict
    }

    /// Whether the name ends with its level (区, 县, 街道, …).
    public static func carriesLevel(_ name: String) -> Bool { levelEndings.contains { name.hasSuffix($0) } }

    /// Whether `name`, found in a text right before `following`, names the place.
    public static func isMention(_ name: String, followedBy following: String) -> Bool {
        if carriesLevel(name) { return true }
        if ordinaryWords.contains(where: { following.hasPrefix($0) }) { return true }
        return !otherNames.contains { following.hasPrefix($0) }
    }
}

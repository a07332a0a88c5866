import Foundation

/// Place names found in a text (地名词典): each names a label (a unit) that a mention supports.
public struct Gazetteer: Sendable, Equatable {
    public private(set) var places: [(name: String, label: String)]
    /// Each place's name as Unicode scalars, in the order of `places`, for matching.
    private let scalars: [[Unicode.Scalar]]

    public static func == (a: Gazetteer, b: Gazetteer) -> Bool {
        a.places.map(\.name) == b.places.map(\.name) && a.places.map(\.label) == b.places.map(\.label)
    }

    public init(places: [(name: String, label: String)]) {
        // Longest names first, so that 滨江街道 is not also counted as 滨江.
        self.places = places.filter { $0.name.count >= 2 }.sorted { $0.name.count != $1.name.count ? $0.name.count > $1.name.count : $0.name < $1.name }
        scalars = self.places.map { Array($0.name.unicodeScalars) }
    }

    /// Administrative suffixes that are not part of the place name.
    static let suffixes = ["人民政府", "村民委员会", "居民委员会", "居委会", "管委会", "办事处", "政府"]
    static let levels: Set<Character> = ["省", "市", "县", "区", "镇", "乡", "村"]

    /// Place names derived from unit names: 洛南县人民政府 → 洛南县, 洛南; 滨江街道办事处 → 滨江街道, 滨江;
    /// 望江社区居委会 → 望江社区, 望江.
    public static func placeNames(of unitName: String) -> [String] {
        var name = unitName
        var stripped = false
        for s in suffixes where name.hasSuffix(s) {
            name.removeLast(s.count)
            stripped = true
            break
        }
        guard stripped, name.count >= 2 else { return [] }
        var names = [name]
        if name.hasSuffix("街道") || name.hasSuffix("社区"), name.count >= 4 { names.append(String(name.dropLast(2))) } else if let last = name.last, levels.contains(last), name.count >= 3 {
            names.append(String(name.dropLast()))
        }
        return names
    }

    /// A gazetteer whose labels are unit names, places derived from the names themselves.
    public static func fromLabels(_ labels: [String]) -> Gazetteer {
        Gazetteer(places: labels.flatMap { label in placeNames(of: label).map { ($0, label) } })
    }

    /// A place a text names, and how often.
    public struct Mention: Sendable, Equatable {
        public var name: String
        public var label: String
        public var count: Int

        public init(name: String, label: String, count: Int) {
            self.name = name
            self.label = label
            self.count = count
        }
    }

    /// The places the text names as places (``PlaceName/isMention(_:followedBy:)``), in the gazetteer's order. Longest
    /// names are matched first and a stretch of text that names a place counts for that name only: 滨江街道 is not also
    /// 滨江. A stretch that starts a road, estate or building name (湖滨路) names no bare place, but may still hold one
    /// that carries its level (江城区 in 江城区滨江路).
    public func mentions(in text: String) -> [Mention] {
        let chars = Array(text.unicodeScalars)
        // Per character: 0 free, 1 inside a road/estate/building name, 2 inside a place already counted.
        var used = [UInt8](repeating: 0, count: chars.count)
        var found: [Mention] = []
        for (p, name) in scalars.enumerated() where name.count <= chars.count {
            let marked = PlaceName.carriesLevel(places[p].name)
            var count = 0
            var i = 0
            while i + name.count <= chars.count {
                let end = i + name.count
                guard chars[i] == name[0], chars[i..<end].elementsEqual(name), used[i..<end].allSatisfy({ $0 == 0 || ($0 == 1 && marked) }) else {
                    i += 1
                    continue
                }
                var following = String.UnicodeScalarView()
                following.append(contentsOf: chars[end..<min(chars.count, end + PlaceName.lookahead)])
                let mention = PlaceName.isMention(places[p].name, followedBy: String(following))
                if mention { count += 1 }
                for k in i..<end { used[k] = max(used[k], mention ? 2 : 1) }
                i = end
            }
            if count > 0 { found.append(Mention(name: places[p].name, label: places[p].label, count: count)) }
        }
        return found
    }

    /// The places a request names when its address gives its district (the address's own field), which wins: the
    /// district counts as named once more, and a place the text names in another district is left out — the field
    /// says where the matter is, while a name in the text may be anywhere (a relative's home, a road or an estate
    /// named after another district). `districtOf` gives the district a label's unit lies in, nil for units that
    /// serve the whole city (these are never left out).
    public func mentions(in text: String, district: String?, districtOf: (String) -> String?) -> [Mention] {
        var found = mentions(in: text)
        guard let district, !district.isEmpty else { return found }
        found.removeAll { !PlaceName.serves(unitDistrict: districtOf($0.label), requestDistrict: district) }
        for m in mentions(in: district) {
            if let i = found.firstIndex(where: { $0.name == m.name && $0.label == m.label }) { found[i].count += m.count } else { found.append(m) }
        }
        return found
    }

    /// How strongly the text points at each label: 1 + ln(mentions) per mentioned label.
    public func evidence(in text: String) -> [String: Double] { Self.evidence(mentions(in: text)) }

    /// 1 + ln(mentions) per mentioned label.
    public static func evidence(_ mentions: [Mention]) -> [String: Double] {
        var counts: [String: Int] = [:]
        for m in mentions { counts[m.label, default: 0] += m.count }
        return counts.mapValues { 1 + log(Double($0)) }
    }
}

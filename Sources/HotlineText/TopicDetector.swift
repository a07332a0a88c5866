/// One request as hot-topic detection sees it: its text, the day it came in, and optionally where and what about.
public struct TopicMessage: Sendable, Equatable {
    /// The caller's identifier for the row (an order number, a message id).
    public var id: String
    public var text: String
    /// Days since 1970-01-01 (see ``TopicDay``).
    public var day: Int
    /// The district (区县) the request is about, for per-district topics and the places of a topic.
    public var district: String?
    /// The request's category (a top-level 分类 name), for per-category topics.
    public var category: String?
    /// A finer place (a street or township) shown among a topic's places.
    public var place: String?
    /// Who sent it (a caller's number or account), when known: one caller's requests count once in a topic.
    public var caller: String?

    public init(id: String, text: String, day: Int, district: String? = nil, category: String? = nil, place: String? = nil, caller: String? = nil) {
        self.id = id
        self.text = text
        self.day = day
        self.district = district
        self.category = category
        self.place = place
        self.caller = caller
    }
}

/// Where a topic rose: across the city, or within one district or one category against that district's or
/// category's own baseline.
public enum TopicScope: Sendable, Hashable, Codable {
    case city
    case district(String)
    case category(String)

    /// The scope's kind and value, for storage.
    public var kind: String {
        switch self {
        case .city: "city"
        case .district: "district"
        case .category: "category"
        }
    }

    public var value: String {
        switch self {
        case .city: ""
        case .district(let v), .category(let v): v
        }
    }

    public init?(kind: String, value: String) {
        switch kind {
        case "city": self = .city
        case "district": self = .district(value)
        case "category": self = .category(value)
        default: return nil
        }
    }
}

/// The thresholds of hot-topic detection (热点阈值). A topic is reported when at least `minSize` requests of the
/// window match it and that is at least `minRatio` times what its baseline share predicts.
public struct TopicThresholds: Sendable, Equatable, Codable {
    /// The fewest requests in the window that make a topic.
    public var minSize: Int
    /// How many times its baseline expectation a topic's window count must reach.
    public var minRatio: Double
    /// The share (0…1) of a topic's term weight a request must contain to belong to it.
    public var coverage: Double
    /// How many days before the window make its baseline (nil: every earlier request).
    public var baselineDays: Int?

    public init(minSize: Int = 5, minRatio: Double = 3, coverage: Double = 0.4, baselineDays: Int? = nil) {
        self.minSize = minSize
        self.minRatio = minRatio
        self.coverage = coverage
        self.baselineDays = baselineDays
    }

    /// The first value out of its range: the field's input name and what it should be (in Chinese); nil when all are in range.
    public var problem: (field: String, message: String)? {
        if !(2...10_000).contains(minSize) { return ("min_size", "应为 2 到 10000 之间的整数") }
        if !(minRatio >= 1 && minRatio <= 1000) { return ("min_ratio", "应为 1 到 1000 之间的数") }
        if !(coverage >= 0.1 && coverage <= 1) { return ("coverage", "应为 0.1 到 1 之间的数") }
        if let d = baselineDays, !(1...3650).contains(d) { return ("baseline_days", "应为 1 到 3650 之间的整数") }
        return nil
    }
}

/// A hot topic (热点): requests of the window that share rising terms, against the baseline before the window.
public struct HotTopic: Sendable, Equatable {
    public var scope: TopicScope
    /// A short Chinese label made of the topic's commonest phrases (丽发新城·搅拌站).
    public var label: String
    /// The topic's phrases, commonest first.
    public var terms: [String]
    /// The ids of the window's requests in the topic, oldest first.
    public var ids: [String]
    /// How many earlier (baseline) requests match the topic.
    public var baselineCount: Int
    /// How many requests the baseline period holds (in the topic's scope).
    public var baselineTotal: Int
    /// How many requests the window holds (in the topic's scope).
    public var windowTotal: Int
    /// The window's count its baseline share predicts: `windowTotal × baselineCount / baselineTotal`.
    public var baseline: Double
    /// How far the window's count of senders (one per caller, see ``TopicMessage/caller``) rises above the baseline (a
    /// Poisson log-likelihood ratio); topics rank by it.
    public var score: Double
    /// Requests per day over the window.
    public var trend: [Int]
    /// Districts and places of the topic's requests with their counts, commonest first.
    public var places: [Place]

    public var size: Int { ids.count }

    public struct Place: Sendable, Equatable {
        public var name: String
        public var count: Int
        public init(name: String, count: Int) {
            self.name = name
            self.count = count
        }
    }
}

/// Finds hot topics (热点发现) in a window of days against the baseline before it: terms (character pairs) whose share of
/// the window's requests rises far above their share before it are grouped by the requests they share; each group's
/// requests are those containing enough of its terms' weight (a cluster of similar requests), counted again in the
/// baseline; groups that still rise are topics, best first. City-wide and, when the messages carry them, per district
/// and per category against their own baselines; a scoped topic that repeats a city-wide one is left out.
public struct TopicDetector: Sendable {
    public var thresholds: TopicThresholds
    /// How many topics to keep per scope.
    public var limit: Int

    public init(thresholds: TopicThresholds = TopicThresholds(), limit: Int = 20) {
        self.thresholds = thresholds
        self.limit = limit
    }

    /// The topics of `window` (first and last day, inclusive), best first. `progress` is told the stage reached.
    public func detect(_ messages: [TopicMessage], window: ClosedRange<Int>, scoped: Bool = true, progress: ((String) -> Void)? = nil) -> [HotTopic] {
        let lower = thresholds.baselineDays.map { window.lowerBound - $0 } ?? Int.min
        progress?("tokenising \(messages.count) messages")
        var corpus = TopicCorpus()
        for m in messages where m.day >= lower && m.day <= window.upperBound { corpus.add(m) }
        progress?("scoring terms")
        var all = topics(in: corpus, indices: Array(0..<corpus.count), scope: .city, window: window)
        guard scoped else { return all }
        var byDistrict: [String: [Int]] = [:], byCategory: [String: [Int]] = [:]
        for i in 0..<corpus.count {
            if let d = corpus.messages[i].district, !d.isEmpty { byDistrict[d, default: []].append(i) }
            if let c = corpus.messages[i].category, !c.isEmpty { byCategory[c, default: []].append(i) }
        }
        let scopes = byDistrict.sorted { $0.key < $1.key }.map { (TopicScope.district($0.key), $0.value) }
            + byCategory.sorted { $0.key < $1.key }.map { (TopicScope.category($0.key), $0.value) }
        for (scope, indices) in scopes where indices.count >= thresholds.minSize {
            progress?("scoring \(scope.kind) \(scope.value)")
            for topic in topics(in: corpus, indices: indices, scope: scope, window: window) {
                let ids = Set(topic.ids)
                let repeats = all.contains { other in other.ids.lazy.filter { ids.contains($0) }.count * 2 >= ids.count }
                if !repeats { all.append(topic) }
            }
        }
        return all.sorted { $0.score != $1.score ? $0.score > $1.score : $0.label < $1.label }
    }
}

/// Calendar days as plain numbers (days since 1970-01-01), so the detector needs no time zone.
public enum TopicDay {
    /// The day of `YYYY-MM-DD` (anything after the tenth character, such as a time, is ignored); nil if malformed.
    public static func parse(_ text: Substring) -> Int? {
        let u = Array(text.utf8.prefix(10))
        guard u.count == 10, u[4] == UInt8(ascii: "-") || u[4] == UInt8(ascii: "/"), u[7] == u[4] else { return nil }
        func number(_ r: Range<Int>) -> Int? {
            var n = 0
            for k in r {
                guard (48...57).contains(u[k]) else { return nil }
                n = n * 10 + Int(u[k] - 48)
            }
            return n
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10), (1...12).contains(m), (1...31).contains(d) else { return nil }
        return day(year: y, month: m, day: d)
    }

    public static func parse(_ text: String) -> Int? { parse(text[...]) }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    public static func day(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// `YYYY-MM-DD` of a day number.
    public static func format(_ day: Int) -> String {
        let z = day + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func pad(_ n: Int, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(n).count)) + String(n) }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }
}

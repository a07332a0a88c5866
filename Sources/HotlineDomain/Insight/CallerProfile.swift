import Foundation

/// 来电人画像: what the centre knows of one caller from their own orders — how often and about what they call, which
/// units handled them, repeats and callbacks — and the tags that follow from it.
public struct CallerProfile: Sendable, Equatable {
    /// A tag the profile gives a caller; each has one rule (`CallerTagRule`).
    public enum Tag: String, Sendable, Codable, CaseIterable {
        /// 老年人: an order's resident ID number gives an age of `elderlyAge` or more, or the caller was recorded under a
        /// form of address for an older person (王大爷, 李奶奶 …).
        case elderly
        /// 企业: an order recorded the caller as an enterprise, or went through the 营商环境 lane.
        case enterprise
        /// 高频来电: `frequentIn30Days` orders or more in the last 30 days, or `frequentIn365Days` in the last 365.
        case frequent

        public var chineseName: String {
            switch self {
            case .elderly: "老年人"
            case .enterprise: "企业"
            case .frequent: "高频来电"
            }
        }
    }

    /// One calendar month (China time) of the timeline.
    public struct Month: Sendable, Equatable {
        public var year: Int
        public var month: Int
        public var count: Int
    }

    /// A category or unit with how many of the caller's orders it has.
    public struct Share: Sendable, Equatable {
        public var key: String
        public var count: Int
    }

    /// A reached callback (回访) of one of the caller's orders.
    public struct CallbackEntry: Sendable, Equatable {
        public var order: OrderNumber
        public var at: Date
        public var resolved: Bool
        public var satisfaction: Satisfaction
    }

    /// Every order the caller made (the count, not only those read).
    public var total: Int
    /// The orders the profile was built from: the newest ones, at most the reader's limit.
    public var considered: Int
    public var open: Int
    public var firstAt: Date?
    public var lastAt: Date?
    /// The last twelve months, oldest first, ending with the current one.
    public var months: [Month]
    /// Top categories (codes) and lead units (ids), most orders first.
    public var categories: [Share]
    public var units: [Share]
    /// Orders recorded as repeating an earlier one (重复诉求).
    public var repeats: Int
    public var redos: Int
    /// Reached callbacks, newest first.
    public var callbacks: [CallbackEntry]
    public var tags: [Tag]

    /// The profile of `orders` (the caller's, newest first or in any order), `total` being how many they have in all.
    public static func build(_ orders: [WorkOrder], total: Int, now: Date, rule: CallerTagRule = .standard) -> CallerProfile {
        let sorted = orders.sorted { $0.timeline.createdAt > $1.timeline.createdAt }
        let today = CivilDay(containing: now).components
        var months: [Month] = (0..<12).reversed().map { back in
            let index = today.year * 12 + (today.month - 1) - back
            return Month(year: index / 12, month: index % 12 + 1, count: 0)
        }
        for order in sorted {
            let c = CivilDay(containing: order.timeline.createdAt).components
            if let i = months.firstIndex(where: { $0.year == c.year && $0.month == c.month }) { months[i].count += 1 }
        }
        func top(_ keys: [String]) -> [Share] {
            Dictionary(keys.map { ($0, 1) }, uniquingKeysWith: +).map { Share(key: $0.key, count: $0.value) }
                .sorted { ($0.count, $1.key) > ($1.count, $0.key) }.prefix(5).map { $0 }
        }
        let callbacks = sorted.compactMap { o in
            o.callback.map { CallbackEntry(order: o.number, at: $0.at, resolved: $0.resolved, satisfaction: $0.satisfaction) }
        }.sorted { $0.at > $1.at }
        return CallerProfile(
            total: max(total, sorted.count), considered: sorted.count, open: sorted.filter { $0.status.isOpen }.count,
            firstAt: sorted.last?.timeline.createdAt, lastAt: sorted.first?.timeline.createdAt, months: months,
            categories: top(sorted.compactMap(\.categoryCode)), units: top(sorted.compactMap(\.leadUnit)),
            repeats: sorted.filter { $0.repeatOf != nil }.count, redos: sorted.filter { $0.redoCount > 0 }.count,
            callbacks: callbacks, tags: rule.tags(of: sorted, now: now))
    }
}

/// The rules behind the caller tags (来电人标签).
public struct CallerTagRule: Sendable, Equatable {
    public var elderlyAge: Int
    public var frequentIn30Days: Int
    public var frequentIn365Days: Int
    /// Forms of address for an older person, as agents record them after the surname.
    public var elderlyAddressForms: [String]

    public init(elderlyAge: Int = 60, frequentIn30Days: Int = 5, frequentIn365Days: Int = 12,
                elderlyAddressForms: [String] = ["大爷", "大妈", "大娘", "奶奶", "爷爷", "老伯", "阿婆", "老人"]) {
        self.elderlyAge = elderlyAge
        self.frequentIn30Days = frequentIn30Days
        self.frequentIn365Days = frequentIn365Days
        self.elderlyAddressForms = elderlyAddressForms
    }

    public static let standard = CallerTagRule()

    public func tags(of orders: [WorkOrder], now: Date) -> [CallerProfile.Tag] {
        var tags: [CallerProfile.Tag] = []
        let elderly = orders.contains { o in
            if let id = o.caller.idNumber, let age = Self.age(idNumber: id, at: now), age >= elderlyAge { return true }
            return o.caller.type == .individual && elderlyAddressForms.contains { o.caller.name.hasSuffix($0) }
        }
        if elderly { tags.append(.elderly) }
        if orders.contains(where: { $0.caller.type == .enterprise || $0.lanes.contains(.businessEnvironment) }) { tags.append(.enterprise) }
        func since(_ days: Double) -> Int { orders.filter { now.timeIntervalSince($0.timeline.createdAt) < days * 86_400 }.count }
        if since(30) >= frequentIn30Days || since(365) >= frequentIn365Days { tags.append(.frequent) }
        return tags
    }

    /// Age in whole years on `now` (China time) from an 18-digit resident ID number's birth date (digits 7–14); nil
    /// for any other number.
    public static func age(idNumber: String, at now: Date) -> Int? {
        let chars = Array(idNumber)
        guard chars.count == 18, chars.prefix(17).allSatisfy(\.isASCII), chars.prefix(17).allSatisfy(\.isNumber),
              let year = Int(String(chars[6..<10])), let month = Int(String(chars[10..<12])), let day = Int(String(chars[12..<14])),
              CivilDay(year: year, month: month, day: day) != nil else { return nil }
        let today = CivilDay(containing: now).components
        let age = today.year - year - ((today.month, today.day) < (month, day) ? 1 : 0)
        return age >= 0 ? age : nil
    }
}

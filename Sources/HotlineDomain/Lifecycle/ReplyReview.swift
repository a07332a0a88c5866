import Foundation

// Reply review rules (答复审核规则): the unit's self-check when it replies and the centre's check at review. Each rule
// has a stable id, a Chinese description, a severity (拦截 refuses the reply, 提醒 lets it through with a warning) and
// parameters an administrator edits; a failed rule explains itself in Chinese.

/// The starter rules, in the order they are listed and checked.
public enum ReplyRuleID: String, CaseIterable, Sendable, Codable {
    case resultAndUnit = "result_and_unit"
    case notStockPhrase = "not_stock_phrase"
    case minimumLength = "minimum_length"
    case addressesRequest = "addresses_request"
    case noUnmaskedNumbers = "no_unmasked_numbers"
    case promisedDatesAhead = "promised_dates_ahead"
    case complaintContact = "complaint_contact"

    public var description: String {
        switch self {
        case .resultAndUnit: "写明办理结果和办理单位"
        case .notStockPhrase: "不能只是套话（如“已处理”“已知悉”）"
        case .minimumLength: "答复不少于规定字数"
        case .addressesRequest: "答复针对诉求内容（与诉求文字的相似度不低于阈值）"
        case .noUnmaskedNumbers: "不含未遮挡的电话号码或身份证号"
        case .promisedDatesAhead: "承诺的日期不能已经过去"
        case .complaintContact: "投诉件说明是否已联系来电人"
        }
    }

    /// The parameters the rule takes, in the order the admin page lists them.
    public var parameters: [ReplyRuleParameter] {
        switch self {
        case .resultAndUnit:
            [.init(name: "result_words", label: "表示办理结果的词语", kind: .words,
                   defaultValue: "已解决、已修复、已完成、已办结、已落实、已整改、已清理、已安排、已恢复、已退还、已发放、已更换、已维修、已答复、已告知、已解释、已查处、已制止、已拆除、不予支持、不属实、无法办理、将于、正在"),
             .init(name: "unit_words", label: "表示办理单位的词语（单位名称也算）", kind: .words,
                   defaultValue: "我局、我委、我办、我单位、本单位、我中心、我街道、本街道、我镇、我公司、本公司、我所、我队、我院、我站、社区")]
        case .notStockPhrase:
            [.init(name: "phrases", label: "套话", kind: .words,
                   defaultValue: "已转相关部门处理、已转相关部门、已处理、已知悉、已收到、已办理、已转办、正在处理、已反馈、已阅、收到、知悉、处理完毕、已办结")]
        case .minimumLength:
            [.init(name: "min_chars", label: "最少字数", kind: .integer(1...2000), defaultValue: "20")]
        case .addressesRequest:
            [.init(name: "min_similarity", label: "最低相似度（0到1之间）", kind: .ratio, defaultValue: "0.05")]
        case .noUnmaskedNumbers:
            []
        case .promisedDatesAhead:
            [.init(name: "promise_words", label: "表示承诺的词语（日期前若干字内出现，或日期后紧跟“前”）", kind: .words,
                   defaultValue: "将于、将在、预计、计划、争取、承诺、拟于、拟在、确保、力争、定于")]
        case .complaintContact:
            [.init(name: "contact_words", label: "表示联系情况的词语", kind: .words,
                   defaultValue: "已联系、已电话联系、电话联系、已与来电人、已与市民、已与投诉人、已致电、已回电、已当面、上门沟通、已沟通、未能联系、无法联系、联系不上、未接听、拒绝沟通")]
        }
    }

    /// The default severity: what would put the caller at risk or mislead them blocks; the rest warn, so that a
    /// short but true reply can still go through.
    public var defaultSeverity: ReplyRuleSeverity {
        switch self {
        case .noUnmaskedNumbers, .promisedDatesAhead: .block
        default: .warn
        }
    }
}

/// 拦截 (the reply is refused) or 提醒 (shown, the reply goes through).
public enum ReplyRuleSeverity: String, CaseIterable, Sendable, Codable {
    case block, warn

    public var chineseName: String { self == .block ? "拦截" : "提醒" }
}

/// One parameter of a rule: its name in the API, its Chinese label and what values it takes.
public struct ReplyRuleParameter: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A whole number in the range.
        case integer(ClosedRange<Int>)
        /// A number from 0 to 1.
        case ratio
        /// Words separated by 、 , ， or line breaks; at least one, each at most 20 characters.
        case words
    }

    public var name: String
    public var label: String
    public var kind: Kind
    public var defaultValue: String

    /// The value in its stored form, or a Chinese refusal naming the label.
    public func normalized(_ raw: String) -> Result<String, ReplyRuleError> {
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        switch kind {
        case .integer(let range):
            guard let n = Int(value), range.contains(n) else {
                return .failure(ReplyRuleError(field: name, message: "“\(label)”应为\(range.lowerBound)到\(range.upperBound)之间的整数"))
            }
            return .success(String(n))
        case .ratio:
            guard let x = Double(value), x.isFinite, (0...1).contains(x) else {
                return .failure(ReplyRuleError(field: name, message: "“\(label)”应为0到1之间的小数，如0.05"))
            }
            return .success(String(x))
        case .words:
            let words = Self.words(value)
            guard !words.isEmpty, words.count <= 200, words.allSatisfy({ $0.count <= 20 }) else {
                return .failure(ReplyRuleError(field: name, message: "“\(label)”应有1到200个词语，用顿号分隔，每个不超过20字"))
            }
            return .success(words.joined(separator: "、"))
        }
    }

    static func words(_ value: String) -> [String] {
        value.split(whereSeparator: { "、,，;；\n\r\t ".contains($0) }).map(String.init)
    }
}

/// A refused rule setting: the parameter (or `severity`, `id`) and a Chinese message.
public struct ReplyRuleError: Error, Equatable, Sendable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// One rule as configured: whether it is checked, how severe a failure is, and its parameters (every parameter of
/// the rule, in stored form).
public struct ReplyRule: Sendable, Equatable, Codable {
    public var id: ReplyRuleID
    public var enabled: Bool
    public var severity: ReplyRuleSeverity
    public var parameters: [String: String]

    public init(id: ReplyRuleID, enabled: Bool = true, severity: ReplyRuleSeverity? = nil, parameters: [String: String] = [:]) {
        self.id = id
        self.enabled = enabled
        self.severity = severity ?? id.defaultSeverity
        var all: [String: String] = [:]
        for p in id.parameters { all[p.name] = parameters[p.name] ?? p.defaultValue }
        self.parameters = all
    }

    /// A rule from an administrator's input: unknown parameters and bad values are refused; missing ones keep their
    /// defaults.
    public static func validated(id: ReplyRuleID, enabled: Bool, severity: ReplyRuleSeverity, parameters: [String: String]) -> Result<ReplyRule, ReplyRuleError> {
        let known = Dictionary(uniqueKeysWithValues: id.parameters.map { ($0.name, $0) })
        var clean: [String: String] = [:]
        for (name, raw) in parameters.sorted(by: { $0.key < $1.key }) {
            guard let p = known[name] else {
                return .failure(ReplyRuleError(field: name, message: "规则“\(id.description)”没有参数“\(name)”"))
            }
            switch p.normalized(raw) {
            case .success(let v): clean[name] = v
            case .failure(let e): return .failure(e)
            }
        }
        return .success(ReplyRule(id: id, enabled: enabled, severity: severity, parameters: clean))
    }

    func integer(_ name: String) -> Int { Int(parameters[name] ?? "") ?? 0 }
    func ratio(_ name: String) -> Double { Double(parameters[name] ?? "") ?? 0 }
    func words(_ name: String) -> [String] { ReplyRuleParameter.words(parameters[name] ?? "") }
}

/// What a reply is checked against: the reply, the request it answers, and when.
public struct ReplyReviewSubject: Sendable {
    public var reply: String
    /// The order's title and content.
    public var request: String
    public var kind: RequestKind
    /// The replying unit's name, which counts as naming the handling unit.
    public var unitName: String?
    public var now: Date

    public init(reply: String, request: String, kind: RequestKind, unitName: String?, now: Date) {
        self.reply = reply
        self.request = request
        self.kind = kind
        self.unitName = unitName
        self.now = now
    }
}

/// One rule's verdict on a reply; `message` explains a failure in Chinese.
public struct ReplyRuleResult: Sendable, Equatable {
    public var id: ReplyRuleID
    public var severity: ReplyRuleSeverity
    public var passed: Bool
    public var message: String?

    public var blocks: Bool { !passed && severity == .block }
}

/// The rule set in force: every starter rule, configured.
public struct ReplyReviewRules: Sendable, Equatable {
    public private(set) var rules: [ReplyRule]

    /// Every rule, in `ReplyRuleID.allCases` order; rules not given take their defaults.
    public init(_ rules: [ReplyRule] = []) {
        let given = Dictionary(rules.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        self.rules = ReplyRuleID.allCases.map { given[$0] ?? ReplyRule(id: $0) }
    }

    public static let `default` = ReplyReviewRules()

    public func rule(_ id: ReplyRuleID) -> ReplyRule { rules.first { $0.id == id } ?? ReplyRule(id: id) }

    /// Every enabled rule's verdict on `subject`. `similarity` scores two texts from 0 to 1 (the text module's
    /// character n-gram cosine in the app).
    public func check(_ subject: ReplyReviewSubject, similarity: (String, String) -> Double) -> [ReplyRuleResult] {
        rules.filter(\.enabled).compactMap { rule in
            guard let failure = ReplyRuleCheck.failure(of: rule, on: subject, similarity: similarity) else {
                return ReplyRuleResult(id: rule.id, severity: rule.severity, passed: true, message: nil)
            }
            return ReplyRuleResult(id: rule.id, severity: rule.severity, passed: false, message: failure)
        }
    }
}

/// The checks themselves: each returns nil when the reply passes, or the Chinese explanation.
enum ReplyRuleCheck {
    static func failure(of rule: ReplyRule, on s: ReplyReviewSubject, similarity: (String, String) -> Double) -> String? {
        let text = s.reply
        switch rule.id {
        case .resultAndUnit:
            let result = rule.words("result_words").contains { text.contains($0) }
            let unitWords = rule.words("unit_words") + [s.unitName].compactMap { $0 }.filter { !$0.isEmpty }
            let unit = unitWords.contains { text.contains($0) }
            switch (result, unit) {
            case (true, true): return nil
            case (false, true): return "答复未写明办理结果（如“已修复”“已解决”“不予支持”）"
            case (true, false): return "答复未写明办理单位（如“我局”或本单位名称）"
            case (false, false): return "答复未写明办理结果和办理单位（如“我局已安排维修，路灯已修复”）"
            }
        case .notStockPhrase:
            // Stock phrases taken out, fewer than four characters remain: the reply says nothing of its own.
            let all = significant(text)
            var rest = all
            for phrase in rule.words("phrases").sorted(by: { $0.count > $1.count }) { rest = rest.replacingOccurrences(of: phrase, with: "") }
            return rest != all && rest.count < 4 ? "答复只有套话，请写明具体办理过程和结果" : nil
        case .minimumLength:
            let need = rule.integer("min_chars"), have = significant(text).count
            return have < need ? "答复过短：应不少于\(need)字，现有\(have)字" : nil
        case .addressesRequest:
            let need = rule.ratio("min_similarity"), have = similarity(s.reply, s.request)
            return have < need ? "答复与诉求内容关联度过低（\(percent(have))，应不低于\(percent(need))），请针对诉求作答" : nil
        case .noUnmaskedNumbers:
            let found = unmaskedNumbers(in: text)
            return found.isEmpty ? nil : "答复含有未遮挡的电话号码或身份证号（\(found.map { $0.count == 18 ? ContactPrivacy.maskIDNumber($0) : ContactPrivacy.maskPhone($0) }.joined(separator: "、"))），请删除或用*遮挡"
        case .promisedDatesAhead:
            let today = CivilDay(containing: s.now)
            let past = PromisedDates.find(in: text, today: today, promiseWords: rule.words("promise_words")).filter { $0.day < today }
            return past.isEmpty ? nil : "答复承诺的日期已经过去：\(past.map { "“\($0.text)”" }.joined(separator: "、"))，请核对后改正"
        case .complaintContact:
            guard s.kind == .complaint else { return nil }
            return rule.words("contact_words").contains { text.contains($0) } ? nil
                : "投诉件的答复应说明是否已联系来电人（如“已电话联系来电人”或“多次致电未能联系上”）"
        }
    }

    /// The text without whitespace and punctuation: what counts as written characters.
    static func significant(_ text: String) -> String {
        String(text.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) && !CharacterSet.punctuationCharacters.contains($0)
            && !CharacterSet.symbols.contains($0) }.map(Character.init))
    }

    static func percent(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }

    /// Mobile numbers (11 digits from 1[3-9]), landlines with an area code, and 18-character ID numbers, each not
    /// part of a longer run of digits; masked forms (with *) never match.
    static func unmaskedNumbers(in text: String) -> [String] {
        var found: [String] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            guard chars[i].isASCII, chars[i].isNumber else { i += 1; continue }
            var j = i
            var run = ""
            // Digits, with the one hyphen or space a landline may carry after its area code.
            while j < chars.count {
                let c = chars[j]
                if c.isASCII, c.isNumber { run.append(c); j += 1 }
                else if (c == "-" || c == " "), run.count >= 3, run.count <= 4, run.first == "0", !run.contains("-"),
                        j + 1 < chars.count, chars[j + 1].isASCII, chars[j + 1].isNumber { run.append("-"); j += 1 }
                else if (c == "X" || c == "x"), run.count == 17 { run.append(c); j += 1; break }
                else { break }
            }
            let digits = run.filter(\.isNumber)
            if run.count == 11, run.first == "1", let second = run.dropFirst().first, "3456789".contains(second) { found.append(run) }
            else if run.count == 18, digits.count >= 17 { found.append(run) }
            else if run.first == "0", (10...12).contains(digits.count), run.contains("-") || digits.count >= 11 { found.append(run) }
            i = j
        }
        return found
    }
}

/// Dates a reply promises: 12月5日, 2026年12月5日, 2026-12-05, 本周一, 下周一 … A date counts as promised when one
/// of the promise words stands in the eight characters before it, or “前” right after it.
public enum PromisedDates {
    public struct Found: Sendable, Equatable {
        public var text: String
        public var day: CivilDay
    }

    public static func find(in text: String, today: CivilDay, promiseWords: [String]) -> [Found] {
        mentioned(in: text, today: today).filter { found, range in
            let before = String(text[..<range.lowerBound].suffix(8))
            let after = String(text[range.upperBound...].prefix(3))
            return promiseWords.contains { before.contains($0) } || (after.hasPrefix("前") && !after.hasPrefix("前往")) || after.hasPrefix("之前") || after.hasPrefix("以前")
        }.map(\.0)
    }

    /// Every date the text names, with where it stands. A month and day without a year is in today's year.
    static func mentioned(in text: String, today: CivilDay) -> [(Found, Range<String.Index>)] {
        var out: [(Found, Range<String.Index>)] = []
        for m in text.matches(of: /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]/) {
            let year = m.output.1.flatMap { Int($0) } ?? today.year
            if let month = Int(m.output.2), let d = Int(m.output.3), let day = CivilDay(year: year, month: month, day: d) {
                out.append((Found(text: String(m.output.0), day: day), m.range))
            }
        }
        for m in text.matches(of: /(\d{4})[-\/.](\d{1,2})[-\/.](\d{1,2})/) {
            if let y = Int(m.output.1), let mo = Int(m.output.2), let d = Int(m.output.3), let day = CivilDay(year: y, month: mo, day: d) {
                out.append((Found(text: String(m.output.0), day: day), m.range))
            }
        }
        // 本周/这周/下周 + 一…日: weeks start on Monday.
        let names: [Character: Int] = ["一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6]
        let monday = today.adding(days: -((today.weekday + 6) % 7))
        for m in text.matches(of: /(本周|这周|下周|下星期|本星期|这星期)([一二三四五六日天])/) {
            guard let offset = m.output.2.first.flatMap({ names[$0] }) else { continue }
            let next = m.output.1.hasPrefix("下")
            out.append((Found(text: String(m.output.0), day: monday.adding(days: offset + (next ? 7 : 0))), m.range))
        }
        return out.sorted { $0.1.lowerBound < $1.1.lowerBound }
    }
}

import Foundation
import HotlineDomain
import HotlineText
import Testing

/// The reply review rules (答复审核规则), one table row per text: each starter rule with replies that pass and
/// replies that fail, and what a failure says.
@Suite struct ReplyReviewRuleTests {
    /// Wednesday 2 December 2026, 10:00 China time: 本周一 is 30 November, 下周一 is 7 December.
    static let now = CivilDay(year: 2026, month: 12, day: 2)!.at(minutes: 600)
    static let request = "幸福路路灯不亮\n幸福路东段三盏路灯连续一周不亮，晚上出行不便，请尽快维修。"

    struct Case: CustomTestStringConvertible, Sendable {
        var rule: ReplyRuleID
        var reply: String
        var kind: RequestKind = .help
        var unitName: String? = nil
        /// nil when the reply passes; else a fragment of the failure's message.
        var fails: String?

        var testDescription: String { "\(rule.rawValue): \(reply)" }
    }

    static let cases: [Case] = [
        // 写明办理结果和办理单位
        Case(rule: .resultAndUnit, reply: "我局已安排人员到现场，路灯已修复。"),
        Case(rule: .resultAndUnit, reply: "城东街道办事处工作人员现场查看，垃圾已清理。", unitName: "城东街道办事处"),
        Case(rule: .resultAndUnit, reply: "路灯已修复。", fails: "未写明办理单位"),
        Case(rule: .resultAndUnit, reply: "我局收到工单。", fails: "未写明办理结果"),
        Case(rule: .resultAndUnit, reply: "收到。", fails: "未写明办理结果和办理单位"),
        // 不能只是套话
        Case(rule: .notStockPhrase, reply: "已处理", fails: "只有套话"),
        Case(rule: .notStockPhrase, reply: "已转相关部门处理。", fails: "只有套话"),
        Case(rule: .notStockPhrase, reply: "已知悉，已处理！", fails: "只有套话"),
        Case(rule: .notStockPhrase, reply: "已处理：更换了三盏路灯，现已正常亮灯。"),
        Case(rule: .notStockPhrase, reply: "已修复"),
        // 不少于规定字数（默认20字，不计空白和标点）
        Case(rule: .minimumLength, reply: "已修复", fails: "应不少于20字，现有3字"),
        Case(rule: .minimumLength, reply: "，，，，，，，，，，，，，，，，，，，，，，已修复。", fails: "现有3字"),
        Case(rule: .minimumLength, reply: "经现场核实，幸福路东段三盏路灯线路老化，我局已更换线路。"),
        // 针对诉求内容
        Case(rule: .addressesRequest, reply: "经核查，幸福路路灯线路老化，我局已更换线路，路灯已恢复照明。"),
        Case(rule: .addressesRequest, reply: "您反映的情况我们已收到，会尽快安排。", fails: "，应不低于5%），请针对诉求作答"),
        // 不含未遮挡的电话号码或身份证号
        Case(rule: .noUnmaskedNumbers, reply: "如有疑问请联系13812345678。", fails: "138****5678"),
        Case(rule: .noUnmaskedNumbers, reply: "来电人身份证号11010519491231002X已核实。", fails: "110105********002X"),
        Case(rule: .noUnmaskedNumbers, reply: "咨询电话0571-87654321。", fails: "电话号码或身份证号"),
        Case(rule: .noUnmaskedNumbers, reply: "已电话联系来电人138****5678，工单20261130000123已办结，费用12345元。"),
        Case(rule: .noUnmaskedNumbers, reply: "110105********002X 已核实身份。"),
        // 承诺的日期不能已经过去（今天是2026年12月2日，星期三）
        Case(rule: .promisedDatesAhead, reply: "我局将于11月20日前完成维修。", fails: "“11月20日”"),
        Case(rule: .promisedDatesAhead, reply: "预计2026年11月1日完工。", fails: "“2026年11月1日”"),
        Case(rule: .promisedDatesAhead, reply: "本周一前完成更换。", fails: "“本周一”"),
        Case(rule: .promisedDatesAhead, reply: "争取2026-11-28完成。", fails: "“2026-11-28”"),
        Case(rule: .promisedDatesAhead, reply: "我局将于12月5日前完成维修。"),
        Case(rule: .promisedDatesAhead, reply: "我局计划下周一更换灯杆。"),
        Case(rule: .promisedDatesAhead, reply: "我局于11月20日到现场核实，路灯已修复。"),
        Case(rule: .promisedDatesAhead, reply: "11月20日前往现场查看。"),
        Case(rule: .promisedDatesAhead, reply: "预计2027年1月10日完工。"),
        // 投诉件说明是否已联系来电人
        Case(rule: .complaintContact, reply: "我局已修复路灯。", kind: .complaint, fails: "是否已联系来电人"),
        Case(rule: .complaintContact, reply: "已电话联系来电人，我局已修复路灯。", kind: .complaint),
        Case(rule: .complaintContact, reply: "多次致电未能联系上来电人，我局已修复路灯。", kind: .complaint),
        Case(rule: .complaintContact, reply: "我局已修复路灯。", kind: .help),
    ]

    @Test(arguments: cases) func eachStarterRule(_ c: Case) throws {
        let subject = ReplyReviewSubject(reply: c.reply, request: Self.request, kind: c.kind, unitName: c.unitName, now: Self.now)
        let results = ReplyReviewRules.default.check(subject) { TextSimilarity.cosine($0, $1) }
        let result = try #require(results.first { $0.id == c.rule })
        if let fragment = c.fails {
            #expect(!result.passed)
            #expect(result.message?.contains(fragment) == true, "\(result.message ?? "")")
        } else {
            #expect(result.passed, "\(result.message ?? "")")
            #expect(result.message == nil)
        }
    }

    @Test func everyRuleHasCasesThatPassAndFail() {
        for id in ReplyRuleID.allCases {
            #expect(Self.cases.contains { $0.rule == id && $0.fails == nil }, "\(id)")
            #expect(Self.cases.contains { $0.rule == id && $0.fails != nil }, "\(id)")
        }
    }

    @Test func defaultsBlockOnlyLeakedNumbersAndPastPromises() {
        let blocking = ReplyReviewRules.default.rules.filter { $0.enabled && $0.severity == .block }.map(\.id)
        #expect(blocking == [.noUnmaskedNumbers, .promisedDatesAhead])
        #expect(ReplyReviewRules.default.rules.map(\.id) == ReplyRuleID.allCases)
    }

    @Test func severityAndEnablingDecideWhatBlocks() {
        let subject = ReplyReviewSubject(reply: "已处理", request: Self.request, kind: .help, unitName: nil, now: Self.now)
        var rules = ReplyReviewRules([ReplyRule(id: .minimumLength, severity: .block, parameters: ["min_chars": "5"])])
        var results = rules.check(subject) { TextSimilarity.cosine($0, $1) }
        #expect(results.first { $0.id == .minimumLength }?.blocks == true)
        #expect(results.first { $0.id == .notStockPhrase }?.blocks == false)
        #expect(results.first { $0.id == .notStockPhrase }?.passed == false)
        rules = ReplyReviewRules([ReplyRule(id: .minimumLength, enabled: false, severity: .block)])
        results = rules.check(subject) { TextSimilarity.cosine($0, $1) }
        #expect(!results.contains { $0.id == .minimumLength })
    }

    @Test func parametersAreCheckedWithChineseMessages() {
        func refusal(_ id: ReplyRuleID, _ parameters: [String: String]) -> ReplyRuleError? {
            if case .failure(let e) = ReplyRule.validated(id: id, enabled: true, severity: .warn, parameters: parameters) { return e }
            return nil
        }
        #expect(refusal(.minimumLength, ["min_chars": "abc"]) == ReplyRuleError(field: "min_chars", message: "“最少字数”应为1到2000之间的整数"))
        #expect(refusal(.minimumLength, ["min_chars": "0"])?.field == "min_chars")
        #expect(refusal(.addressesRequest, ["min_similarity": "1.5"])?.message == "“最低相似度（0到1之间）”应为0到1之间的小数，如0.05")
        #expect(refusal(.notStockPhrase, ["phrases": " 、 "])?.message.contains("应有1到200个词语") == true)
        #expect(refusal(.minimumLength, ["max_chars": "3"])?.message == "规则“答复不少于规定字数”没有参数“max_chars”")
        #expect(refusal(.minimumLength, ["min_chars": " 30 "]) == nil)
        if case .success(let rule) = ReplyRule.validated(id: .notStockPhrase, enabled: true, severity: .block, parameters: ["phrases": "已处理,已阅，收到"]) {
            #expect(rule.parameters["phrases"] == "已处理、已阅、收到")
        } else {
            Issue.record("valid phrases refused")
        }
    }

    @Test func similarityIsCharacterPairCosine() {
        #expect(TextSimilarity.cosine("路灯不亮", "路灯不亮") > 0.999)
        #expect(TextSimilarity.cosine("路灯不亮", "噪音扰民") == 0)
        #expect(TextSimilarity.cosine("", "路灯") == 0)
    }
}

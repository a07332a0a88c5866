import Foundation
import HotlineDomain
import Testing

@Suite struct TimeLimitPolicyTests {
    @Test func defaultsFollowRequestKind() {
        let p = TimeLimitPolicy.defaults
        #expect(p.limit(for: .handling, kind: .consultation, categoryCode: nil, lanes: []) == .workingDays(3))
        #expect(p.limit(for: .handling, kind: .complaint, categoryCode: nil, lanes: []) == .workingDays(10))
        #expect(p.limit(for: .handling, kind: .suggestion, categoryCode: "01", lanes: []) == .workingDays(15))
        #expect(p.limit(for: .dispatch, kind: .help, categoryCode: nil, lanes: []) == .workingHours(2))
    }

    @Test func urgentLaneOutranksKind() {
        let p = TimeLimitPolicy.defaults
        #expect(p.limit(for: .handling, kind: .complaint, categoryCode: nil, lanes: [.urgentLivelihood]) == .clockHours(24))
        #expect(p.limit(for: .dispatch, kind: .complaint, categoryCode: nil, lanes: [.urgentLivelihood]) == .workingHours(1))
    }

    @Test func categoryRuleCoversItsSubtreeOnly() {
        var p = TimeLimitPolicy.defaults
        p.rules.append(TimeLimitRule(stage: .handling, categoryCode: "03.02", limit: .workingDays(7)))
        #expect(p.limit(for: .handling, kind: .complaint, categoryCode: "03.02.01", lanes: []) == .workingDays(7))
        #expect(p.limit(for: .handling, kind: .complaint, categoryCode: "03.020", lanes: []) == .workingDays(10))
    }

    @Test func limitsParseFromText() {
        #expect(TimeLimit("3d") == .workingDays(3))
        #expect(TimeLimit("2h") == .workingHours(2))
        #expect(TimeLimit("24ch") == .clockHours(24))
        #expect(TimeLimit("soon") == nil)
    }
}

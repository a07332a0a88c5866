import Foundation
import HotlineDomain
import Testing

/// 审核 and 回访 have time limits like every other stage: set when the order enters 待审核 / 待回访, the active
/// deadline there, overdue after it; orders that entered those stages before keep what they had.
@Suite struct StageDeadlineTests {
    typealias F = Fixtures

    @Test func aReplyGetsOneWorkingDayForReview() throws {
        let replied = try F.step(try F.handling(), .reply(text: "已更换灯泡。", attachments: []), by: F.eastStaff)
        // Monday 10:00 + 1 working day: the end of Tuesday.
        #expect(replied.deadlines.reviewBy == F.time("2025-03-04T23:59:59"))
        #expect(replied.activeDeadline == replied.deadlines.reviewBy)
        #expect(!replied.isOverdue(at: F.time("2025-03-04T18:00:00")))
        #expect(replied.isOverdue(at: F.time("2025-03-05T09:00:00")))
        #expect(replied.unitDeadline == nil, "review is the centre's clock, not the unit's")
    }

    @Test func passingReviewGivesTwoWorkingDaysForTheCallback() throws {
        let waiting = try F.awaitingCallback()
        #expect(waiting.deadlines.callbackBy == F.time("2025-03-05T23:59:59"))
        #expect(waiting.activeDeadline == waiting.deadlines.callbackBy)
        #expect(waiting.isOverdue(at: F.time("2025-03-06T09:00:00")))
        // An unanswered call keeps the clock running; it does not start again.
        let unanswered = try F.step(waiting, .recordCallback(.unreachable(note: "无人接听")), by: F.callbackAgent, at: F.time("2025-03-04T09:00:00"))
        #expect(unanswered.deadlines.callbackBy == waiting.deadlines.callbackBy)
    }

    @Test func reviewAndCallbackLimitsAreConfigurable() throws {
        var context = F.context
        context.limits.rules += [
            TimeLimitRule(stage: .review, kind: .complaint, limit: .workingHours(4)),
            TimeLimitRule(stage: .callback, limit: .clockHours(24)),
        ]
        let handling = try F.handling()
        let replied = try Lifecycle.apply(.reply(text: "已处理。", attachments: []), to: handling, by: F.eastStaff, at: F.monday, in: context).order
        #expect(replied.deadlines.reviewBy == F.time("2025-03-03T15:00:00"), "10:00 + 4 working hours, with the lunch break")
        let passed = try Lifecycle.apply(.passReview(note: nil), to: replied, by: F.reviewer, at: F.monday, in: context).order
        #expect(passed.deadlines.callbackBy == F.monday.addingTimeInterval(24 * 3600))
    }

    @Test func theUrgentLaneIsReviewedAndCalledBackSooner() {
        let p = TimeLimitPolicy.defaults
        #expect(p.limit(for: .review, kind: .help, categoryCode: nil, lanes: []) == .workingDays(1))
        #expect(p.limit(for: .review, kind: .help, categoryCode: nil, lanes: [.urgentLivelihood]) == .workingHours(4))
        #expect(p.limit(for: .callback, kind: .help, categoryCode: nil, lanes: []) == .workingDays(2))
        #expect(p.limit(for: .callback, kind: .help, categoryCode: nil, lanes: [.urgentLivelihood]) == .workingDays(1))
        // Stored rule lists from before these stages existed fall back to the same defaults.
        let old = TimeLimitPolicy(rules: [TimeLimitRule(stage: .handling, limit: .workingDays(5))])
        #expect(old.limit(for: .review, kind: .help, categoryCode: nil, lanes: []) == .workingDays(1))
        #expect(old.limit(for: .callback, kind: .help, categoryCode: nil, lanes: []) == .workingDays(2))
    }

    @Test func aRuleNamingTheKindBeatsOneForTheSameCategoryWhateverTheirOrder() {
        // A complaint about 01.02 takes the complaint rule for that category, even when the general rule for the
        // category was added after it; another kind takes the general one.
        let p = TimeLimitPolicy(rules: [
            TimeLimitRule(stage: .handling, limit: .workingDays(5)),
            TimeLimitRule(stage: .handling, kind: .complaint, categoryCode: "01.02", limit: .workingDays(10)),
            TimeLimitRule(stage: .handling, categoryCode: "01.02", limit: .workingDays(3)),
        ])
        #expect(p.limit(for: .handling, kind: .complaint, categoryCode: "01.02", lanes: []) == .workingDays(10))
        #expect(p.limit(for: .handling, kind: .help, categoryCode: "01.02", lanes: []) == .workingDays(3))
        #expect(p.limit(for: .handling, kind: .complaint, categoryCode: "02.01", lanes: []) == .workingDays(5))
    }

    @Test func anOrderThatEnteredReviewBeforeTheLimitsKeepsNoDeadline() throws {
        var replied = try F.step(try F.handling(), .reply(text: "已更换灯泡。", attachments: []), by: F.eastStaff)
        replied.deadlines.reviewBy = nil
        #expect(replied.activeDeadline == nil)
        #expect(!replied.isOverdue(at: F.time("2026-01-01T00:00:00")))
        // Stored JSON without the new fields decodes as such an order.
        let old = try JSONDecoder().decode(Deadlines.self, from: Data("{\"replyBy\":0}".utf8))
        #expect(old.reviewBy == nil && old.callbackBy == nil && old.replyBy == Date(timeIntervalSinceReferenceDate: 0))
    }

    @Test func aMergedOrderTakingTheAnswerGetsItsOwnCallbackDeadline() throws {
        let target = try F.handling()
        let source = try Intake.open(
            F.draft(), number: OrderNumber(day: CivilDay(containing: F.monday), sequence: 2), earlier: nil, by: F.agent, at: F.monday, in: F.context
        ).order
        let (mergedSource, mergedTarget) = try Lifecycle.merge(source, into: target, by: F.dispatcher, at: F.monday, note: "同一路灯")
        let replied = try F.step(mergedTarget.order, .reply(text: "已更换灯泡。", attachments: []), by: F.eastStaff)
        let passed = try Lifecycle.apply(.passReview(note: nil), to: replied, by: F.reviewer, at: F.monday, in: F.context)
        let carried = Lifecycle.carryAnswer(of: passed, to: [mergedSource.order], by: F.reviewer, at: F.monday, in: F.context)
        #expect(carried.first?.order.status == .awaitingCallback)
        #expect(carried.first?.order.deadlines.callbackBy == F.time("2025-03-05T23:59:59"))
    }

    @Test func stagesAndLimitsReadInChinese() {
        #expect(TimeLimitStage.review.chineseName == "审核" && TimeLimitStage.callback.chineseName == "回访")
        #expect(TimeLimit.workingDays(3).chineseText == "3 个工作日")
        #expect(TimeLimit.workingHours(4).chineseText == "4 个工作小时")
        #expect(TimeLimit.clockHours(24).chineseText == "24 个自然小时")
        #expect(TimeLimit(count: 3, unit: .workingDays) == .workingDays(3))
        #expect(TimeLimit(count: 0, unit: .workingDays) == nil)
        #expect(TimeLimit(count: 251, unit: .workingDays) == nil)
        #expect(TimeLimit(count: 8760, unit: .clockHours) == .clockHours(8760))
    }
}

/// 事项分类: codes stay when a category moves, so the tree is read by parent links; retired categories take no new orders.
@Suite struct CategoryHierarchyTests {
    typealias F = Fixtures

    /// 01 城乡建设 › 01.01 市政设施 › 01.01.01 路灯, and 02; 01.01.01 moved under 02.
    static let moved = CategoryHierarchy([
        CategoryNode(code: "01", name: "城乡建设", parentCode: nil), CategoryNode(code: "01.01", name: "市政设施", parentCode: "01"),
        CategoryNode(code: "01.01.01", name: "路灯", parentCode: "02", level: 2), CategoryNode(code: "02", name: "公共设施", parentCode: nil),
    ])

    @Test func aMovedCategoryBelongsToItsNewParent() {
        let tree = Self.moved
        #expect(tree.lineage(of: "01.01.01") == ["01.01.01", "02"])
        #expect(tree.isWithin("01.01.01", "02") && !tree.isWithin("01.01.01", "01"))
        #expect(tree.subtree(of: "02") == ["02", "01.01.01"])
        #expect(tree.subtree(of: "01") == ["01", "01.01"])
        #expect(tree.wouldCycle("02", newParent: "01.01.01") && !tree.wouldCycle("01.01.01", newParent: "01.01"))
        #expect(tree.height(of: "02") == 2 && tree.height(of: "01.01.01") == 1)
        // Codes the tree does not know are read by their dots.
        #expect(tree.lineage(of: "05.01.02") == ["05.01.02", "05.01", "05"])
    }

    @Test func aTimeLimitRuleFollowsTheCategoryToItsNewParent() {
        var p = TimeLimitPolicy.defaults
        p.rules.append(TimeLimitRule(stage: .handling, categoryCode: "02", limit: .workingDays(2)))
        p.rules.append(TimeLimitRule(stage: .handling, categoryCode: "01", limit: .workingDays(8)))
        #expect(p.limit(for: .handling, kind: .help, categoryCode: "01.01.01", lanes: [], categories: Self.moved) == .workingDays(2))
        #expect(p.limit(for: .handling, kind: .help, categoryCode: "01.01", lanes: [], categories: Self.moved) == .workingDays(8))
        // Without the tree the code's dots decide, as before.
        #expect(p.limit(for: .handling, kind: .help, categoryCode: "01.01.01", lanes: []) == .workingDays(8))
    }

    @Test func aRetiredCategoryIsRefusedAtIntakeAndReclassification() throws {
        var context = F.context
        context.categoryTree = CategoryHierarchy([
            CategoryNode(code: "01", name: "城乡建设", parentCode: nil), CategoryNode(code: "01.01", name: "市政设施", parentCode: "01", retired: true),
            CategoryNode(code: "01.01.01", name: "路灯", parentCode: "01.01"), CategoryNode(code: "02", name: "公共设施", parentCode: nil),
        ])
        #expect(throws: LifecycleError.invalid(field: "category_code", message: "该事项分类已停用，请改选其他分类")) {
            try Intake.open(F.draft(), number: OrderNumber(day: CivilDay(containing: F.monday), sequence: 1), earlier: nil, by: F.agent, at: F.monday,
                            in: context)
        }
        // An order that already carries it goes on; it cannot be reclassified into it.
        let order = try F.opened()
        #expect(order.categoryCode == "01.01")
        let moved = try Lifecycle.apply(.reclassify(categoryCode: "02", reason: "分错了"), to: order, by: F.agent, at: F.monday, in: context).order
        #expect(moved.categoryCode == "02")
        #expect(throws: LifecycleError.invalid(field: "category_code", message: "该事项分类已停用，请改选其他分类")) {
            try Lifecycle.apply(.reclassify(categoryCode: "01.01", reason: "改回"), to: moved, by: F.agent, at: F.monday, in: context)
        }
    }
}

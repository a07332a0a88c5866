import Foundation

/// The sweeper's rule (时限预警与亮牌规则): when a running clock raises a warning (预警), whether an overdue order is urged
/// (催办) and carded (黄牌) by itself, and how many yellow cards of one unit in a calendar month make a red card (红牌).
/// Defaults after Guangzhou practice: warn at 80% of the stage's time, urge and yellow-card the unit on overdue, three
/// yellow cards in a month make a red one.
public struct SLARule: Sendable, Equatable, Codable {
    /// The share of the stage's working time after which the warning is raised, in percent (1–99).
    public var warnPercent: Int
    /// 超期自动催办: an overdue unit stage (sign, handling) urges the unit.
    public var urgeWhenOverdue: Bool
    /// 超期亮黄牌: a unit overdue on an order's reply gets a yellow card.
    public var yellowCardWhenOverdue: Bool
    /// Yellow cards of one unit in one calendar month that make a red card; 0 turns red cards off.
    public var yellowCardsForRed: Int

    public init(warnPercent: Int = 80, urgeWhenOverdue: Bool = true, yellowCardWhenOverdue: Bool = true, yellowCardsForRed: Int = 3) {
        self.warnPercent = warnPercent
        self.urgeWhenOverdue = urgeWhenOverdue
        self.yellowCardWhenOverdue = yellowCardWhenOverdue
        self.yellowCardsForRed = yellowCardsForRed
    }

    public static let `default` = SLARule()

    /// The rule if every part is in range, else the field at fault with a plain-Chinese message.
    public func validated() throws(LifecycleError) -> SLARule {
        guard (1...99).contains(warnPercent) else { throw .invalid(field: "warn_percent", message: "预警比例应为1到99之间的整数") }
        guard (0...31).contains(yellowCardsForRed) else { throw .invalid(field: "yellow_cards_for_red", message: "红牌所需黄牌数应为0到31之间的整数") }
        return self
    }

    /// The rule as it is named in an event's details (`rule`), e.g. `warn_80`.
    func name(_ mark: SLAMark) -> String {
        switch mark {
        case .warning: "warn_\(warnPercent)"
        case .overdue: "deadline"
        case .urge: "urge_on_overdue"
        case .yellowCard: "yellow_on_overdue"
        case .redCard: "red_after_\(yellowCardsForRed)_yellow"
        }
    }
}

/// What the sweeper records about one running clock; each at most once per stage round.
public enum SLAMark: String, Sendable, Codable, CaseIterable {
    case warning, overdue, urge, yellowCard = "yellow_card", redCard = "red_card"
}

/// One running clock of an order (时限): the stage, when it started, its deadline and the unit it runs against (the
/// lead unit for signing and handling; nil for the centre's dispatch, review and callback).
public struct SLAClock: Sendable, Equatable {
    public var stage: TimeLimitStage
    public var startedAt: Date
    public var deadline: Date
    public var unit: UnitID?

    public init(stage: TimeLimitStage, startedAt: Date, deadline: Date, unit: UnitID?) {
        self.stage = stage
        self.startedAt = startedAt
        self.deadline = deadline
        self.unit = unit
    }

    /// Identifies the stage round: a new deadline (re-dispatch, extension, a new review) is a new round.
    public var round: Int64 { Int64(deadline.timeIntervalSince1970.rounded(.down)) }

    /// When `percent`% of the stage's time is used, counted in working time as the deadlines are; clock time for a
    /// stage with no working time in it (a clock-hour limit over a holiday).
    public func warnAt(percent: Int, calendar: WorkingCalendar) -> Date {
        let total = calendar.workingSeconds(from: startedAt, to: deadline)
        if total > 0 { return calendar.deadline(from: startedAt, workingSeconds: total * percent / 100) }
        return startedAt.addingTimeInterval(deadline.timeIntervalSince(startedAt) * Double(percent) / 100)
    }
}

/// The sweeper's decisions (时限监控): which clocks an order has running, which marks are due, and the events that record
/// them. Pure: the caller supplies the time, the calendar, the marks already made and the unit's yellow cards this month.
public enum SLASweep {
    /// The clocks running on `order`. `enteredStatusAt` is when the order entered its current status (from its log):
    /// the start of the dispatch and callback clocks.
    public static func clocks(of order: WorkOrder, enteredStatusAt: Date?) -> [SLAClock] {
        let entered = enteredStatusAt ?? order.timeline.updatedAt
        let d = order.deadlines
        switch order.status {
        case .pendingDispatch, .returned:
            return d.dispatchBy.map { [SLAClock(stage: .dispatch, startedAt: entered, deadline: $0, unit: nil)] } ?? []
        case .dispatched, .handling:
            let start = order.timeline.dispatchedAt ?? entered
            var clocks: [SLAClock] = []
            if order.status == .dispatched, let sign = d.signBy {
                clocks.append(SLAClock(stage: .sign, startedAt: start, deadline: sign, unit: order.leadUnit))
            }
            if let reply = d.replyBy { clocks.append(SLAClock(stage: .handling, startedAt: start, deadline: reply, unit: order.leadUnit)) }
            return clocks
        case .replied:
            return d.reviewBy.map { [SLAClock(stage: .review, startedAt: order.timeline.repliedAt ?? entered, deadline: $0, unit: nil)] } ?? []
        case .awaitingCallback:
            return d.callbackBy.map { [SLAClock(stage: .callback, startedAt: entered, deadline: $0, unit: nil)] } ?? []
        case .unitReview, .rejected, .callbackDisputed, .closed, .archived, .merged:
            return []
        }
    }

    /// A mark due on a clock.
    public struct Due: Sendable, Equatable {
        public var clock: SLAClock
        public var mark: SLAMark

        public init(clock: SLAClock, mark: SLAMark) {
            self.clock = clock
            self.mark = mark
        }
    }

    /// The marks due at `now` that `done` (stage, round, mark) does not hold yet. A clock first seen after its deadline
    /// is marked overdue without a warning. Red cards are decided by ``redCardDue(yellowsThisMonth:rule:)``.
    public static func due(
        _ clocks: [SLAClock], at now: Date, rule: SLARule, calendar: WorkingCalendar, done: Set<MarkKey>
    ) -> [Due] {
        var due: [Due] = []
        for clock in clocks {
            func add(_ mark: SLAMark) {
                if !done.contains(MarkKey(stage: clock.stage, round: clock.round, mark: mark)) { due.append(Due(clock: clock, mark: mark)) }
            }
            if now > clock.deadline {
                add(.overdue)
                if clock.unit != nil && rule.urgeWhenOverdue { add(.urge) }
                if clock.unit != nil && clock.stage == .handling && rule.yellowCardWhenOverdue { add(.yellowCard) }
            } else if now >= clock.warnAt(percent: rule.warnPercent, calendar: calendar) {
                add(.warning)
            }
        }
        return due
    }

    /// When the sweeper next has something to do for these clocks (a warning or a deadline still ahead), or nil.
    public static func nextCheck(_ clocks: [SLAClock], after now: Date, rule: SLARule, calendar: WorkingCalendar) -> Date? {
        clocks.flatMap { [$0.warnAt(percent: rule.warnPercent, calendar: calendar), $0.deadline.addingTimeInterval(1)] }
            .filter { $0 > now }.min()
    }

    /// A mark's identity for exactly-once: the stage, its round (deadline) and the mark.
    public struct MarkKey: Sendable, Hashable {
        public var stage: TimeLimitStage
        public var round: Int64
        public var mark: SLAMark

        public init(stage: TimeLimitStage, round: Int64, mark: SLAMark) {
            self.stage = stage
            self.round = round
            self.mark = mark
        }
    }

    /// Whether the unit's `yellowsThisMonth`-th yellow card this calendar month (counting the one just issued) makes a
    /// red card: every `yellowCardsForRed`-th one does.
    public static func redCardDue(yellowsThisMonth: Int, rule: SLARule) -> Bool {
        rule.yellowCardsForRed > 0 && yellowsThisMonth > 0 && yellowsThisMonth % rule.yellowCardsForRed == 0
    }

    /// The events recording `marks` on `order`, by the system actor, each naming the rule that fired; an urge and a card
    /// go through the same steps as a supervisor's, so they count on the order and notify the unit alike.
    public static func record(
        _ marks: [Due], on order: WorkOrder, at now: Date, rule: SLARule, calendar: WorkingCalendar, yellowsThisMonth: Int? = nil
    ) throws(LifecycleError) -> Outcome {
        var step = Step(order: order, actor: .system, now: now, action: .urge, context: nil)
        for due in marks {
            let c = due.clock
            var details = [
                "stage": c.stage.rawValue, "deadline": c.deadline.chinaISO8601, "rule": rule.name(due.mark),
            ]
            if let unit = c.unit { details["unit"] = unit }
            switch due.mark {
            case .warning:
                details["warn_percent"] = String(rule.warnPercent)
                step.move(to: step.order.status, .slaWarning, details: details)
            case .overdue:
                step.move(to: step.order.status, .overdueMarked, details: details)
            case .urge:
                try step.urge(note: "\(c.stage.chineseName)已超期（期限 \(c.deadline.chinaShort)），系统自动催办")
                step.events[step.events.count - 1].details.merge(details) { current, _ in current }
            case .yellowCard:
                try step.issueCard(.yellow, reason: "\(c.stage.chineseName)超期（期限 \(c.deadline.chinaShort)），系统按规则亮黄牌")
                step.events[step.events.count - 1].details.merge(details) { current, _ in current }
            case .redCard:
                let n = yellowsThisMonth.map(String.init) ?? String(rule.yellowCardsForRed)
                try step.issueCard(.red, reason: "本单位本月已累计\(n)张黄牌，系统按规则亮红牌")
                details["yellow_cards_this_month"] = n
                step.events[step.events.count - 1].details.merge(details) { current, _ in current }
            }
        }
        return step.outcome
    }
}

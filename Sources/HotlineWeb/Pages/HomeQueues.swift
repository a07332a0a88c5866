import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage

/// Which queues each role works from, and how many orders (or entries) each holds now, within the role's
/// data scope.
struct HomeQueues: Sendable {
    let services: HotlineServices
    let desk: WorkOrderDesk

    struct Spec {
        var label: String
        var hint: String
        var filter: OrderFilter
        var urgent: Bool = false
        var dueSoon: Bool = false
    }

    static func filter(_ statuses: [WorkOrderStatus], overdue: Bool? = nil, marked mark: WritableKeyPath<OrderFilter, Bool>? = nil) -> OrderFilter {
        var f = OrderFilter()
        f.statuses = statuses
        f.overdue = overdue
        if let mark { f[keyPath: mark] = true }
        return f
    }

    /// 延期待审批: for the roles that approve or deny extensions (`Action.approveExtension`).
    static let extensionApprovals = Spec(label: "延期待审批", hint: "承办单位申请延期、等待审批", filter: filter([.handling], marked: \.extensionPending),
                                         urgent: true)
    /// 超期在办: one definition with the supervision board's tile and its per-unit rows (`OrderFilter.overdueAtUnits`).
    static let overdueAtUnits = Spec(label: "超期在办", hint: "超过签收或办理时限、仍在承办单位", filter: .overdueAtUnits, urgent: true)

    /// 协调督办: escalated orders still open that no joint consultation (会商) has decided; one definition with the
    /// supervision board's section (`OrderFilter.coordination`).
    static let coordination = Spec(label: "协调督办", hint: "已提级督办、等待会商的工单", filter: .coordination, urgent: true)
    /// 督办关注: orders a callback rule flagged (low score, unsatisfied complaint) that no supervisor has acted on yet, in
    /// any status (a low score may close the order); one definition with the supervision board's tile.
    static let supervisionFlagged = Spec(label: "督办关注", hint: "回访低分或投诉不满意、待督办员研判", filter: filter([], marked: \.supervisionFlagged),
                                         urgent: true)

    /// 待单位审核: staff replies waiting for one of the unit's admins (单位领导审核); the links' (unit, status) index counts it.
    static let unitReview = Spec(label: "待单位审核", hint: "本单位经办人已答复、等待单位管理员审核", filter: filter([.unitReview]), urgent: true)

    /// The queues of `role`, in the order the role works them.
    static func specs(for role: Role) -> [Spec] {
        let approves = Action.approveExtension.allowedRoles.contains(role) && Action.denyExtension.allowedRoles.contains(role)
        return roleSpecs(role) + (approves ? [extensionApprovals] : [])
    }

    static func roleSpecs(_ role: Role) -> [Spec] {
        switch role {
        case .agent:
            [Spec(label: "待派单", hint: "已受理、等待派单员派发", filter: filter([.pendingDispatch])),
             Spec(label: "待回访", hint: "答复已审核、等待回访", filter: filter([.awaitingCallback]))]
        case .dispatcher:
            [Spec(label: "待派单", hint: "受理后等待派发的工单", filter: filter([.pendingDispatch])),
             Spec(label: "超时未派", hint: "已超过派单时限", filter: filter([.pendingDispatch], overdue: true), urgent: true),
             Spec(label: "退单待改派", hint: "承办单位退回、需要改派", filter: filter([.returned]), urgent: true),
             Spec(label: "回访不满意待研判", hint: "决定重办或不满意办结", filter: filter([.callbackDisputed]), urgent: true),
             coordination]
        case .unitStaff, .unitAdmin:
            [Spec(label: "待签收", hint: "已派到本单位、等待签收", filter: filter([.dispatched])),
             Spec(label: "办理中", hint: "已签收、正在办理", filter: filter([.handling])),
             unitReview,
             Spec(label: "审核退回", hint: "答复被中心审核退回、需重新答复", filter: filter([.handling], marked: \.sentBack), urgent: true),
             Spec(label: "重办", hint: "回访后中心要求重新办理", filter: filter([.dispatched, .handling], marked: \.redone), urgent: true),
             Spec(label: "被催办", hint: "督办员催办过的在办工单", filter: filter([.dispatched, .handling], marked: \.urged), urgent: true),
             Spec(label: "被亮牌", hint: "被亮黄牌或红牌的在办工单", filter: filter([.dispatched, .handling], marked: \.carded), urgent: true),
             Spec(label: "即将超期", hint: "下一个工作日结束前到期", filter: filter([.dispatched, .handling]), urgent: true, dueSoon: true),
             Spec(label: "已超期", hint: "超过签收或办理时限", filter: filter([.dispatched, .handling], overdue: true), urgent: true),
             Spec(label: "待审核", hint: "本单位已答复、等待中心审核", filter: filter([.replied]))]
        case .reviewer:
            [Spec(label: "待审核", hint: "承办单位已答复", filter: filter([.replied])),
             Spec(label: "审核超期", hint: "超过审核时限", filter: filter([.replied], overdue: true), urgent: true)]
        case .callbackAgent:
            [Spec(label: "待回访", hint: "审核通过、等待回访市民", filter: filter([.awaitingCallback])),
             Spec(label: "回访超期", hint: "超过回访时限", filter: filter([.awaitingCallback], overdue: true), urgent: true)]
        case .supervisor:
            [overdueAtUnits,
             coordination,
             supervisionFlagged,
             Spec(label: "回访不满意待研判", hint: "决定重办或不满意办结", filter: filter([.callbackDisputed]), urgent: true),
             Spec(label: "退单待改派", hint: "承办单位退回的工单", filter: filter([.returned])),
             Spec(label: "办理中", hint: "各单位正在办理", filter: filter([.handling]))]
        case .manager:
            [Spec(label: "办理中", hint: "全市正在办理的工单", filter: filter([.dispatched, .handling])),
             overdueAtUnits,
             Spec(label: "已办结", hint: "回访后办结", filter: filter([.closed]))]
        case .qualityInspector:
            [Spec(label: "已办结待抽检", hint: "已办结、尚未归档", filter: filter([.closed]))]
        case .admin:
            [Spec(label: "超期工单", hint: "超过当前时限", filter: filter([], overdue: true), urgent: true)]
        case .knowledgeEditor, .citizen, .system:
            []
        }
    }

    /// The queues of `user` with the filter each one's list uses: a unit's queues are its own inbox (its subtree's units
    /// have theirs), which the links' index answers at once, so the list they open names the unit too.
    static func queues(for user: UserAccount) -> [Spec] {
        specs(for: user.role).map { spec in
            var spec = spec
            if user.role.isUnitRole { spec.filter.unit = user.unitID }
            return spec
        }
    }

    func tiles(for user: UserAccount, now: Date) async throws -> [QueueTile] {
        var tiles: [QueueTile] = []
        let calendar = services.reference.context.calendar
        for spec in Self.queues(for: user) {
            var filter = spec.filter
            if spec.dueSoon { filter.dueBefore = OrderQuery.dueSoonLimit(now: now, calendar: calendar) }
            // The count is the total of the very list the tile opens (same filter, same query).
            let page = try await desk.list(filter, page: .totalOnly, for: user.actor, now: now)
            // A unit that does not review its own replies has no 待单位审核 tile unless orders still wait from before.
            if spec.label == Self.unitReview.label, page.total == 0,
               !(user.unitID.map { services.reference.context.leaderReviewUnits.contains($0) } ?? false) { continue }
            tiles.append(QueueTile(label: spec.label, count: page.totalIsExact ? String(page.total) : "\(page.total)+", hint: spec.hint,
                                   urgent: spec.urgent && page.total > 0, href: WebRoutes.orders(spec.filter, dueSoon: spec.dueSoon)))
        }
        if user.role == .knowledgeEditor || user.role == .admin {
            let review = try await services.knowledge.store.count(status: .inReview)
            let drafts = try await services.knowledge.store.count(status: .draft)
            // Each opens its list, whose heading is the tile's name (KnowledgeListPage.heading).
            tiles.append(QueueTile(label: "知识待审核", count: String(review), hint: "其他编辑提交、等待审核发布", urgent: false,
                                   href: WebRoutes.knowledgeList(status: .inReview)))
            tiles.append(QueueTile(label: "知识草稿", count: String(drafts), hint: "尚未提交审核", urgent: false, href: WebRoutes.knowledgeList(status: .draft)))
        }
        return tiles
    }
}

extension QueueTile {
    init(label: String, hint: String, count: String, urgent: Bool) {
        self.init(label: label, count: count, hint: hint, urgent: urgent)
    }
}

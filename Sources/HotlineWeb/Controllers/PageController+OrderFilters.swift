import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// The order list's search and filter form (筛选) and its CSV export (导出).
extension PageController {
    /// The form with the list's current values; units only within the user's data scope.
    func filterForm(_ query: OrderQuery, for user: UserAccount) -> OrderListPage.Filters {
        let f = query.filter
        let ref = services.reference
        func options(_ pairs: [(String, String)], selected: String?) -> [PageOption] {
            [PageOption(value: "", label: "全部", selected: selected == nil)] + PageOption.list(pairs, selected: selected)
        }
        let statusValue = f.statuses.isEmpty ? nil : f.statuses.map(\.rawValue).joined(separator: ",")
        var statusPairs = WorkOrderStatus.allCases.map { ($0.rawValue, $0.chineseName) }
        // A queue of several states (待签收 and 办理中 together) is one more choice, so the form shows what the list holds.
        if f.statuses.count > 1, let value = statusValue { statusPairs.insert((value, f.statuses.map(\.chineseName).joined(separator: "、")), at: 0) }
        // Two levels keep the form light (a category takes its subtree in); a deeper one chosen elsewhere is kept.
        let categoryPairs = IntakePage.categories(ref.categories)
            .filter { $0.value.split(separator: ".").count <= 2 || $0.value == f.categoryCode }.map { ($0.value, $0.label) }
        var hidden: [OrderListPage.Filters.Hidden] = []
        if let lead = f.leadUnit { hidden.append(.init(name: "lead_unit", value: lead)) }
        if let phone = f.callerPhone { hidden.append(.init(name: "phone", value: phone)) }
        if f.awaitsCoordination { hidden.append(.init(name: "escalated", value: "pending")) }
        if query.page.sort != .newest { hidden.append(.init(name: "sort", value: query.page.sort.rawValue)) }
        return OrderListPage.Filters(
            q: f.text ?? "",
            statuses: options(statusPairs, selected: statusValue),
            units: options(unitChoices(for: user.actor), selected: f.unit),
            categories: options(categoryPairs, selected: f.categoryCode),
            kinds: options(RequestKind.allCases.map { ($0.rawValue, $0.chineseName) }, selected: f.kind?.rawValue),
            channels: options(Channel.allCases.map { ($0.rawValue, $0.chineseName) }, selected: f.channel?.rawValue),
            lanes: options(Lane.allCases.map { ($0.rawValue, $0.chineseName) }, selected: f.lane?.rawValue),
            overdue: [PageOption(value: "", label: "不限", selected: f.overdue == nil), PageOption(value: "true", label: "已超期", selected: f.overdue == true),
                      PageOption(value: "false", label: "未超期", selected: f.overdue == false)],
            dueSoon: query.dueSoon,
            from: f.createdFrom.map { WebRoutes.dateParameter($0, inclusiveEnd: false) } ?? "",
            to: f.createdTo.map { WebRoutes.dateParameter($0, inclusiveEnd: true) } ?? "",
            marks: [("extension_pending", "延期待审批", f.extensionPending), ("sent_back", "审核退回", f.sentBack), ("redone", "重办", f.redone),
                    ("urged", "已催办", f.urged), ("carded", "已亮牌", f.carded),
                    ("supervision_flagged", "督办关注", f.supervisionFlagged)].map { .init(name: $0.0, label: $0.1, checked: $0.2) },
            hidden: hidden, clear: WebRoutes.orders,
            active: f != OrderFilter() || query.dueSoon)
    }

    /// The units a user may filter by: every unit for the centre, the user's own subtree for a unit; in tree order,
    /// each below its parent.
    func unitChoices(for actor: Actor) -> [(String, String)] {
        let ref = services.reference
        let parents = ref.context.units.parents
        let names = ref.names.units
        var children: [UnitID?: [UnitID]] = [:]
        for (unit, parent) in parents { children[parent, default: []].append(unit) }
        let roots: [UnitID]
        switch actor.scope {
        case .all: roots = children[nil] ?? []
        case .subtree(let root): roots = [root]
        case .none: roots = []
        }
        var pairs: [(String, String)] = []
        func visit(_ unit: UnitID, depth: Int) {
            pairs.append((unit, String(repeating: "　", count: depth) + (names[unit] ?? unit)))
            for child in (children[unit] ?? []).sorted() { visit(child, depth: depth + 1) }
        }
        for root in roots.sorted() { visit(root, depth: 0) }
        return pairs
    }

    /// 导出 CSV: exactly the list the query gives, through the export use case (its capability check and audit line).
    func exportList(_ s: Signed, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let query = try Self.listQuery(request.uri.queryParameters)
        return try await PrivacyController.csvResponse(query, desk: desk, by: s.user, client: auth.clients.of(request, context), at: clock())
    }

    /// A list's query; a refusal (only reachable by editing the address) names the field as the form labels it.
    static func listQuery(_ parameters: Parameters) throws -> OrderQuery {
        do {
            return try OrderQuery(parameters)
        } catch {
            let e = APIError.from(error)
            throw APIError(e.status, code: e.code, message: FieldLabels.message(e), field: e.field)
        }
    }
}

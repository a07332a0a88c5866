import Foundation
import HotlineDomain
import HotlineStorage

/// Revealing a caller's full contact data and exporting order lists (查看完整号码, 导出): both explicit, both audited,
/// both bound by the same data scope and masking as the screens.
extension WorkOrderDesk {
    /// Most rows one export may hold.
    public static let exportLimit = 10_000

    /// The full phone or ID number of an order's caller, for someone whose role needs it and whose scope covers the
    /// order; every attempt, granted or refused, is an audit line.
    public func reveal(_ field: ContactPrivacy.Field, of number: OrderNumber, reason: String?, by user: UserAccount, client: String, at now: Date)
        async throws -> String
    {
        guard Capability.revealContact.isAllowed(for: user.role) else { throw AppError.lacks(.revealContact, role: user.role) }
        guard let (order, _) = try await order(number, for: user.actor) else { throw AppError.notFound(what: "工单 \(number) ") }
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard reason.count <= 200 else { throw AppError.invalid(field: "reason", message: "不能超过200字") }
        switch ContactPrivacy.reveal(field, of: order.caller, to: user.actor) {
        case .success(let value):
            try await audit?.record(AuditEntry(at: now, actor: user.actor, action: .reveal, target: "order:\(number)",
                                               detail: "field=\(field.rawValue) reason=\(reason)", client: client))
            return value
        case .failure(let refusal):
            try await audit?.record(AuditEntry(at: now, actor: user.actor, action: .reveal, target: "order:\(number)", outcome: "failure",
                                               detail: "field=\(field.rawValue) refused=\(refusal)", client: client))
            switch refusal {
            case .roleHasNoNeed: throw AppError.lacks(.revealContact, role: user.role)
            case .confidential: throw AppError.forbidden(code: "confidential", message: "来电人要求保密，承办单位不能查看其身份信息", field: nil)
            case .nothingToReveal: throw AppError.notFound(what: "该工单的\(field == .phone ? "电话" : "证件号码")")
            }
        }
    }

    /// The orders a list filter matches, within the user's scope, at most ``exportLimit``, for a spreadsheet; the
    /// export is an audit line naming the filter (a caller's phone masked).
    public func export(_ filter: OrderFilter, sort: OrderSort, by user: UserAccount, client: String, at now: Date) async throws -> [OrderSummary] {
        guard Capability.exportOrders.isAllowed(for: user.role) else { throw AppError.lacks(.exportOrders, role: user.role) }
        var rows: [OrderSummary] = []
        var page = PageRequest(page: 1, size: PageRequest.maximumSize, sort: sort, countsTotal: false)
        while rows.count < Self.exportLimit {
            let items = try await list(filter, page: page, for: user.actor, now: now).items
            rows += items.prefix(Self.exportLimit - rows.count)
            if items.count < page.size { break }
            page.page += 1
        }
        try await audit?.record(AuditEntry(at: now, actor: user.actor, action: .export, target: "orders",
                                           detail: "rows=\(rows.count) " + filter.auditDescription, client: client))
        return rows
    }
}

extension OrderFilter {
    /// The filter as an audit line shows it: `status=dispatched phone=139****5678 …`, a caller's phone masked.
    var auditDescription: String {
        var parts: [String] = []
        if !statuses.isEmpty { parts.append("status=" + statuses.map(\.rawValue).joined(separator: ",")) }
        if let unit { parts.append("unit=\(unit)") }
        if let categoryCode { parts.append("category=\(categoryCode)") }
        if let kind { parts.append("kind=\(kind.rawValue)") }
        if let channel { parts.append("channel=\(channel.rawValue)") }
        if let overdue { parts.append("overdue=\(overdue)") }
        if let dueBefore { parts.append("due_before=\(dueBefore.chinaISO8601)") }
        if let createdFrom { parts.append("from=\(createdFrom.chinaISO8601)") }
        if let createdTo { parts.append("to=\(createdTo.chinaISO8601)") }
        if let text { parts.append("q=\(text)") }
        if let callerPhone { parts.append("phone=" + ContactPrivacy.maskPhone(callerPhone)) }
        if let leadUnit { parts.append("lead_unit=\(leadUnit)") }
        if let lane { parts.append("lane=\(lane.rawValue)") }
        for (flag, name) in [(extensionPending, "extension_pending"), (sentBack, "sent_back"), (redone, "redone"), (urged, "urged"), (carded, "carded")]
        where flag {
            parts.append("\(name)=true")
        }
        if awaitsCoordination { parts.append("escalated=pending") }
        return parts.joined(separator: " ")
    }
}

import Foundation
import HotlineDomain
import HotlineStorage
import Hummingbird

/// The audit log view (审计日志) for administrators: filter by actor, action, target and time.
struct AuditController: Sendable {
    let audit: AuditLog
    let actors: ActorResolver

    struct EntryView: Encodable {
        var id: Int64?
        var at: Date
        var actorId: String?
        var actorRole: Role?
        var actorUnit: String?
        var action: AuditAction
        var actionName: String
        var target: String?
        var outcome: String
        var detail: String
        var client: String?
    }

    func register(on router: Router<AppRequestContext>) {
        let adminRoutes = router.scoped(.admin, by: actors)
        adminRoutes.get(RouterPath(APIRoutes.audit)) { request, context in
            _ = try context.require(.viewAudit)
            let params = request.uri.queryParameters
            func value(_ key: String) -> String? { params.get(key).flatMap { $0.isEmpty ? nil : $0 } }
            var filter = AuditFilter()
            filter.actorID = value("actor")
            if let a = value("action") {
                guard let action = AuditAction(rawValue: a) else { throw APIError.invalid("action", "未知取值 \(a)") }
                filter.action = action
            }
            filter.target = value("target")
            if let f = value("from") {
                guard let d = ISOTime.parse(f) else { throw APIError.invalid("from", "应为ISO 8601时间") }
                filter.from = d
            }
            if let t = value("to") {
                guard let d = ISOTime.parse(t) else { throw APIError.invalid("to", "应为ISO 8601时间") }
                filter.to = d
            }
            let page = try Paging(params)
            let entries = try await audit.list(filter, page: page.page, size: page.size)
            return try APIJSON.response(["items": entries.map {
                EntryView(id: $0.id, at: $0.at, actorId: $0.actorID, actorRole: $0.actorRole, actorUnit: $0.actorUnit, action: $0.action,
                          actionName: $0.action.chineseName, target: $0.target, outcome: $0.outcome, detail: $0.detail, client: $0.client)
            }])
        }
    }
}

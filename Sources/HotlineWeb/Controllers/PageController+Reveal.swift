import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// 查看完整号码 on the order page: the same audited use case as `POST /api/v1/orders/{n}/reveal`; the full number
/// is shown on the response page only, never stored.
extension PageController {
    /// The reveal form, for a role that may reveal contact data and a caller not hidden from it (``ContactPrivacy``).
    static func revealForm(_ order: WorkOrder, for actor: Actor) -> OrderDetailPage.RevealForm? {
        guard case .success = ContactPrivacy.reveal(.phone, of: order.caller, to: actor) else { return nil }
        let hasID = if case .success = ContactPrivacy.reveal(.idNumber, of: order.caller, to: actor) { true } else { false }
        return OrderDetailPage.RevealForm(action: WebRoutes.reveal(order.number.description), hasIDNumber: hasID)
    }

    /// POST /orders/{n}/reveal (`_csrf`, `field`: phone or id_number, `reason`): the order page with the full number;
    /// a refusal is the order page with the reason and its status.
    func revealContact(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let number = context.parameters.get("number") ?? ""
        guard let signed = context.session else { return redirect(WebRoutes.login) }
        let body = try await request.body.collect(upTo: APIBody.maximumBytes)
        guard SessionCookie.formIsSameSite(request, sessionToken: signed.token, formToken: Self.field("_csrf", in: body)) else {
            throw APIError.csrfFailed
        }
        guard let orderNumber = OrderNumber(number) else { throw APIError.notFound("工单 \(number) ") }
        let value: String
        let field: ContactPrivacy.Field
        do {
            guard let chosen = ContactPrivacy.Field(rawValue: Self.field("field", in: body) ?? "") else {
                throw APIError.invalid("field", "应为 phone 或 id_number")
            }
            field = chosen
            value = try await desk.reveal(field, of: orderNumber, reason: Self.field("reason", in: body), by: signed.user,
                                          client: auth.clients.of(request, context), at: clock())
        } catch {
            return try await refusal(error, signed, number)
        }
        var page = try await orderDetail(signed, number)
        page.livePath = WebRoutes.order(number)
        page.revealed = switch field {
        case .phone: OrderDetailPage.Revealed(label: "来电号码", value: value, dial: "tel:" + value.filter { $0.isNumber || $0 == "+" })
        case .idNumber: OrderDetailPage.Revealed(label: "证件号码", value: value, dial: nil)
        }
        return try pages.response("order", page)
    }
}

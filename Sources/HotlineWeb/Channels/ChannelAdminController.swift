import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// 渠道接入 settings over the API: each channel's gateway (`GET/PUT /api/v1/channels/{channel}/gateway`; the secrets are
/// never shown back, only whether each is set), the channels' outbox (`GET /api/v1/channel-outbox?channel=sms&state=dead`)
/// and requeueing a dead letter (`POST /api/v1/channel-outbox/{id}/requeue`). Admins only; changes are audited.
struct ChannelAdminController: Sendable {
    let app: HotlineApp
    let actors: ActorResolver
    let clients: ClientAddress
    let clock: @Sendable () -> Date

    static func channel(_ context: AppRequestContext) throws -> Channel {
        let raw = context.parameters.get("channel") ?? ""
        guard let channel = Channel(rawValue: raw), channel.hasGateway else { throw APIError.notFound("渠道 \(raw) ") }
        return channel
    }

    func register(on router: Router<AppRequestContext>) {
        let adminRoutes = router.scoped(.admin, by: actors)
        adminRoutes.get(RouterPath(APIRoutes.channelGateway(":channel"))) { request, context in
            let admin = try context.require(.manageAPIKeys)
            let channel = try Self.channel(context)
            return try APIJSON.response(GatewayView(channel, try await app.admin.channelGateway(of: channel, by: admin)))
        }
        adminRoutes.put(RouterPath(APIRoutes.channelGateway(":channel"))) { request, context in
            let admin = try context.require(.manageAPIKeys)
            let channel = try Self.channel(context)
            let input = try await request.decode(as: AdminInput.ChannelGatewayInput.self, context: context)
            return try APIJSON.response(GatewayView(
                channel, try await app.admin.setChannelGateway(of: channel, input, by: admin, client: clients.of(request, context), at: clock())))
        }
        adminRoutes.get(RouterPath(APIRoutes.channelOutbox)) { request, context in
            let admin = try context.require(.manageAPIKeys)
            let params = request.uri.queryParameters
            var state: WebhookDelivery.State?
            if let s = params.get("state"), !s.isEmpty {
                guard let parsed = WebhookDelivery.State(rawValue: s) else { throw APIError.invalid("state", "应为 pending、delivered 或 dead") }
                state = parsed
            }
            var channel: Channel?
            if let c = params.get("channel"), !c.isEmpty {
                guard let parsed = Channel(rawValue: c), parsed.hasGateway else { throw APIError.invalid("channel", "应为 sms、wechat、app 或 mailbox") }
                channel = parsed
            }
            guard let page = Int(params.get("page") ?? "1") else { throw APIError.invalid("page", "页码应为正整数") }
            guard let size = Int(params.get("size") ?? "50") else { throw APIError.invalid("size", "每页条数应在1到100之间") }
            let (items, hasMore) = try await app.admin.channelDeliveries(channel: channel, state: state, page: page, size: size, by: admin)
            return try APIJSON.response(ChannelDeliveriesView(items: items.map(ChannelDeliveryView.init), page: page, hasMore: hasMore))
        }
        adminRoutes.post(RouterPath(APIRoutes.requeueChannelMessage(":id"))) { request, context in
            let admin = try context.require(.manageAPIKeys)
            let raw = context.parameters.get("id") ?? ""
            guard let id = Int64(raw), id > 0 else { throw APIError.notFound("渠道消息 \(raw) ") }
            return try APIJSON.response(ChannelDeliveryView(
                try await app.admin.requeueChannelDelivery(id, by: admin, client: clients.of(request, context), at: clock())))
        }
    }
}

/// A channel's gateway as the API shows it: never a secret, only whether each is set.
struct GatewayView: Encodable {
    var channel: String
    var channelName: String
    var configured: Bool
    var enabled: Bool
    var outboundUrl: String?
    var inboundSecretSet: Bool
    var outboundSecretSet: Bool
    var updatedAt: Date?
    var updatedBy: String?

    init(_ channel: Channel, _ gateway: ChannelGateway?) {
        self.channel = channel.rawValue
        channelName = channel.chineseName
        configured = gateway != nil
        enabled = gateway?.enabled ?? false
        outboundUrl = gateway.map(\.outboundURL)
        inboundSecretSet = gateway?.hasInboundSecret ?? false
        outboundSecretSet = gateway?.hasOutboundSecret ?? false
        updatedAt = gateway?.updatedAt
        updatedBy = gateway?.updatedBy
    }
}

/// One row of the channels' outbox as the API shows it. The recipient is masked (an admin checks deliveries, not people).
struct ChannelDeliveryView: Encodable {
    var id: Int64
    var key: String
    var channel: String
    var channelName: String
    var recipient: String
    var orderNumber: String?
    var kind: String
    var kindName: String
    var text: String
    var state: String
    var stateName: String
    var tries: Int
    var nextAt: Date?
    var lastError: String?
    var createdAt: Date
    var updatedAt: Date

    init(_ d: ChannelDelivery) {
        id = d.id
        key = d.key
        channel = d.channel.rawValue
        channelName = d.channel.chineseName
        recipient = Self.mask(d.recipient)
        orderNumber = d.order.map { String($0.rawValue) }
        kind = d.kind
        kindName = EventKind(rawValue: d.kind)?.chineseName ?? "消息"
        text = d.body
        state = d.state.rawValue
        stateName = d.state.chineseName
        tries = d.tries
        nextAt = d.state == .pending ? d.nextAt : nil
        lastError = d.lastError
        createdAt = d.createdAt
        updatedAt = d.updatedAt
    }

    /// A phone number as the console masks it; an account or address with its middle hidden.
    static func mask(_ recipient: String) -> String {
        if Caller.normalisedPhone(recipient) != nil { return ContactPrivacy.maskPhone(recipient) }
        guard recipient.count > 6 else { return String(recipient.prefix(1)) + "***" }
        return String(recipient.prefix(3)) + "***" + String(recipient.suffix(3))
    }
}

struct ChannelDeliveriesView: Encodable {
    var items: [ChannelDeliveryView]
    var page: Int
    var hasMore: Bool
}

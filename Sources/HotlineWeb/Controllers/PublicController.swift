import Crypto
import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// What a citizen may see without an account (市民查询): their own order, after proving it is theirs with the
/// order number and the phone number they called from. Wrong pairs and unknown numbers get the same answer,
/// and both the client and the order number are rate-limited so that phone numbers cannot be guessed.
struct PublicController: Sendable {
    let desk: WorkOrderDesk
    let limiter: RateLimiter
    let clients: ClientAddress
    let clock: @Sendable () -> Date

    struct TrackBody: Decodable {
        var number: String
        var phone: String
    }

    /// The citizen's view: progress and the answer, nothing about staff or other parties.
    struct TrackResponse: Encodable {
        struct Step: Encodable {
            var name: String
            var at: Date
        }
        var number: String
        var status: WorkOrderStatus
        var statusName: String
        var kindName: String
        var title: String
        var acceptedAt: Date
        var steps: [Step]
        var answer: String?
        /// In plain Chinese, when the request was merged into another caller's order on the same matter.
        var note: String?
    }

    func register(on router: Router<AppRequestContext>) {
        router.post(RouterPath(APIRoutes.publicTrack)) { request, context in
            let client = clients.of(request, context)
            try await limiter.check("track|" + client, .publicTrack)
            let body = try await request.decode(as: TrackBody.self, context: context)
            let notFound = APIError(.notFound, code: "not_found", message: "未找到与该电话号码匹配的工单")
            guard body.number.count <= 20, let phone = Caller.normalisedPhone(body.phone), let number = OrderNumber(body.number) else { throw notFound }
            let failures = "track-fail|" + number.description
            if try await limiter.isExhausted(failures, .trackFailuresPerOrder) { throw APIError.rateLimited(retryAfter: 600) }
            guard let order = try await Self.track(number, phone: phone, load: { try await desk.orderForItsCaller($0) }) else {
                try? await limiter.check(failures, .trackFailuresPerOrder)
                throw notFound
            }
            return try APIJSON.response(Self.view(order))
        }
    }

    /// Stands in for the caller's phone when no order has the number, so that both cases do the same work.
    static let absentPhone = "00000000000"

    /// The order with this number if `phone` is its caller's. Known and unknown numbers take the same steps:
    /// one load by number, one digest of the stored (or a stand-in) phone and of the given one, one
    /// constant-time comparison; nothing else (no events, no scope check) is loaded before the answer.
    static func track(
        _ number: OrderNumber, phone: String, load: (OrderNumber) async throws -> WorkOrder?,
        compare: ([UInt8], [UInt8]) -> Bool = constantTimeEqual
    ) async throws -> WorkOrder? {
        let order = try await load(number)
        let matches = compare(phoneDigest(order?.caller.phone ?? absentPhone), phoneDigest(phone))
        return matches ? order : nil
    }

    static func phoneDigest(_ phone: String) -> [UInt8] { Array(SHA256.hash(data: Data(phone.utf8))) }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func view(_ o: WorkOrder) -> TrackResponse {
        let t = o.timeline
        var steps = [TrackResponse.Step(name: "受理", at: t.createdAt)]
        if let d = t.dispatchedAt { steps.append(.init(name: "派单", at: d)) }
        if let s = t.signedAt { steps.append(.init(name: "办理中", at: s)) }
        if let r = t.repliedAt { steps.append(.init(name: "已答复", at: r)) }
        if let c = t.closedAt { steps.append(.init(name: "办结", at: c)) }
        let answered: Set<WorkOrderStatus> = [.awaitingCallback, .callbackDisputed, .closed, .archived]
        let answer = o.directAnswer ?? o.rejection.map { $0.reason.answer } ?? (answered.contains(o.status) ? o.reply?.text : nil)
        let note = o.mergedInto.map { "您的诉求与工单 \($0) 反映的是同一事项，已合并办理；答复后将同样告知您并回访。" }
        return TrackResponse(number: o.number.description, status: o.status, statusName: o.status.chineseName, kindName: o.kind.chineseName,
                             title: o.title, acceptedAt: t.createdAt, steps: steps, answer: answer, note: note)
    }
}

import Foundation
import HotlineDomain
import HotlineStorage

/// The citizen portal's use cases (市民门户): proving a phone number with a one-time code, sending a request, finding
/// one's own requests, reading the answer and rating it. A citizen is only ever their verified phone number: every
/// read is of orders whose caller is that phone, and anything else answers as if it did not exist.
public struct PortalDesk: Sendable {
    let desk: WorkOrderDesk
    let access: CitizenAccessStore
    let history: CallerHistoryStore
    let gateways: ChannelGatewayStore
    /// Classifies a request as the channel gateways do (the models' first offered category); nil leaves it to the centre.
    let assistant: IntakeAssistant?
    public var codePolicy = CitizenAccessStore.CodePolicy()
    /// How long a verified phone stays signed in on the portal.
    public var sessionLifetime: TimeInterval = 1_800
    /// The orders a citizen's list shows, newest first.
    public static let listLimit = 50

    public init(
        desk: WorkOrderDesk, access: CitizenAccessStore, history: CallerHistoryStore, gateways: ChannelGatewayStore, assistant: IntakeAssistant? = nil
    ) {
        self.desk = desk
        self.access = access
        self.history = history
        self.gateways = gateways
        self.assistant = assistant
    }

    /// A citizen as the portal knows them: the phone number they proved.
    public struct Citizen: Sendable, Equatable {
        public var phone: String
        public init(phone: String) { self.phone = phone }

        /// The actor of a citizen's own actions: the citizen role and no unit; the user id names the channel, not the phone.
        var actor: Actor { Actor(userID: "citizen", role: .citizen) }
        /// The phone as the portal shows it back: 138****5678.
        public var maskedPhone: String { ContactPrivacy.maskPhone(phone) }
    }

    /// A phone number as a citizen typed it, or a Chinese refusal naming the field.
    public static func phone(_ typed: String) throws -> String {
        guard let phone = Caller.normalisedPhone(typed), phone.count >= 7 else { throw AppError.invalid(field: "phone", message: "请填写正确的手机号码") }
        return phone
    }

    /// 获取验证码: sends a fresh six-digit code to `phone` through the SMS gateway's outbox if its budget allows one now.
    public func sendCode(to typed: String, at now: Date) async throws {
        let phone = try Self.phone(typed)
        guard let sms = try await gateways.gateway(of: .sms), sms.enabled, !sms.outboundURL.isEmpty, sms.hasOutboundSecret else {
            throw AppError.forbidden(code: "sms_unavailable", message: "短信服务暂未开通，无法发送验证码。请拨打12345热线反映，或选择匿名反映", field: nil)
        }
        let code = String(format: "%06d", Int.random(in: 0...999_999))
        let text = "【12345热线】您的验证码是\(code)，\(Int(codePolicy.lifetime / 60))分钟内有效。请勿告诉他人。"
        let message = OutboundMessage(channel: .sms, recipient: phone, text: text, key: "otp-\(phone)-\(Int64(now.timeIntervalSince1970 * 1000))")
        let result = try await access.issue(code: code, to: phone, at: now, policy: codePolicy, message: message)
        switch result {
        case .issued: return
        case .tooSoon(let wait): throw AppError.rateLimited(retryAfter: wait, message: "验证码已发送，请\(wait)秒后再获取")
        case .tooMany: throw AppError.rateLimited(retryAfter: 3_600, message: "该号码获取验证码次数过多，请一小时后再试")
        }
    }

    /// 验证: checks the code and opens a portal session for the phone; returns its token.
    public func verify(phone typed: String, code: String, at now: Date) async throws -> String {
        let phone = try Self.phone(typed)
        let clean = code.trimmingCharacters(in: .whitespaces)
        guard clean.count == 6, clean.allSatisfy(\.isASCII), clean.allSatisfy(\.isNumber) else {
            throw AppError.invalid(field: "code", message: "请填写短信中的6位验证码")
        }
        guard try await access.redeem(code: clean, for: phone, at: now, policy: codePolicy) else {
            throw AppError.invalid(field: "code", message: "验证码不正确或已过期，请重新获取")
        }
        return try await access.openSession(for: phone, at: now, lifetime: sessionLifetime)
    }

    /// The citizen a session token proves, or nil when it is unknown or expired.
    public func citizen(session token: String, at now: Date) async throws -> Citizen? {
        guard !token.isEmpty, token.count <= 64 else { return nil }
        return try await access.phone(ofSession: token, at: now).map(Citizen.init(phone:))
    }

    public func signOut(session token: String) async throws { try await access.closeSession(token) }

    public func anonymousAllowed() async throws -> Bool { try await access.anonymousAllowed() }

    /// What a citizen writes on the portal's form.
    public struct Request: Sendable, Equatable {
        public var kind: RequestKind
        public var content: String
        public var name: String
        public var district: String?
        public var address: String
        public var latitude: Double?
        public var longitude: Double?
        public var anonymous: Bool

        public init(
            kind: RequestKind, content: String, name: String = "", district: String? = nil, address: String = "", latitude: Double? = nil,
            longitude: Double? = nil, anonymous: Bool = false
        ) {
            self.kind = kind
            self.content = content
            self.name = name
            self.district = district
            self.address = address
            self.latitude = latitude
            self.longitude = longitude
            self.anonymous = anonymous
        }
    }

    /// The title a request gets from its first sentence (at most 30 characters), as an agent would write it.
    public static func title(of content: String) -> String {
        let clean = content.trimmingCharacters(in: .whitespacesAndNewlines)
        let first = clean.split(whereSeparator: { "。！？!?\n".contains($0) }).first.map(String.init) ?? clean
        guard first.count > 30 else { return first }
        // A long sentence ends its title at the last pause that leaves enough to read, else at 30 characters.
        let head = first.prefix(30)
        if let pause = head.lastIndex(where: { "，,；;、".contains($0) }), head.distance(from: head.startIndex, to: pause) >= 8 {
            return String(head[..<pause])
        }
        return String(head) + "…"
    }

    /// 我要反映: takes the request into the same intake as every channel (channel 网站), with the verified phone, or none
    /// when anonymous and the city allows it.
    public func submit(_ request: Request, as citizen: Citizen?, files: [AttachmentUpload], at now: Date) async throws -> WorkOrder {
        let caller: Caller
        if request.anonymous {
            guard try await access.anonymousAllowed() else {
                throw AppError.forbidden(code: "anonymous_refused", message: "本市暂不受理匿名反映，请验证手机号后提交", field: "anonymous")
            }
            caller = Caller(name: "匿名", phone: "", anonymous: true)
        } else {
            guard let citizen else { throw AppError.forbidden(code: "phone_unverified", message: "请先验证手机号", field: "phone") }
            caller = Caller(name: request.name, phone: citizen.phone)
        }
        if let lat = request.latitude, !(-90...90).contains(lat) { throw AppError.invalid(field: "latitude", message: "地图位置不正确") }
        if let lon = request.longitude, !(-180...180).contains(lon) { throw AppError.invalid(field: "longitude", message: "地图位置不正确") }
        // Classified as every self-service channel is: the models' first offered category, else 待人工分类 for the dispatcher.
        let title = Self.title(of: request.content)
        let context = desk.reference.context
        let offered = context.categories.filter { !context.categoryTree.isRetired($0) }
        let likely = assistant?.likelyCategory(IntakeAssistant.Request(title: title, content: request.content, address: request.address), offered: offered)
        let draft = IntakeDraft(
            channel: .web, caller: caller, kind: request.kind, categoryCode: likely, title: title, content: request.content,
            location: Location(address: request.address, district: request.district, latitude: request.latitude, longitude: request.longitude),
            tags: likely == nil ? [ChannelDesk.unclassifiedTag] : [])
        return try await desk.intake(draft, files: files, by: (citizen ?? Citizen(phone: "")).actor, at: now).order
    }

    /// 我的诉求: the citizen's own orders, newest first.
    public func orders(of citizen: Citizen) async throws -> [PublicOrderView] {
        let names = desk.reference.names.units
        return try await history.orders(phone: citizen.phone, limit: Self.listLimit).orders.map { PublicOrderView($0, unitNames: names) }
    }

    /// One of the citizen's own orders; nil for an unknown number and for another citizen's order alike.
    public func order(_ number: OrderNumber, of citizen: Citizen) async throws -> PublicOrderView? {
        guard let order = try await ownOrder(number, of: citizen) else { return nil }
        return PublicOrderView(order, unitNames: desk.reference.names.units)
    }

    func ownOrder(_ number: OrderNumber, of citizen: Citizen) async throws -> WorkOrder? {
        guard let order = try await desk.orderForItsCaller(number), !order.caller.isAnonymous, order.caller.phone == citizen.phone else { return nil }
        return order
    }

    /// One of the photos the citizen sent with their own order; nil for anything else (another's order, a unit's file).
    public func photo(_ number: OrderNumber, sha256: String, of citizen: Citizen) async throws -> StoredAttachment? {
        guard let order = try await ownOrder(number, of: citizen),
              (order.intakeAttachments ?? []).contains(where: { $0.sha256 == sha256 && $0.contentType.hasPrefix("image/") }),
              let attachments = desk.attachments else { return nil }
        return try await attachments.attachment(of: number, sha256: sha256)
    }

    /// 评价: the citizen's rating of their own order, once the loop is closed.
    public func rate(_ number: OrderNumber, satisfaction: Satisfaction, stars: Int?, comment: String, by citizen: Citizen, at now: Date)
        async throws -> PublicOrderView
    {
        guard try await ownOrder(number, of: citizen) != nil else { throw AppError.notFound(what: "工单") }
        let outcome = try await desk.rateByCitizen(number, phone: citizen.phone, satisfaction: satisfaction, stars: stars, comment: comment, by: citizen.actor, at: now)
        return PublicOrderView(outcome.order, unitNames: desk.reference.names.units)
    }
}

import Foundation
import HotlineDomain
import HotlineStorage

/// 来电人画像: a caller's profile by phone number (the intake desk, the API) or by one of their orders (the order page),
/// for the centre's roles that deal with callers (`Capability.viewCallerProfile`). The phone is always masked and the
/// name shown as the latest order recorded it, masked; roles without the capability get nothing.
public struct CallerProfiles: Sendable {
    let desk: WorkOrderDesk
    let services: HotlineServices

    /// How many of a caller's newest orders a profile reads.
    public static let orderLimit = 200

    /// Who the profile is of: `phone`, or `order` (an order number; its caller).
    public struct Lookup: Decodable, Sendable {
        public var phone: String?
        public var order: String?

        public init(phone: String? = nil, order: String? = nil) {
            self.phone = phone
            self.order = order
        }
    }

    public struct View: Sendable {
        /// The phone, masked (`138****5678`).
        public var maskedPhone: String
        /// The name as the latest order recorded it, masked (`王**`); nil when none was recorded.
        public var maskedName: String?
        public var profile: CallerProfile
        /// The newest orders (at most 10).
        public var recent: [WorkOrder]
        /// Every restriction of the number (限制呼入), newest first, with whether it is in force now.
        public var restrictions: [(restriction: CallerRestriction, active: Bool)]
    }

    /// The profile, or nil when the number has no orders and no restrictions.
    public func profile(_ lookup: Lookup, for user: UserAccount, now: Date) async throws -> View? {
        guard Capability.viewCallerProfile.isAllowed(for: user.role), user.actor.scope == .all else {
            throw AppError.lacks(.viewCallerProfile, role: user.role)
        }
        let phone: String
        if let typed = lookup.phone?.trimmingCharacters(in: .whitespaces), !typed.isEmpty {
            guard let normal = Caller.normalisedPhone(typed) else { throw AppError.invalid(field: "phone", message: "来电号码格式不正确") }
            phone = normal
        } else if let text = lookup.order?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let number = OrderNumber(text), let order = try await desk.current(number, for: user.actor) else {
                throw AppError.notFound(what: "工单 \(text) ")
            }
            // An anonymous request, or one known only by a channel account, has no caller to profile.
            guard !order.caller.phone.isEmpty else { return nil }
            phone = order.caller.phone
        } else {
            throw AppError.invalid(field: "phone", message: "请填写来电号码或工单编号")
        }
        return try await profile(phone: phone, now: now)
    }

    func profile(phone: String, now: Date) async throws -> View? {
        async let historyRead = services.callerHistory.orders(phone: phone, limit: Self.orderLimit)
        async let restrictionsRead = services.restrictions.list(phone: phone, activeAt: nil, limit: 50)
        let ((orders, total), restrictions) = try await (historyRead, restrictionsRead)
        guard total > 0 || !restrictions.isEmpty else { return nil }
        let latest = orders.first?.caller
        return View(
            maskedPhone: ContactPrivacy.maskPhone(phone),
            maskedName: latest.flatMap { $0.name.isEmpty ? nil : ContactPrivacy.maskName($0.name, type: $0.type) },
            profile: CallerProfile.build(orders, total: total, now: now), recent: Array(orders.prefix(10)),
            restrictions: restrictions.map { ($0, $0.isActive(at: now)) })
    }
}

import Foundation

/// 市民评价: the citizen's own verdict on the answer, given on the portal once the centre's callback is over (the order
/// is 办结 or 归档). One per order; it never replaces what the callback agent recorded, it stands beside it, and the
/// satisfaction measure takes the citizen's own word where there is one.
public struct CitizenRating: Sendable, Equatable, Codable {
    public var satisfaction: Satisfaction
    /// 1–5 stars, optional.
    public var stars: Int?
    /// What the citizen wrote, possibly empty.
    public var comment: String
    public var at: Date

    public init(satisfaction: Satisfaction, stars: Int?, comment: String, at: Date) {
        self.satisfaction = satisfaction
        self.stars = stars
        self.comment = comment
        self.at = at
    }

    public static let starsRange = 1...5
    /// The statuses in which a citizen may rate: the loop is closed, so no callback is still to come.
    public static let ratableStatuses: Set<WorkOrderStatus> = [.closed, .archived]
}

extension WorkOrder {
    /// Whether the citizen may still rate this order on the portal.
    public var isRatableByCitizen: Bool { citizenRating == nil && CitizenRating.ratableStatuses.contains(status) && mergedInto == nil }
}

extension Step {
    /// 市民评价: records the citizen's rating once the loop is closed; a low rating or an unsatisfied complaint is flagged
    /// for the supervisors by the callback rule, as the same verdict on the callback would be.
    mutating func rateByCitizen(satisfaction: Satisfaction, stars: Int?, comment: String) throws(LifecycleError) {
        guard order.citizenRating == nil else { throw .invalid(field: "satisfaction", message: "该工单已评价，不能重复评价") }
        guard order.isRatableByCitizen else { throw .illegalTransition(action: .citizenRate, from: order.status) }
        if let stars, !CitizenRating.starsRange.contains(stars) { throw .invalid(field: "stars", message: "星级应为1至5") }
        let clean = comment.trimmingCharacters(in: .whitespacesAndNewlines)
        guard clean.count <= TextLimits.note else { throw .invalid(field: "comment", message: "不能超过\(TextLimits.note)字") }
        order.citizenRating = CitizenRating(satisfaction: satisfaction, stars: stars, comment: clean, at: now)
        var details = ["satisfaction": satisfaction.rawValue]
        if let stars { details["stars"] = String(stars) }
        move(to: order.status, .citizenRated, note: clean.isEmpty ? nil : clean, details: details)
        let verdict = CallbackOutcome.reached(resolved: true, satisfaction: satisfaction, stars: stars, note: clean)
        flagForSupervision(ctx.callbackRule.supervisionTriggers(verdict, kind: order.kind), stars: stars)
    }
}

import Foundation
import HotlineDomain

/// What a citizen sees of an order (公开进度): where it stands in plain words, the milestones with their times, the
/// official answer once the centre has passed it, and the citizen's own rating. Built from the order's own fields,
/// never from its events: nothing about staff, internal notes, reviews, cards or other callers can reach it.
public struct PublicOrderView: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public var name: String
        public var at: Date
    }

    public var number: OrderNumber
    /// The status in the citizen's words (正在分派, 办理中, 已答复, 已办结…).
    public var statusName: String
    public var isClosed: Bool
    public var kindName: String
    public var title: String
    /// The citizen's own words, as they sent them.
    public var content: String
    public var address: String
    public var channelName: String
    public var acceptedAt: Date
    /// The unit handling it (承办单位), once dispatched.
    public var agency: String?
    /// When the current stage is due, while one runs.
    public var expectedAt: Date?
    public var steps: [Step]
    /// The official answer, once the centre has passed it (or the answer on the call, or the refusal's explanation).
    public var answer: String?
    /// In plain Chinese: a merge, an anonymous request.
    public var note: String?
    public var rating: CitizenRating?
    public var ratable: Bool
    /// The photos the citizen sent with the request (their own, never the unit's files).
    public var photos: [AttachmentInfo]

    /// The statuses in which the unit's reply has passed the centre's review and is the official answer.
    static let answered: Set<WorkOrderStatus> = [.awaitingCallback, .callbackDisputed, .closed, .archived]

    public init(_ o: WorkOrder, unitNames: [UnitID: String]) {
        number = o.number
        statusName = Self.citizenStatus(o.status)
        isClosed = Self.isClosed(o.status)
        kindName = o.kind.chineseName
        title = o.title
        content = o.content
        address = [o.location.district, o.location.street, o.location.address].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        channelName = o.channel.chineseName
        acceptedAt = o.timeline.createdAt
        let unitName = o.leadUnit.flatMap { unitNames[$0] }
        agency = o.timeline.dispatchedAt == nil ? nil : unitName
        // 答复时限: the unit's reply deadline while a unit holds the order; the centre's own clocks are not the citizen's.
        expectedAt = [.dispatched, .handling, .unitReview].contains(o.status) ? o.deadlines.replyBy : nil
        let t = o.timeline
        var steps = [Step(name: "已受理", at: t.createdAt)]
        if let d = t.dispatchedAt { steps.append(Step(name: "已转交" + (unitName ?? "承办单位") + "办理", at: d)) }
        if let s = t.signedAt { steps.append(Step(name: "承办单位已签收，正在办理", at: s)) }
        if let r = t.repliedAt, Self.answered.contains(o.status) { steps.append(Step(name: "承办单位已答复", at: r)) }
        if let c = t.closedAt, o.status == .closed || o.status == .archived {
            steps.append(Step(name: "已办结", at: c))
        }
        if o.status == .rejected { steps.append(Step(name: "不予受理", at: t.closedAt ?? t.updatedAt)) }
        if let rating = o.citizenRating { steps.append(Step(name: "您已评价：" + rating.satisfaction.chineseName, at: rating.at)) }
        self.steps = steps.sorted { $0.at < $1.at }
        answer = o.directAnswer ?? o.rejection.map { $0.reason.answer } ?? (Self.answered.contains(o.status) ? o.reply?.text : nil)
        if let target = o.mergedInto {
            note = "您的诉求与工单 \(target) 反映的是同一事项，已合并办理；答复后将同样告知您并回访。"
        } else if o.caller.isAnonymous {
            note = "匿名反映，不能查询进度和回访。"
        } else {
            note = nil
        }
        rating = o.citizenRating
        ratable = o.isRatableByCitizen
        photos = (o.intakeAttachments ?? []).filter { $0.sha256 != nil && $0.contentType.hasPrefix("image/") }
    }

    /// The status as a citizen reads it.
    public static func citizenStatus(_ status: WorkOrderStatus) -> String {
        switch status {
        case .pendingDispatch, .returned: "已受理，正在分派"
        case .dispatched, .handling, .unitReview, .replied: "办理中"
        case .awaitingCallback, .callbackDisputed: "已答复，待回访"
        case .closed, .archived: "已办结"
        case .rejected: "不予受理"
        case .merged: "已合并办理"
        }
    }

    /// Open311's open/closed: closed once the loop ended for the citizen (办结, 归档, 不予受理) or merged elsewhere.
    public static func isClosed(_ status: WorkOrderStatus) -> Bool {
        switch status {
        case .closed, .archived, .rejected, .merged: true
        case .pendingDispatch, .returned, .dispatched, .handling, .unitReview, .replied, .awaitingCallback, .callbackDisputed: false
        }
    }
}

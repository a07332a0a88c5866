import Foundation
import HotlineDomain
import HotlineStorage

/// One line of an order's timeline as staff read it: when, who (name, role and unit), what happened in a plain Chinese
/// sentence, and the note the person wrote.
public struct TimelineEntry: Sendable, Equatable {
    public var at: Date
    public var who: String
    public var sentence: String
    public var note: String?
}

/// The names a timeline needs: units, categories and people by their ids.
public struct NameBook: Sendable {
    public var units: [UnitID: String]
    public var categories: [String: String]
    public var people: [String: String]

    public init(units: [UnitID: String] = [:], categories: [String: String] = [:], people: [String: String] = [:]) {
        self.units = units
        self.categories = categories
        self.people = people
    }

    func unit(_ id: String?) -> String { id.flatMap { units[$0] ?? ($0.isEmpty ? nil : $0) } ?? "承办单位" }
    /// The category as people read it (its path of names); a code the tree no longer knows stays as it was stored.
    func category(_ code: String) -> String { categories[code] ?? code }
}

/// Turns stored events into sentences (工单流转记录): every detail in words, deadlines as dates, people by name.
public enum EventNarrative {
    public static func entries(_ events: [StoredEvent], names: NameBook) -> [TimelineEntry] {
        events.map { entry($0, names: names) }
    }

    static func entry(_ e: StoredEvent, names: NameBook) -> TimelineEntry {
        let role = Role(rawValue: e.actorRole)
        var who = names.people[e.actorID] ?? (role == .system ? "系统" : e.actorID)
        var tags = [role?.chineseName ?? e.actorRole]
        if let unit = e.actorUnit, role?.isUnitRole == true { tags.append(names.unit(unit)) }
        if role != .system { who += "（" + tags.joined(separator: "，") + "）" }
        let kind = EventKind(rawValue: e.kind)
        // A reply's text is shown with its round; here the line says that it was given. A withdrawal's note is the
        // platform's own words, which the sentence already says.
        let note = [.replied, .mergedAnswer, .extensionWithdrawn].contains(kind) ? nil : e.note
        return TimelineEntry(at: e.date, who: who, sentence: sentence(e, kind: kind, names: names), note: note)
    }

    static func sentence(_ e: StoredEvent, kind: EventKind?, names: NameBook) -> String {
        let d = e.detailValues
        func date(_ key: String) -> String? { d[key].flatMap(ISOTime.parse).map { $0.chinaShort } }
        func units(_ key: String) -> String? {
            d[key].map { $0.split(separator: ",").map { names.unit(String($0)) }.joined(separator: "、") }
        }
        guard let kind else { return e.kind }
        switch kind {
        case .created:
            let channel = d["channel"].flatMap(Channel.init(rawValue:))?.chineseName
            let requestKind = d["kind"].flatMap(RequestKind.init(rawValue:))?.chineseName
            return "受理" + (channel.map { "\($0)来件" } ?? "") + (requestKind.map { "，诉求类型：\($0)" } ?? "")
        case .rejected:
            return "不予受理" + (d["reason"].flatMap(RejectionReason.init(rawValue:)).map { "：\($0.chineseName)" } ?? "")
        case .answeredDirectly: return d["knowledge"] == nil ? "直接答复，办结" : "采用知识库答案直接答复，办结"
        case .dispatched, .redispatched:
            // A re-dispatch of a returned order is the centre accepting the return (同意退单).
            let accepted = kind == .redispatched && e.fromStatus == WorkOrderStatus.returned.rawValue
            var s = (kind == .dispatched ? "派单至" : accepted ? "同意退单，改派至" : "改派至") + names.unit(d["lead_unit"]) + "主办"
            if let helpers = units("assisting_units") { s += "，\(helpers)协办" }
            if let due = date("reply_by") { s += "，答复期限 \(due)" }
            return s
        case .signed: return names.unit(d["unit"] ?? e.actorUnit) + "签收"
        case .returned: return names.unit(d["unit"]) + "退单" + (d["reason_name"].map { "，理由：\($0)" } ?? "")
        case .returnRejected:
            return "驳回\(names.unit(d["unit"]))的退单，退回该单位继续办理" + (date("reply_by").map { "，答复期限仍为 \($0)" } ?? "")
        case .subDispatched: return "由\(names.unit(d["from"]))下派至\(names.unit(d["unit"]))"
        case .extensionRequested: return "申请延期" + (d["working_days"].map { "\($0)个工作日" } ?? "")
        case .extensionApproved:
            return "同意延期" + (d["working_days"].map { "\($0)个工作日" } ?? "") + (date("reply_by").map { "，答复期限延至 \($0)" } ?? "")
        case .extensionDenied: return "驳回延期申请"
        case .extensionWithdrawn: return "答复时撤回未审批的延期申请" + (d["working_days"].map { "（\($0)个工作日）" } ?? "")
        case .replied:
            let files = ReplyRecord.attachments(in: d).count
            let count = files > 0 ? files : Int(d["attachments"] ?? "") ?? 0
            return names.unit(d["unit"] ?? e.actorUnit) + "答复" + (count > 0 ? "，附件\(count)个" : "")
                + (e.toStatus == WorkOrderStatus.unitReview.rawValue ? "，待单位审核" : "")
        case .unitReviewPassed: return "单位审核通过，答复报送中心审核"
        case .unitReviewSentBack: return "单位审核退回经办人重新办理"
        case .reviewPassed: return "审核通过，转回访"
        case .sentBack: return "审核退回承办单位"
        case .callbackRecorded:
            var parts = [d["resolved"] == "true" ? "问题已解决" : "问题未解决"]
            if let s = d["satisfaction"].flatMap(Satisfaction.init(rawValue:)) { parts.append(s.chineseName) }
            if let stars = d["stars"] { parts.append("\(stars)星") }
            let closed = e.toStatus == WorkOrderStatus.closed.rawValue
            return "回访：" + parts.joined(separator: "，") + (closed ? "，办结" : "，转回访不满意待研判")
        case .callbackUnreachable:
            let closed = e.toStatus == WorkOrderStatus.closed.rawValue
            let tries = d["attempts"].map { n in "（第\(n)次" + (d["days"].map { "，共\($0)天" } ?? "") + "）" } ?? ""
            return "回访未接通" + tries + (closed ? "，按规定办结" : "")
        case .closed: return "办结"
        case .closedUnsatisfied: return "不满意办结"
        case .redone: return "退回\(names.unit(d["lead_unit"]))重办" + (d["redo_count"].map { "（第\($0)次重办）" } ?? "")
        case .escalated:
            if let returning = units("returning_units") { return "\(returning)先后退单，自动提级督办" }
            if d["rule"]?.hasPrefix("redo_rounds_") == true {
                return "按提级规则自动提级督办" + (d["redo_count"].map { "（已重办\($0)次）" } ?? "") + (d["unit"].map { "，责任单位：\(names.unit($0))" } ?? "")
            }
            return "提级督办" + (d["unit"].map { "，责任单位：\(names.unit($0))" } ?? "")
        case .consulted:
            var s = "会商"
            if let involved = units("units") { s += "（参会单位：\(involved)）" }
            s += "，决定由\(names.unit(d["lead_unit"]))主办"
            if let helpers = units("assisting_units") { s += "，\(helpers)协办" }
            if let due = date("reply_by") { s += "，答复期限 \(due)" }
            if let meeting = date("meeting_at") { s += "；会商时间 \(meeting)" }
            return s
        case .archived: return "归档"
        case .merged: return "并入工单 \(d["into"] ?? "")，随该工单一并办理"
        case .absorbed: return "工单 \(d["from"] ?? "") 并入本工单"
        case .finalReplyMarked: return "标记为最终答复，同一事项不再重复受理"
        case .urged: return "催办\(names.unit(d["unit"]))" + (d["urges"].map { "（本单第\($0)次）" } ?? "")
        case .yellowCard: return "向\(names.unit(d["unit"]))亮黄牌"
        case .redCard: return "向\(names.unit(d["unit"]))亮红牌"
        case .reclassified:
            return "分类由" + (d["from"].map(names.category) ?? "未分类") + "改为" + (d["to"].map(names.category) ?? "")
        case .slaWarning:
            let stage = d["stage"].flatMap(TimeLimitStage.init(rawValue:))?.chineseName ?? "办理"
            return stage + "时限已用" + (d["warn_percent"].map { "\($0)%" } ?? "大部分") + "，时限预警" + (d["unit"].map { "，责任单位：\(names.unit($0))" } ?? "")
                + (date("deadline").map { "，期限 \($0)" } ?? "")
        case .overdueMarked:
            let stage = d["stage"].flatMap(TimeLimitStage.init(rawValue:))?.chineseName ?? "办理"
            return stage + "已超期" + (date("deadline").map { "（期限 \($0)）" } ?? "") + (d["unit"].map { "，责任单位：\(names.unit($0))" } ?? "")
        case .supervisionFlagged:
            let rules = (d["rule"] ?? "").split(separator: ",").compactMap { SupervisionTrigger(rawValue: String($0))?.chineseName }
            return (rules.isEmpty ? "回访结果" : rules.joined(separator: "、")) + (d["stars"].map { "（\($0)星）" } ?? "") + "，自动列入督办关注"
        case .supervisionAcknowledged: return "督办员已研判，移出督办关注"
        case .citizenRated:
            let verdict = d["satisfaction"].flatMap(Satisfaction.init(rawValue:))?.chineseName ?? ""
            return "市民在线评价：" + verdict + (d["stars"].map { "，\($0)星" } ?? "")
        case .mergedAnswer: return "随主单 \(d["from"] ?? "") 答复" + (e.toStatus == WorkOrderStatus.closed.rawValue ? "，办结" : "，转回访")
        }
    }
}

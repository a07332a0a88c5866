import Foundation
import HotlineDomain
import HotlineStorage

/// What a list shows, in words: each condition of its filter as a Chinese phrase, and the list's heading — the name of
/// the viewer's queue when the list is that queue (so a home tile and the list it opens carry one name), followed by
/// whatever the list narrows it by.
struct OrderListHeading {
    struct Part: Equatable {
        var key: String
        var text: String
    }

    /// Unit and category names.
    var unitName: (UnitID) -> String?
    var categoryName: (String) -> String?

    func parts(_ f: OrderFilter, dueSoon: Bool) -> [Part] {
        var parts: [Part] = []
        func add(_ key: String, _ text: String) { parts.append(Part(key: key, text: text)) }
        if !f.statuses.isEmpty { add("status", f.statuses.map(\.chineseName).joined(separator: "、")) }
        if let kind = f.kind { add("kind", kind.chineseName) }
        if let channel = f.channel { add("channel", "来源：" + channel.chineseName) }
        if let lane = f.lane { add("lane", lane.chineseName) }
        if let unit = f.unit { add("unit", "承办单位：" + (unitName(unit) ?? unit)) }
        if let lead = f.leadUnit { add("lead_unit", "主办单位：" + (unitName(lead) ?? lead)) }
        if let code = f.categoryCode { add("category", "分类：" + (categoryName(code) ?? code)) }
        if let overdue = f.overdue { add("overdue", overdue ? "已超期" : "未超期") }
        if dueSoon { add("due_soon", "即将超期") }
        for (on, key, text) in [(f.extensionPending, "extension_pending", "延期待审批"), (f.sentBack, "sent_back", "审核退回"), (f.redone, "redone", "重办"),
                                (f.urged, "urged", "已催办"), (f.carded, "carded", "已亮牌"),
                                (f.supervisionFlagged, "supervision_flagged", "督办关注")] where on {
            add(key, text)
        }
        if f.awaitsCoordination { add("escalated", "待协调督办") }
        switch (f.createdFrom, f.createdTo) {
        case let (from?, to?): add("period", "受理于 \(Self.day(from, end: false)) 至 \(Self.day(to, end: true))")
        case let (from?, nil): add("period", "受理于 \(Self.day(from, end: false)) 以后")
        case let (nil, to?): add("period", "受理于 \(Self.day(to, end: true)) 以前")
        case (nil, nil): break
        }
        if let text = f.text { add("q", "含“\(text)”") }
        if let phone = f.callerPhone { add("phone", "来电 " + ContactPrivacy.maskPhone(phone)) }
        return parts
    }

    /// The heading of a list: the most specific of `queues` whose every condition the list has, then the rest of the
    /// list's conditions; without such a queue, the conditions alone, or 全部工单.
    func heading(_ f: OrderFilter, dueSoon: Bool, queues: [HomeQueues.Spec]) -> String {
        let mine = parts(f, dueSoon: dueSoon)
        var best: (label: String, parts: [Part])?
        for queue in queues {
            let its = parts(queue.filter, dueSoon: queue.dueSoon)
            if its.allSatisfy(mine.contains), its.count > (best?.parts.count ?? -1) { best = (queue.label, its) }
        }
        if let best { return ([best.label] + mine.filter { !best.parts.contains($0) }.map(\.text)).joined(separator: " · ") }
        return mine.isEmpty ? "全部工单" : mine.map(\.text).joined(separator: " · ")
    }

    /// A period bound as a day; an end bound at midnight names the last day it includes.
    static func day(_ date: Date, end: Bool) -> String {
        let day = CivilDay(containing: date)
        guard day.start == date else { return date.chinaShort }
        return (end ? day.adding(days: -1) : day).description
    }
}

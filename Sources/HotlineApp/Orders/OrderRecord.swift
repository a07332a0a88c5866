import Foundation
import HotlineDomain
import HotlineStorage

/// One order's whole record as people read it: the order, its event log, whether the log is whole, and every reply
/// round with what review made of it.
public struct OrderRecord: Sendable {
    public var order: WorkOrder
    public var events: [StoredEvent]
    /// The log verifies and ends at the event count and hash the order's row records.
    public var chainIntact: Bool { chainBreak == nil }
    /// What is wrong with the log, if anything (记录异常).
    public var chainBreak: ChainBreak?
    public var replyRounds: [ReplyRound]
    /// The log as sentences with people's and units' names (流转记录); empty when the record was read without them.
    public var timeline: [TimelineEntry]

    init(_ stored: StoredOrder, names: NameBook?) {
        order = stored.order
        events = stored.events
        chainBreak = stored.chainBreak
        replyRounds = ReplyRound.rounds(in: stored.events, current: stored.order.reply)
        timeline = names.map { EventNarrative.entries(stored.events, names: $0) } ?? []
    }

    /// The chain mark in words: 记录完整，未被篡改, or 记录异常 with what is wrong.
    public var chainText: String {
        chainBreak.map { "记录异常：\($0.chineseProblem)" } ?? "记录完整，未被篡改"
    }
}

/// One answer a unit gave (答复), in order: its full text and files as the log holds them, and the review's verdict.
public struct ReplyRound: Sendable, Equatable {
    public enum Review: Sendable, Equatable {
        /// 审核通过, with the reviewer's note.
        case passed(note: String?)
        /// 审核退回, with the reviewer's reason.
        case sentBack(reason: String?)
        /// 单位审核退回: the unit's own admin sent the staff member's reply back, with the reason (单位领导审核).
        case unitSentBack(reason: String?)
    }

    public struct File: Sendable, Equatable {
        public var sha256: String
        public var name: String
        public var size: Int
        public var contentType: String

        public var isImage: Bool { contentType.hasPrefix("image/") }
    }

    /// 1 for the first reply.
    public var number: Int
    /// How many redos (重办) came before this reply: 0 for the first handling.
    public var redoRound: Int
    public var unit: UnitID?
    public var text: String
    public var files: [File]
    public var at: Date
    /// The surviving order this answer came from, when it was carried over after a merge (随主单答复).
    public var carriedFrom: String?
    public var review: Review?

    /// The rounds the log records. Reply events written before the log kept reply texts have none; the latest of
    /// them shows the order's current reply instead.
    static func rounds(in events: [StoredEvent], current: Reply?) -> [ReplyRound] {
        var rounds: [ReplyRound] = []
        var redos = 0
        for event in events {
            let kind = EventKind(rawValue: event.kind)
            // A merged order closed by a direct answer carried over has no reply round.
            let carriedDirectAnswer = kind == .mergedAnswer && event.toStatus == WorkOrderStatus.closed.rawValue
            switch kind {
            case .replied?, .mergedAnswer?:
                guard !carriedDirectAnswer else { break }
                let details = event.detailValues
                rounds.append(ReplyRound(
                    number: rounds.count + 1, redoRound: redos, unit: details["unit"] ?? event.actorUnit, text: event.note ?? "",
                    files: ReplyRecord.attachments(in: details).map { File(sha256: $0.sha256 ?? "", name: $0.name, size: $0.size, contentType: $0.contentType) },
                    at: event.date,
                    carriedFrom: details["from"], review: event.kind == EventKind.mergedAnswer.rawValue ? .passed(note: nil) : nil))
            case .reviewPassed?:
                if let last = rounds.indices.last, rounds[last].review == nil { rounds[last].review = .passed(note: event.note) }
            case .sentBack?:
                if let last = rounds.indices.last, rounds[last].review == nil { rounds[last].review = .sentBack(reason: event.note) }
            case .unitReviewSentBack?:
                if let last = rounds.indices.last, rounds[last].review == nil { rounds[last].review = .unitSentBack(reason: event.note) }
            case .redone?:
                redos += 1
            default:
                break
            }
        }
        if let last = rounds.indices.last, rounds[last].text.isEmpty, let current {
            rounds[last].text = current.text
            rounds[last].files = current.attachments.compactMap { a in a.sha256.map { File(sha256: $0, name: a.name, size: a.size, contentType: a.contentType) } }
        }
        return rounds
    }
}

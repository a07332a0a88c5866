import Foundation
import HotlineDomain
import HotlineStorage

/// One notice (消息提醒) as its reader sees it: when, which order, and what happened in a sentence.
public struct Notice: Sendable, Equatable {
    public var id: Int64
    public var at: Date
    public var order: OrderNumber
    public var title: String
    /// The event kind's name, e.g. 催办, 黄牌警示, 审核退回.
    public var kindName: String
    /// Who did what to which order, e.g. "市12345热线中心 督办员一 对工单 20250303000001 催办东区人民政府（本单第1次）：请今天内联系市民".
    public var sentence: String
    public var read: Bool

    public init(id: Int64, at: Date, order: OrderNumber, title: String, kindName: String, sentence: String, read: Bool) {
        self.id = id
        self.at = at
        self.order = order
        self.title = title
        self.kindName = kindName
        self.sentence = sentence
        self.read = read
    }
}

/// A page of a reader's notices, newest first.
public struct NoticePage: Sendable, Equatable {
    public var notices: [Notice]
    /// Unread notices in all, counted up to ``NoticeDesk/countCap``.
    public var unread: Int
    public var page: Int
    public var size: Int
    public var hasMore: Bool

    public init(notices: [Notice], unread: Int, page: Int, size: Int, hasMore: Bool) {
        self.notices = notices
        self.unread = unread
        self.page = page
        self.size = size
        self.hasMore = hasMore
    }
}

/// The notice use cases (消息提醒): a user's notices, their unread count and marking them read. Notices are written by
/// the order store in the transaction of the event that causes them (``NoticeRule`` says who is told); here every read
/// and every mark is of the acting user's own notices, so nobody reaches another user's or another unit's.
public struct NoticeDesk: Sendable {
    let store: NoticeStore
    let reference: ReferenceData
    let directory: DirectoryStore

    /// Counts stop here: the bell shows "99+" beyond 99.
    public static let countCap = 100
    /// Most notices marked read in one request.
    public static let markLimit = 100

    public init(store: NoticeStore, reference: ReferenceData, directory: DirectoryStore) {
        self.store = store
        self.reference = reference
        self.directory = directory
    }

    static func reader(_ actor: Actor) -> NoticeStore.Reader { NoticeStore.Reader(userID: actor.userID, role: actor.role, unit: actor.unit) }

    /// How many of the actor's notices are unread, up to ``countCap``.
    public func unreadCount(for actor: Actor) async throws -> Int {
        try await store.unreadCount(Self.reader(actor), cap: Self.countCap)
    }

    /// A page of the actor's notices, newest first; only the unread ones with `unreadOnly`.
    public func page(for actor: Actor, unreadOnly: Bool = false, page: Int = 1, size: Int = 20) async throws -> NoticePage {
        guard page >= 1 else { throw AppError.invalid(field: "page", message: "页码应为正整数") }
        guard (1...100).contains(size) else { throw AppError.invalid(field: "size", message: "每页条数应在1到100之间") }
        let reader = Self.reader(actor)
        let (entries, hasMore) = try await store.list(reader, unreadOnly: unreadOnly, page: page, size: size)
        let (units, categories) = reference.names
        let people = try await directory.displayNames(of: Set(entries.map(\.event.actorID)))
        let names = NameBook(units: units, categories: categories, people: people)
        let notices = entries.map { entry in
            Notice(
                id: entry.id, at: entry.event.date, order: entry.order, title: entry.title,
                kindName: EventKind(rawValue: entry.event.kind)?.chineseName ?? "工单动态", sentence: Self.sentence(entry.event, names: names),
                read: entry.readAt != nil)
        }
        return NoticePage(
            notices: notices, unread: try await store.unreadCount(reader, cap: Self.countCap), page: page, size: size, hasMore: hasMore)
    }

    /// Marks the actor's notices `ids` read; returns how many of them were unread. Ids of notices that are not the
    /// actor's change nothing.
    @discardableResult
    public func markRead(_ ids: [Int64], for actor: Actor, at now: Date) async throws -> Int {
        guard !ids.isEmpty else { throw AppError.invalid(field: "ids", message: "请指明要标为已读的消息") }
        guard ids.count <= Self.markLimit else { throw AppError.invalid(field: "ids", message: "一次最多标记\(Self.markLimit)条消息") }
        guard ids.allSatisfy({ $0 > 0 }) else { throw AppError.invalid(field: "ids", message: "消息编号应为正整数") }
        return try await store.markRead(ids, for: Self.reader(actor), at: now)
    }

    /// 全部标为已读: the actor's unread notices up to `upTo` (the newest one they were shown), or all of them.
    @discardableResult
    public func markAllRead(for actor: Actor, upTo: Int64?, at now: Date) async throws -> Int {
        try await store.markAllRead(for: Self.reader(actor), upTo: upTo, at: now)
    }

    /// What marking read asks for, the same from the API's JSON and the console's form: the notices `ids`, or `all`
    /// of them up to `up_to` (the newest one the reader was shown).
    public struct ReadInput: Decodable, Sendable, Equatable {
        public var ids: [Int64]?
        public var all: Bool?
        public var upTo: Int64?

        public init(ids: [Int64]? = nil, all: Bool? = nil, upTo: Int64? = nil) {
            self.ids = ids
            self.all = all
            self.upTo = upTo
        }
    }

    /// Marks read what `input` names; returns how many of those notices were unread until now.
    @discardableResult
    public func mark(_ input: ReadInput, for actor: Actor, at now: Date) async throws -> Int {
        if input.all == true {
            guard input.ids == nil else { throw AppError.invalid(field: "ids", message: "全部标为已读时不能再指明消息") }
            if let upTo = input.upTo, upTo <= 0 { throw AppError.invalid(field: "up_to", message: "消息编号应为正整数") }
            return try await markAllRead(for: actor, upTo: input.upTo, at: now)
        }
        return try await markRead(input.ids ?? [], for: actor, at: now)
    }

    /// Opens one of the actor's notices: marks it read and gives the order it is about. A notice that is not theirs
    /// answers as one that does not exist.
    public func open(_ id: Int64, for actor: Actor, at now: Date) async throws -> OrderNumber {
        let reader = Self.reader(actor)
        guard let order = try await store.order(of: id, for: reader) else { throw AppError.notFound(what: "消息") }
        _ = try await store.markRead([id], for: reader, at: now)
        return order
    }

    /// The notice's sentence: who (unit and name), which order, and what happened in the timeline's words, with the note.
    static func sentence(_ e: StoredEvent, names: NameBook) -> String {
        let role = Role(rawValue: e.actorRole)
        var who: [String] = []
        if role == .system {
            who = ["系统"]
        } else {
            if let unit = e.actorUnit, let name = names.units[unit] { who.append(name) }
            who.append(names.people[e.actorID] ?? role?.chineseName ?? "工作人员")
        }
        let kind = EventKind(rawValue: e.kind)
        // The timeline says "东区人民政府退单"; here the unit already leads the sentence.
        let what = kind == .returned ? "退单" + (e.detailValues["reason_name"].map { "（\($0)）" } ?? "") : EventNarrative.sentence(e, kind: kind, names: names)
        let note = e.note.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        return who.joined(separator: " ") + " 对工单 \(e.orderNumber) " + what + (note.map { "：" + $0 } ?? "")
    }
}

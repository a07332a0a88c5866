import Foundation
import HotlineDomain
import HotlineStorage
import Hummingbird
import HummingbirdCore
import ServiceLifecycle
import Synchronization

/// Live updates of open pages (实时刷新): when the database announces a change that may concern a page (an order's
/// events, notices, another instance's writes by PostgreSQL NOTIFY — see ``ChangeFeed``), the server works out a
/// fingerprint of what the page shows (the rows of a list, the version of an order, the board's figures) and sends
/// it when it changes, so the page can offer, or make, a reload. Nothing is polled: without changes a stream only
/// checks its session and the browser every ``liveHeartbeat``.
extension PageController {
    /// The fingerprint of a console page for this user, or nil when the page has none (or is out of reach).
    func fingerprint(_ s: Signed, path: String) async throws -> String? {
        let uri = URI(path)
        let parts = uri.path.split(separator: "/").map(String.init)
        if uri.path == WebRoutes.orders {
            let page = try await orderList(s, uri.queryParameters)
            return page.totalText + "|" + page.rows.map { "\($0.number):\($0.status):\($0.due.prefix(8))" }.joined(separator: ",")
        }
        if parts.count == 2, parts[0] == "orders", let number = OrderNumber(parts[1]) {
            guard Capability.viewOrders.isAllowed(for: s.user.role), let order = try await desk.current(number, for: s.user.actor) else { return nil }
            return "v\(order.version)"
        }
        if uri.path == WebRoutes.notices {
            let page = try await app.notices.page(for: s.user.actor, size: 1)
            return "\(page.unread)|\(page.notices.first?.id ?? 0)"
        }
        if uri.path == WebRoutes.supervision {
            let board = try await supervisionBoard(s)
            return (board.tiles.map(\.count) + board.units.map { "\($0.unit)\($0.overdue)/\($0.urges)/\($0.yellowCards)/\($0.redCards)" }
                + board.recent.prefix(1).map { $0.number + $0.when + $0.mark }).joined(separator: "|")
        }
        return nil
    }

    /// How often a stream without changes checks that its session lasts and its browser is there.
    static let liveHeartbeat: Duration = .seconds(15)
    /// The shortest time between two looks of a list, tile or board stream: a burst of changes is one look.
    static let liveListGap: Duration = .seconds(2)
    /// The shortest time between two looks of an order page's stream.
    static let liveOrderGap: Duration = .seconds(1)

    struct LiveTile: Encodable {
        var label: String
        var count: String
        var urgent: Bool
    }

    /// `text/event-stream` of the user's queue tiles: one event at once, then one after changes to orders (and at each
    /// heartbeat) while the session
    /// lasts (or `maxEvents`, which tests use to end the stream); beside them `notices`, the bell's unread count, when it
    /// changes. With `tiles: false` (a page without tiles or a page stream of its own), only the bell's count.
    func liveQueues(_ s: Signed, tiles withTiles: Bool = true, maxEvents: Int?) async throws -> Response {
        let services = services
        let clock = clock
        @Sendable func tiles(_ s: Signed) async throws -> String {
            let tiles = try await HomeQueues(services: services, desk: desk).tiles(for: s.user, now: clock())
            return String(decoding: try JSONEncoder().encode(tiles.map { LiveTile(label: $0.label, count: $0.count, urgent: $0.urgent) }), as: UTF8.self)
        }
        guard withTiles else {
            let bell = bellCount
            return eventStream(s, event: "notices", first: try await bell(s), onlyChanges: true, maxEvents: maxEvents,
                               wakesOn: \.concernsOrders, gap: Self.liveListGap, next: bell)
        }
        return eventStream(s, event: "queues", first: try await tiles(s), onlyChanges: false, maxEvents: maxEvents,
                           wakesOn: \.concernsOrders, gap: Self.liveListGap, next: tiles, alongside: "notices")
    }

    /// The bell's unread count as it reads: "0", "3", "99+".
    var bellCount: @Sendable (Signed) async throws -> String {
        let notices = app.notices, topics = app.topics
        return { s in PageUser.noticeCount(try await notices.unreadCount(for: s.user.actor) + (try await topics.unreadAlerts(for: s.user))) ?? "0" }
    }

    /// `text/event-stream` of `event: page` with the page's fingerprint: once at once, then whenever it changes,
    /// while the session lasts.
    func livePage(_ s: Signed, path: String, maxEvents: Int?) async throws -> Response {
        guard path.hasPrefix("/"), !path.hasPrefix("//"), path.count <= 500 else { throw APIError.invalid("path", "应为本站页面路径") }
        let controller = self
        @Sendable func digest(_ s: Signed) async throws -> String? {
            try await controller.fingerprint(s, path: path).map { String(Self.fnv1a($0), radix: 36) }
        }
        // An order page looks again when its order changes; the bell beside it when any order or notice does. Lists
        // and boards look again at most every two seconds while orders change.
        let parts = URI(path).path.split(separator: "/")
        let orderPage = parts.count == 2 && parts[0] == "orders" && OrderNumber(String(parts[1])) != nil
        // The first look decides whether the page may be watched at all: a refusal is an error page, not a stream.
        return eventStream(s, event: "page", first: try await digest(s), onlyChanges: true, maxEvents: maxEvents,
                           wakesOn: \.concernsOrders, gap: orderPage ? Self.liveOrderGap : Self.liveListGap, next: digest, alongside: "notices")
    }

    /// Server-sent events named `event`: `first` at once, then what `next` gives after each change `wakesOn` picks out
    /// of the database's change feed (at most once per `gap`) and at each heartbeat, sent every time or only when it
    /// changed, until `next` gives nil or fails, the session ends, `maxEvents` are sent, the browser has gone or
    /// the server stops. The stream does not count as activity, so an open tab does not keep an idle session alive.
    /// With `alongside`, the stream also carries that event with the bell's unread count (``bellCount``) whenever it
    /// changes, so that one stream per page keeps both the page and the header's bell up to date.
    func eventStream(
        _ s: Signed, event: String, first: String?, onlyChanges: Bool, maxEvents: Int?,
        wakesOn relevant: @escaping @Sendable (Change) -> Bool, gap: Duration,
        next: @escaping @Sendable (Signed) async throws -> String?, alongside: String? = nil
    ) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let controller = self
        // The user as last resolved, so that the bell counts for their current role and unit.
        let latest = Mutex(s)
        @Sendable func following() async throws -> String? {
            guard let holder = try await controller.services.accounts.holder(ofToken: s.token, now: controller.clock(), touch: false),
                  holder.kind == AccountStore.webKind else { return nil }
            let now = Signed(user: holder.user, token: s.token, tokenID: s.tokenID)
            latest.withLock { $0 = now }
            // A later refusal (a changed role or unit) ends the stream quietly.
            return try? await next(now)
        }
        let bell = bellCount
        let side = alongside.map { name in Alongside(event: name) { try await bell(latest.withLock { $0 }) } }
        let feed = services.database.changes
        let body = ResponseBody { writer in
            let wake = LiveWake()
            let key = feed.observe { batch in if batch.changes.contains(where: relevant) { wake.ring() } }
            defer { feed.stopObserving(key) }
            await Self.streamEvents(to: &writer, event: event, first: first, onlyChanges: onlyChanges, maxEvents: maxEvents,
                                    wake: wake, heartbeat: Self.liveHeartbeat, gap: gap, alongside: side, next: following)
            try? await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// A second event a stream carries after its own whenever its data changes (the bell's unread count).
    struct Alongside: Sendable {
        var event: String
        var look: @Sendable () async throws -> String
    }

    /// The loop of a live stream: it looks again when `wake` rings (not sooner than `gap` after its last look) or
    /// when `heartbeat` has passed without one; without `wake`, every `heartbeat`. Every look writes something — the
    /// event, or an SSE comment line when nothing changed — so that a browser that has gone is noticed by the failed
    /// write, and the loop stops instead of looking at the database until the session ends.
    static func streamEvents(
        to writer: inout some ResponseBodyWriter, event: String, first: String?, onlyChanges: Bool, maxEvents: Int?,
        wake: LiveWake? = nil, heartbeat: Duration, gap: Duration = .zero,
        alongside: Alongside? = nil, next: @Sendable () async throws -> String?
    ) async {
        let clock = ContinuousClock()
        var lastLook = clock.now
        var sent = 0
        var current = first
        var last: String?
        var lastSide: String?
        while !Task.isCancelled && !Task.isShuttingDownGracefully, let data = current {
            let changed = !onlyChanges || data != last
            var frame = changed ? "event: \(event)\ndata: \(data)\n\n" : ""
            let side = try? await alongside?.look()
            if let alongside, let side, side != lastSide { frame += "event: \(alongside.event)\ndata: \(side)\n\n" }
            do {
                try await writer.write(ByteBuffer(string: frame.isEmpty ? ": \n\n" : frame))
            } catch {
                return  // the browser has gone
            }
            if let side { lastSide = side }
            if changed {
                last = data
                sent += 1
                if let maxEvents, sent >= maxEvents { return }
            }
            // An open tab must not hold a stopping server (SIGTERM) open.
            let looked = lastLook
            do {
                try await cancelWhenGracefulShutdown {
                    if let wake {
                        if try await wake.wait(upTo: heartbeat) {
                            // A burst of changes is one look.
                            let since = clock.now - looked
                            if since < gap { try await Task.sleep(for: gap - since) }
                        }
                    } else {
                        try await Task.sleep(for: heartbeat)
                    }
                }
            } catch { return }
            lastLook = clock.now
            guard let following = try? await next() else { return }
            current = following
        }
    }

    /// A stable 64-bit FNV-1a hash: the same page content gives the same fingerprint on every instance and stream.
    static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}

/// The bell of one live stream: the change feed's observer rings it, the stream's loop waits for it. Rings while
/// nobody waits are kept (as one), so a change between two waits is never missed.
final class LiveWake: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Bool, Never>?
    }
    private let state = Mutex(State())

    func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.rung = true
            return nil
        }
        waiter?.resume(returning: true)
    }

    /// True when rung (now or since the last wait), false when `timeout` passed first; throws when cancelled.
    func wait(upTo timeout: Duration) async throws -> Bool {
        let rung = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { await self.rang() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            defer { group.cancelAll() }
            return try await group.next() ?? false
        }
        try Task.checkCancellation()
        return rung
    }

    /// Waits for a ring; a cancelled wait returns false.
    private func rang() async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let now = state.withLock { state -> Bool? in
                    if state.rung {
                        state.rung = false
                        return true
                    }
                    if Task.isCancelled { return false }
                    state.waiter = continuation
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            state.withLock { state -> CheckedContinuation<Bool, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }?.resume(returning: false)
        }
    }
}

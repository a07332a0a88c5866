import Foundation
import HotlineDomain
import HotlineStorage
import Hummingbird
import HummingbirdCore
import ServiceLifecycle

/// Live updates of open pages (实时刷新): every few seconds the server works out a fingerprint of what the page
/// shows (the rows of a list, the version of an order, the board's figures) and sends it when it changes, so
/// the page can offer, or make, a reload.
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
        if uri.path == WebRoutes.supervision {
            let board = try await supervisionBoard(s)
            return (board.tiles.map(\.count) + board.units.map { "\($0.unit)\($0.overdue)/\($0.urges)/\($0.yellowCards)/\($0.redCards)" }
                + board.recent.prefix(1).map { $0.number + $0.when + $0.mark }).joined(separator: "|")
        }
        return nil
    }

    /// How often live data is looked at again.
    static let liveInterval: Duration = .seconds(5)

    struct LiveTile: Encodable {
        var label: String
        var count: String
        var urgent: Bool
    }

    /// `text/event-stream` of the user's queue tiles: one event at once, then one per interval while the session
    /// lasts (or `maxEvents`, which tests use to end the stream).
    func liveQueues(_ s: Signed, maxEvents: Int?) async throws -> Response {
        let services = services
        let clock = clock
        @Sendable func tiles(_ s: Signed) async throws -> String {
            let tiles = try await HomeQueues(services: services, desk: desk).tiles(for: s.user, now: clock())
            return String(decoding: try JSONEncoder().encode(tiles.map { LiveTile(label: $0.label, count: $0.count, urgent: $0.urgent) }), as: UTF8.self)
        }
        return eventStream(s, event: "queues", first: try await tiles(s), onlyChanges: false, maxEvents: maxEvents, next: tiles)
    }

    /// `text/event-stream` of `event: page` with the page's fingerprint: once at once, then whenever it changes,
    /// while the session lasts.
    func livePage(_ s: Signed, path: String, maxEvents: Int?) async throws -> Response {
        guard path.hasPrefix("/"), !path.hasPrefix("//"), path.count <= 500 else { throw APIError.invalid("path", "应为本站页面路径") }
        let controller = self
        @Sendable func digest(_ s: Signed) async throws -> String? {
            try await controller.fingerprint(s, path: path).map { String(Self.fnv1a($0), radix: 36) }
        }
        // The first look decides whether the page may be watched at all: a refusal is an error page, not a stream.
        return eventStream(s, event: "page", first: try await digest(s), onlyChanges: true, maxEvents: maxEvents, next: digest)
    }

    /// Server-sent events named `event`: `first` at once, then what `next` gives every interval (or only when it
    /// changed), until `next` gives nil or fails, the session ends, `maxEvents` are sent, the browser has gone or
    /// the server stops. The stream does not count as activity, so an open tab does not keep an idle session alive.
    func eventStream(
        _ s: Signed, event: String, first: String?, onlyChanges: Bool, maxEvents: Int?,
        next: @escaping @Sendable (Signed) async throws -> String?
    ) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let controller = self
        @Sendable func following() async throws -> String? {
            guard let holder = try await controller.services.accounts.holder(ofToken: s.token, now: controller.clock(), touch: false),
                  holder.kind == AccountStore.webKind else { return nil }
            // A later refusal (a changed role or unit) ends the stream quietly.
            return try? await next(Signed(user: holder.user, token: s.token, tokenID: s.tokenID))
        }
        let body = ResponseBody { writer in
            await Self.streamEvents(to: &writer, event: event, first: first, onlyChanges: onlyChanges, maxEvents: maxEvents,
                                    interval: Self.liveInterval, next: following)
            try? await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// The loop of a live stream. Every interval writes something — the event, or an SSE comment line when
    /// nothing changed — so that a browser that has gone is noticed by the failed write, and the loop stops
    /// instead of looking at the database until the session ends.
    static func streamEvents(
        to writer: inout some ResponseBodyWriter, event: String, first: String?, onlyChanges: Bool, maxEvents: Int?, interval: Duration,
        next: @Sendable () async throws -> String?
    ) async {
        var sent = 0
        var current = first
        var last: String?
        while !Task.isCancelled && !Task.isShuttingDownGracefully, let data = current {
            let changed = !onlyChanges || data != last
            do {
                try await writer.write(ByteBuffer(string: changed ? "event: \(event)\ndata: \(data)\n\n" : ": \n\n"))
            } catch {
                return  // the browser has gone
            }
            if changed {
                last = data
                sent += 1
                if let maxEvents, sent >= maxEvents { return }
            }
            // An open tab must not hold a stopping server (SIGTERM) open.
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { return }
            guard let following = try? await next() else { return }
            current = following
        }
    }

    /// A stable 64-bit FNV-1a hash: the same page content gives the same fingerprint on every instance and stream.
    static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}

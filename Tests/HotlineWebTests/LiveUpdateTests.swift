import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
@testable import HotlineWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// Live updates of open pages: the stream's fingerprint stays put while nothing changes and moves when the
/// order, the list or the board does; nobody learns about pages outside their reach.
@Suite struct LiveUpdateTests {
    func print(_ client: any TestClientProtocol, _ path: String, cookie: String) async throws -> String? {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        let reply = try await ConsoleTests().page(
            client, WebRoutes.livePage + "?max_events=1&path=" + (path.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""), cookie: cookie)
        guard reply.status == .ok else { return "status \(reply.status.code)" }
        #expect(reply.headers[.contentType]?.hasPrefix("text/event-stream") == true)
        return reply.raw.split(separator: "\n").first { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) }
    }

    @Test(arguments: TestDatabase.available)
    func fingerprintsMoveWithTheDataAndStayWithinReach(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let console = ConsoleTests()
            let n = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
            let disp = try await console.logIn(client, "disp1")
            let list = "/orders?status=pending_dispatch&sort=due"
            let order1 = try #require(try await print(client, WebRoutes.order(n), cookie: disp))
            let list1 = try #require(try await print(client, list, cookie: disp))
            #expect(try await print(client, WebRoutes.order(n), cookie: disp) == order1, "nothing changed, nothing to tell")
            #expect(try await print(client, list, cookie: disp) == list1)

            _ = try await client.post(APIRoutes.action(n, "dispatch"), as: "disp1", ["lead_unit": "dist-east"])
            #expect(try await print(client, WebRoutes.order(n), cookie: disp) != order1)
            #expect(try await print(client, list, cookie: disp) != list1, "the order left the pending list")

            let sup = try await console.logIn(client, "sup1")
            let board1 = try #require(try await print(client, WebRoutes.supervision, cookie: sup))
            _ = try await client.post(APIRoutes.action(n, "urge"), as: "sup1", ["note": "请加快"])
            #expect(try await print(client, WebRoutes.supervision, cookie: sup) != board1)

            // Another district's order, a page the role may not open, a page without live data: the stream ends silently.
            let west = try await console.logIn(client, "west1")
            #expect(try await print(client, WebRoutes.order(n), cookie: west) == nil)
            #expect(try await print(client, WebRoutes.supervision, cookie: west) == "status 403")
            #expect(try await print(client, "/intake", cookie: disp) == nil)
            #expect(try await print(client, "https://elsewhere.example/", cookie: disp) == "status 422")
            // Pages carry the banner and the script.
            let page = try await console.page(client, WebRoutes.order(n), cookie: disp)
            #expect(page.raw.contains("id=\"live\"") && page.raw.contains("data-path=\"/orders/\(n)\"") && page.raw.contains("/assets/page-live.js"))
        }
    }
}

/// A live stream whose browser has gone stops at the next write instead of polling until the session ends.
@Suite struct LiveStreamEndTests {
    struct Gone: Error {}

    /// Counts the loop's looks at the data.
    final class LookCounter: Sendable {
        private let count = Mutex(0)
        func next() -> Int { count.withLock { $0 += 1; return $0 } }
        var value: Int { count.withLock { $0 } }
    }

    /// Accepts `accepted` writes, then fails as a socket does once the peer has closed it.
    struct GoneWriter: ResponseBodyWriter {
        var accepted: Int
        var written: [String] = []
        mutating func write(_ buffer: ByteBuffer) async throws {
            guard accepted > 0 else { throw Gone() }
            accepted -= 1
            written.append(String(buffer: buffer))
        }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }

    @Test func theLoopStopsWhenAWriteFailsEvenIfNothingChanged() async {
        let looks = LookCounter()
        var writer = GoneWriter(accepted: 1)
        await PageController.streamEvents(
            to: &writer, event: "page", first: "v1", onlyChanges: true, maxEvents: nil, heartbeat: .milliseconds(1)
        ) {
            // The page never changes; the bound only stops a loop that would otherwise run for ever.
            looks.next() < 50 ? "v1" : nil
        }
        #expect(writer.written == ["event: page\ndata: v1\n\n"])
        #expect(looks.value == 1, "one look after the browser went; the failed write ends the loop")
    }
}

/// Streams look again when the change feed rings, not on a timer: a ring before the wait is kept, a wait without one
/// ends at its timeout, and a stream wakes within its gap of a change.
@Suite struct LiveWakeTests {
    @Test func aRingIsKeptUntilTheNextWaitAndAWaitWithoutOneTimesOut() async throws {
        let wake = LiveWake()
        #expect(try await wake.wait(upTo: .milliseconds(20)) == false)
        wake.ring()
        wake.ring()
        #expect(try await wake.wait(upTo: .seconds(30)) == true, "kept while nobody waited")
        #expect(try await wake.wait(upTo: .milliseconds(20)) == false, "two rings before a wait are one")
        let waiting = Task { try await wake.wait(upTo: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(50))
        wake.ring()
        #expect(try await waiting.value == true)
    }

    @Test func aCancelledWaitEndsAtOnce() async throws {
        let wake = LiveWake()
        let waiting = Task { try await wake.wait(upTo: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(20))
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
    }

    /// A value several tasks read and write.
    final class Shared<Value: Sendable>: Sendable {
        private let value: Mutex<Value>
        init(_ value: Value) { self.value = Mutex(value) }
        var current: Value { value.withLock { $0 } }
        func set(_ new: Value) { value.withLock { $0 = new } }
    }

    /// A collecting writer that never fails.
    struct Collecting: ResponseBodyWriter {
        let lines: Shared<[String]>
        mutating func write(_ buffer: ByteBuffer) async throws { lines.set(lines.current + [String(buffer: buffer)]) }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }

    @Test func aChangeOnTheFeedIsSeenWithoutWaitingForTheHeartbeat() async throws {
        let feed = ChangeFeed()
        let wake = LiveWake()
        let key = feed.observe { batch in if batch.changes.contains(where: { $0.concerns(order: 7) }) { wake.ring() } }
        defer { feed.stopObserving(key) }
        let version = Shared(1)
        let written = Shared<[String]>([])
        let stream = Task {
            var writer = Collecting(lines: written)
            await PageController.streamEvents(
                to: &writer, event: "page", first: "v1", onlyChanges: true, maxEvents: 2, wake: wake, heartbeat: .seconds(600), gap: .zero
            ) { "v\(version.current)" }
        }
        try await Task.sleep(for: .milliseconds(100))
        feed.publish(ChangeBatch(changes: [.order(8)], local: false))  // another order: no look
        try await Task.sleep(for: .milliseconds(100))
        #expect(written.current == ["event: page\ndata: v1\n\n"])
        version.set(2)
        feed.publish(ChangeBatch(changes: [.order(7)], local: false))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await stream.value }
            group.addTask { try await Task.sleep(for: .seconds(20)); stream.cancel(); Issue.record("the change was not seen") }
            try await group.next()
            group.cancelAll()
        }
        #expect(written.current.last == "event: page\ndata: v2\n\n")
    }
}

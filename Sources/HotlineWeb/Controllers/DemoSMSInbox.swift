import Foundation
import HotlineDomain
import HotlineStorage
import Hummingbird
import Synchronization

/// 演示短信收件箱: in the demo (`serve --demo`) the SMS gateway's outbound URL points here, so that a person trying the
/// citizen portal can read the one-time code and the progress notices the platform sends, without a real SMS provider.
/// Registered only in the demo; it keeps the newest 100 messages in memory.
final class DemoSMSInbox: Sendable {
    struct Message: Sendable {
        var to: String
        var text: String
        var at: Date
    }

    static let path = "/demo/sms"
    private let messages = Mutex<[Message]>([])
    let clock: @Sendable () -> Date

    init(clock: @escaping @Sendable () -> Date) { self.clock = clock }

    struct Received: Decodable {
        var to: String
        var text: String
    }

    struct Page: Sendable {
        struct Row: Sendable {
            var to: String
            var text: String
            var at: String
        }
        var frame = PortalFrame(title: "演示短信收件箱")
        var rows: [Row]
        var hasRows: Bool
    }

    func register(on router: Router<AppRequestContext>, pages: PageRenderer) {
        router.post(RouterPath(Self.path)) { request, context in
            let buffer = try await request.body.collect(upTo: 64 * 1024)
            guard let received = try? JSONDecoder().decode(Received.self, from: Data(buffer: buffer)) else { throw APIError.malformed("应为短信 JSON") }
            self.messages.withLock { list in
                list.append(Message(to: received.to, text: received.text, at: self.clock()))
                if list.count > 100 { list.removeFirst(list.count - 100) }
            }
            return Response(status: .ok)
        }
        router.get(RouterPath(Self.path)) { _, _ in
            let rows = self.messages.withLock { $0 }.reversed().map { Page.Row(to: $0.to, text: $0.text, at: $0.at.chinaShort) }
            return try pages.response("demo-sms", Page(rows: rows, hasRows: !rows.isEmpty))
        }
    }
}

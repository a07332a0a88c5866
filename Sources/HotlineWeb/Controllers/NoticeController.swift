import Foundation
import HotlineApp
import HotlineDomain
import Hummingbird

/// 消息提醒 through the API, for other front ends: the caller's notices and marking them read, over the same
/// `NoticeDesk` as the console. Both need `orders:read`: a notice tells of an order, and marking it read changes only
/// the caller's own view of it.
struct NoticeController: Sendable {
    let notices: NoticeDesk
    let actors: ActorResolver
    let clock: @Sendable () -> Date

    struct NoticeView: Encodable {
        var id: Int64
        var at: Date
        var orderNumber: String
        var title: String
        var kindName: String
        var sentence: String
        var read: Bool
    }

    struct ListResponse: Encodable {
        var items: [NoticeView]
        /// Unread notices in all, counted up to 100.
        var unread: Int
        var page: Int
        var pageSize: Int
        var hasMore: Bool
    }

    struct ReadResponse: Encodable {
        /// How many of the notices named were unread until this request.
        var marked: Int
        var unread: Int
    }

    func register(on router: Router<AppRequestContext>) {
        let routes = router.scoped(.ordersRead, by: actors)
        routes.get(RouterPath(APIRoutes.notices)) { request, context in
            let actor = try context.user().actor
            let params = request.uri.queryParameters
            func value(_ key: String) -> String? { params.get(key).flatMap { $0.isEmpty ? nil : $0 } }
            var page = 1
            var size = 20
            if let p = value("page") {
                guard let n = Int(p), (1...100_000).contains(n) else { throw APIError.invalid("page", "应为正整数") }
                page = n
            }
            if let s = value("page_size") {
                guard let n = Int(s), (1...100).contains(n) else { throw APIError.invalid("page_size", "应在1到100之间") }
                size = n
            }
            var unreadOnly = false
            if let u = value("unread") {
                guard u == "true" || u == "false" else { throw APIError.invalid("unread", "应为 true 或 false") }
                unreadOnly = u == "true"
            }
            let result = try await notices.page(for: actor, unreadOnly: unreadOnly, page: page, size: size)
            return try APIJSON.response(ListResponse(
                items: result.notices.map {
                    NoticeView(id: $0.id, at: $0.at, orderNumber: $0.order.description, title: $0.title, kindName: $0.kindName, sentence: $0.sentence,
                               read: $0.read)
                },
                unread: result.unread, page: result.page, pageSize: result.size, hasMore: result.hasMore))
        }
        routes.post(RouterPath(APIRoutes.noticesRead)) { request, context in
            let actor = try context.user().actor
            let input = try await InputDecoder.decode(NoticeDesk.ReadInput.self, from: request)
            let marked = try await notices.mark(input, for: actor, at: clock())
            return try APIJSON.response(ReadResponse(marked: marked, unread: try await notices.unreadCount(for: actor)))
        }
    }
}

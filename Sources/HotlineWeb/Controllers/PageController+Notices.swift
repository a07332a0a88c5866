import Foundation
import HotlineApp
import HotlineDomain
import Hummingbird

/// 消息提醒 in the console: the list, 全部标为已读, and opening a notice (read, then its order). Every form carries the
/// CSRF token; every change is `NoticeDesk`'s, the same the API calls.
extension PageController {
    func registerNotices(_ router: PageRouter) {
        router.get(RouterPath(WebRoutes.notices)) { request, context in
            guard let signed = context.session else { return redirect(WebRoutes.login + "?next=" + WebRoutes.notices) }
            let query = request.uri.queryParameters
            let page = try await noticesPage(
                signed, unreadOnly: query.get("unread") == "true", page: max(1, query.get("page").flatMap { Int($0) } ?? 1),
                done: query.get("done") == "read" ? "已全部标为已读。" : nil)
            return try pages.response("notices", page)
        }
        router.post(RouterPath(WebRoutes.noticesRead)) { request, context in
            guard let signed = context.session else { return redirect(WebRoutes.login) }
            let body = try await request.body.collect(upTo: APIBody.maximumBytes)
            guard SessionCookie.formIsSameSite(request, sessionToken: signed.token, formToken: Self.field("_csrf", in: body)) else { throw APIError.csrfFailed }
            do {
                let input = try InputDecoder.decode(NoticeDesk.ReadInput.self, body: body, format: .form)
                try await app.notices.mark(input, for: signed.user.actor, at: clock())
            } catch {
                let e = APIError.from(error)
                return try pages.response("notices", try await noticesPage(signed, error: FieldLabels.message(e)), status: e.status)
            }
            return redirect(WebRoutes.notices + "?done=read")
        }
        router.post(RouterPath(WebRoutes.noticeOpen(":id"))) { request, context in
            guard let signed = context.session else { return redirect(WebRoutes.login) }
            let body = try await request.body.collect(upTo: APIBody.maximumBytes)
            guard SessionCookie.formIsSameSite(request, sessionToken: signed.token, formToken: Self.field("_csrf", in: body)) else { throw APIError.csrfFailed }
            guard let id = context.parameters.get("id").flatMap(Int64.init), id > 0 else { throw APIError.notFound("消息") }
            let order = try await app.notices.open(id, for: signed.user.actor, at: clock())
            return redirect(WebRoutes.order(order.description))
        }
    }

    func noticesPage(_ s: Signed, unreadOnly: Bool = false, page: Int = 1, done: String? = nil, error: String? = nil) async throws -> NoticesPage {
        let notices = try await app.notices.page(for: s.user.actor, unreadOnly: unreadOnly, page: page)
        var user = pageUser(s)
        // The bell agrees with the list, whatever was marked since the request began.
        let alerts = try await app.topics.alerts(for: s.user)
        let unread = notices.unread + alerts.filter { !$0.read }.count
        user.bell(unread: unread)
        var model = NoticesPage(user: user, notices: notices, unreadOnly: unreadOnly, done: done, error: error)
        // The summary counts what the bell counts: the order notices and the unread hot-topic alerts.
        model.summary = NoticesPage.summary(unread: unread)
        model.topicAlerts = alerts.filter { !unreadOnly || !$0.read }.map {
            NoticesPage.TopicAlert(label: $0.topic.label, size: "\($0.topic.size) 件", scope: TopicRow.scopeName(kind: $0.topic.scopeKind, value: $0.topic.scopeValue),
                                   href: WebRoutes.insightTopic(String($0.topic.id)), unread: !$0.read)
        }
        return model
    }
}

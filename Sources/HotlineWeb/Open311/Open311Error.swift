import Foundation
import HotlineApp
import HotlineDomain
import Hummingbird

/// An Open311 refusal in the specification's terms: a status that is its `code` — 403 for a missing or bad key, 404 for
/// an unknown service, request, token or format, 429 when the intake limits are reached, 400 for anything else the
/// client got wrong — and a description in plain Chinese. Written as `[{"code": 403, "description": "…"}]` or
/// `<errors><error><code>403</code><description>…</description></error></errors>`.
struct Open311Error: Error, Equatable {
    var status: HTTPResponse.Status
    var description: String
    /// Seconds to wait (429).
    var retryAfter: Int?

    static func badRequest(_ description: String) -> Open311Error { Open311Error(status: .badRequest, description: description) }
    static func notFound(_ description: String) -> Open311Error { Open311Error(status: .notFound, description: description) }
    static let badKey = Open311Error(status: .forbidden, description: "api_key 缺失、无效、已过期或未授权 open311 范围")

    var document: Open311Document {
        .list(item: "error", [.object([("code", .integer(status.code)), ("description", .text(description))])])
    }

    func response(_ format: Open311Format) -> Response {
        var response = document.response(format, root: "errors", status: status)
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }

    /// Whatever a use case threw, in Open311's few codes; the description is the platform's own message.
    static func from(_ error: any Error) -> Open311Error {
        if let e = error as? Open311Error { return e }
        let api = APIError.from(error)
        switch api.status.code {
        case 401, 403: return Open311Error(status: .forbidden, description: api.message)
        case 404: return .notFound(api.message)
        case 429: return Open311Error(status: .tooManyRequests, description: api.message, retryAfter: api.retryAfter)
        case 500...: return Open311Error(status: api.status, description: api.message)
        default: return .badRequest(api.message)
        }
    }
}

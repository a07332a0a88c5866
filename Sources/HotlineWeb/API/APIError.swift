import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird
import NIOCore

/// An error as the API reports it: a status, a stable machine code and a Chinese message.
///
///     {"error": {"code": "illegal_transition", "message": "工单当前状态为…"}}
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var field: String?
    /// Seconds to wait before trying again (429).
    public var retryAfter: Int?
    /// The reply review rules a refused reply failed, each with its Chinese explanation.
    var failedRules: [ReplyRuleResultView]?

    public init(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.retryAfter = retryAfter
    }

    public static let unauthenticated = APIError(.unauthorized, code: "unauthenticated", message: "请先登录（缺少、过期或已吊销的访问令牌）")

    public static let csrfFailed = APIError(.forbidden, code: "csrf_failed", message: "请求缺少有效的CSRF令牌或来源不符，请刷新页面后重试")

    public static func insufficientScope(_ scope: TokenScope) -> APIError {
        APIError(.forbidden, code: "insufficient_scope", message: "访问令牌的权限范围不包含 \(scope.rawValue)")
    }

    public static func lacks(_ capability: Capability, role: Role) -> APIError {
        APIError(.forbidden, code: "forbidden", message: "\(role.chineseName)无权\(capability.chineseName)")
    }

    public static func rateLimited(retryAfter seconds: TimeInterval) -> APIError {
        let wait = max(1, Int(seconds.rounded(.up)))
        return APIError(.tooManyRequests, code: "rate_limited", message: "请求过于频繁，请\(wait)秒后再试", retryAfter: wait)
    }

    public static func notFound(_ what: String) -> APIError { APIError(.notFound, code: "not_found", message: "\(what)不存在") }

    public static func malformed(_ detail: String) -> APIError { APIError(.badRequest, code: "malformed", message: "请求格式错误：\(detail)") }

    public static func invalid(_ field: String, _ message: String) -> APIError {
        APIError(.unprocessableContent, code: "invalid_field", message: "字段 \(field) 无效：\(message)", field: field)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try APIJSON.response(APIErrorBody(error: .init(code: code, message: message, field: field, failedRules: failedRules)), status: status)
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }

    /// Translates whatever a handler threw into the API's error vocabulary.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let e as APIError: return e
        case let e as LifecycleError: return from(lifecycle: e)
        case let e as AppError: return from(app: e)
        case let e as ReplyReviewRefusal:
            var refused = APIError(.unprocessableContent, code: "reply_review_failed", message: e.message, field: "text")
            refused.failedRules = e.failed.map(ReplyRuleResultView.init)
            return refused
        case let e as KnowledgeError: return from(knowledge: e)
        case let e as StoreError:
            switch e {
            case .notFound(let n): return .notFound("工单 \(n) ")
            case .sequenceExhausted: return APIError(.serviceUnavailable, code: "sequence_exhausted", message: "当日工单编号已用尽")
            }
        case let e as AttachmentPolicy.Refusal:
            switch e {
            case .tooLarge, .totalTooLarge: return APIError(.contentTooLarge, code: "attachment_too_large", message: e.message, field: "files")
            default: return APIError(.unprocessableContent, code: "attachment_refused", message: e.message, field: "files")
            }
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, code: "too_large", message: "请求体超过\(APIBody.maximumBytes / 1024)KB上限")
        case let e as HTTPError where e.status == .notFound:
            return .notFound("接口")
        case let e as HTTPError:
            return APIError(e.status, code: "http_\(e.status.code)", message: e.body ?? e.status.reasonPhrase)
        default:
            return APIError(.internalServerError, code: "internal", message: "服务器内部错误")
        }
    }

    static func from(app e: AppError) -> APIError {
        switch e {
        case .notFound(let what): return .notFound(what)
        case .lacks(let capability, let role): return .lacks(capability, role: role)
        case .forbidden(let code, let message, let field): return APIError(.forbidden, code: code, message: message, field: field)
        case .invalid(let field, let message): return .invalid(field, message)
        case .unprocessable(let code, let message, let field): return APIError(.unprocessableContent, code: code, message: message, field: field)
        case .conflict(let code, let message, let field): return APIError(.conflict, code: code, message: message, field: field)
        case .rateLimited(let wait, let message): return APIError(.tooManyRequests, code: "rate_limited", message: message, retryAfter: wait)
        }
    }

    static func from(lifecycle e: LifecycleError) -> APIError {
        switch e {
        case .notPermitted: return APIError(.forbidden, code: e.code, message: e.message)
        case .outOfScope: return APIError(.notFound, code: e.code, message: e.message)
        case .wrongUnit: return APIError(.forbidden, code: e.code, message: e.message)
        case .invalid(let field, _): return APIError(.unprocessableContent, code: e.code, message: e.message, field: field)
        case .unknownUnit, .unknownCategory, .notSubordinate, .cannotMergeIntoItself:
            return APIError(.unprocessableContent, code: e.code, message: e.message)
        case .illegalTransition, .returnWindowClosed, .extensionAlreadyPending, .noPendingExtension, .mergeTargetNotOpen, .cardNotWarranted,
             .alreadyEscalated, .notEscalated, .alreadyConsulted:
            return APIError(.conflict, code: e.code, message: e.message)
        }
    }
}

/// Turns every error thrown below it into a JSON error response.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = APIError.from(error)
            if apiError.status == .internalServerError {
                context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
            }
            return try apiError.response(from: request, context: context)
        }
    }
}

struct APIErrorBody: Encodable {
    struct Detail: Encodable {
        var code: String
        var message: String
        var field: String?
        var failedRules: [ReplyRuleResultView]?
    }
    var error: Detail
}

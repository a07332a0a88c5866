import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// What the discovery document says about this endpoint, and which jurisdiction it serves.
public struct Open311Settings: Sendable {
    /// The `jurisdiction_id` this endpoint serves; nil: any (a single-jurisdiction endpoint needs none). An empty
    /// `jurisdiction_id` counts as absent.
    public var jurisdiction: String?
    public var contact: String
    /// How an integrator obtains a key.
    public var keyService: String

    public init(
        jurisdiction: String? = nil, contact: String = "12345政务服务便民热线",
        keyService: String = "接口密钥由系统管理员签发（POST /api/v1/api-keys，权限范围 open311）"
    ) {
        self.jurisdiction = jurisdiction
        self.contact = contact
        self.keyService = keyService
    }
}

/// Open311 GeoReport v2 under `/open311/v2` (``Open311Routes``): the category tree as services, intake through
/// ``WorkOrderDesk/take(_:by:at:)`` with the `api_key`'s user as the actor and the intake rate limits, and reads of
/// orders showing only their public part (``Open311View/ServiceRequest/init(public:reference:)``). Every answer and
/// every refusal comes in the format the resource names, JSON or XML.
struct Open311Controller: Sendable {
    let desk: WorkOrderDesk
    let accounts: AccountStore
    let limiter: RateLimiter
    let clients: ClientAddress
    let settings: Open311Settings
    /// Whether the request reached the site over TLS (for the discovery's URL).
    let isSecure: @Sendable (Request) -> Bool
    let clock: @Sendable () -> Date

    /// When this endpoint's interface last changed (discovery's `changeset`).
    static let changeset = CivilDay(iso: "2026-12-01")!.start

    var catalogue: Open311Catalogue { Open311Catalogue(reference: desk.reference) }

    func register(on router: Router<AppRequestContext>) {
        router.get(RouterPath(Open311Routes.discoveryTemplate)) { request, context in
            await answer(request, format: context.parameters.get("format"), root: "discovery") { discovery(request).document }
        }
        router.get(RouterPath(Open311Routes.servicesTemplate)) { request, context in
            await answer(request, format: context.parameters.get("format"), root: "services") {
                .list(item: "service", catalogue.services.map(\.document))
            }
        }
        router.get(RouterPath(Open311Routes.serviceTemplate)) { request, context in
            let (code, format) = Open311Format.split(context.parameters.get("resource") ?? "")
            return await answer(request, format: format?.rawValue, root: "service_definition") {
                guard let definition = catalogue.definition(code) else { throw Open311Error.notFound("服务类型 \(code.prefix(64)) 不存在") }
                return definition.document
            }
        }
        router.get(RouterPath(Open311Routes.requestsTemplate)) { request, context in
            await answer(request, format: context.parameters.get("format"), root: "service_requests") { try await requests(request) }
        }
        router.post(RouterPath(Open311Routes.requestsTemplate)) { request, context in
            await answer(request, format: context.parameters.get("format"), root: "service_requests") { try await submit(request, context) }
        }
        router.get(RouterPath(Open311Routes.requestTemplate)) { request, context in
            let (id, format) = Open311Format.split(context.parameters.get("resource") ?? "")
            return await answer(request, format: format?.rawValue, root: "service_requests") { try await single(id) }
        }
        router.get(RouterPath(Open311Routes.tokenTemplate)) { request, context in
            let (token, format) = Open311Format.split(context.parameters.get("resource") ?? "")
            return await answer(request, format: format?.rawValue, root: "service_requests") {
                // No tokens are issued: POST requests answers with the order's number at once.
                throw Open311Error.notFound("令牌 \(token.prefix(64)) 不存在（本接口受理时即返回 service_request_id，不发放令牌）")
            }
        }
    }

    /// Runs `body` for a resource in `format` and writes its document, or the refusal, in that format; an unknown format
    /// is refused (404) in XML, the format GeoReport v2 requires of every endpoint.
    func answer(
        _ request: Request, format name: String?, root: String, _ body: () async throws -> Open311Document
    ) async -> Response {
        guard let format = name.flatMap({ Open311Format(rawValue: $0.lowercased()) }) else {
            return Open311Error.notFound("不支持的格式 \(name?.prefix(16) ?? "")：请使用 .json 或 .xml").response(.xml)
        }
        do {
            if let asked = Self.query(request)["jurisdiction_id"], !asked.isEmpty { try checkJurisdiction(asked) }
            return try await body().response(format, root: root)
        } catch {
            return Open311Error.from(error).response(format)
        }
    }

    /// The query string's fields, decoded as a form is (`+` is a space); a repeated field comma-joined.
    static func query(_ request: Request) -> [String: String] { FormFields.dictionary(request.uri.query ?? "") }

    func checkJurisdiction(_ asked: String) throws(Open311Error) {
        if let served = settings.jurisdiction, asked != served { throw .notFound("jurisdiction_id \(asked.prefix(64)) 不存在") }
    }

    func discovery(_ request: Request) -> Open311View.Discovery {
        let host = request.head.authority ?? "127.0.0.1"
        return Open311View.Discovery(
            changeset: Self.changeset, contact: settings.contact, keyService: settings.keyService,
            url: (isSecure(request) ? "https://" : "http://") + host + Open311Routes.base)
    }
}

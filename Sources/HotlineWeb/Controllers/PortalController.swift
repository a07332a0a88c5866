import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// The citizen portal (市民门户): plain pages for a phone, no staff login. A citizen proves a phone number with a
/// one-time code sent by SMS and then sends requests, follows their own requests and rates the answers; each page
/// only ever shows orders whose caller is that phone. Every form is limited per client address and per phone before
/// anything is read into the database.
struct PortalController: Sendable {
    let portal: PortalDesk
    let directory: DirectoryStore
    let pages: PageRenderer
    let limiter: RateLimiter
    let clients: ClientAddress
    let map: MapSetup
    let secureCookies: Bool
    /// Whether the demo's SMS inbox stands in for the SMS gateway (the verify page then links to it).
    var demoSMSInbox = false
    let clock: @Sendable () -> Date
    /// 存证: the order page's line on the latest signed checkpoint.
    var checkpoints: CheckpointDesk? = nil

    static let cookieName = "hotline_citizen"
    /// One-time codes asked for from one client address (on top of each phone's own budget in the database).
    static let codesPerAddress = RateLimit(requests: 10, interval: 600)
    /// Tries of a code from one client address.
    static let verifiesPerAddress = RateLimit(requests: 30, interval: 600)

    func register(on router: Router<AppRequestContext>) {
        router.get(RouterPath(PortalRoutes.home)) { request, context in
            try await page(request) { citizen, frame in
                var orders: [PublicOrderView] = []
                if let citizen { orders = try await portal.orders(of: citizen) }
                return try pages.response("portal-home", PortalHomePage(frame: frame.section("home", "首页"), orders: orders.map(PortalOrderRow.init)))
            }
        }
        router.get(RouterPath(PortalRoutes.scope)) { request, context in
            try await page(request) { _, frame in try pages.response("portal-scope", PortalScopePage(frame: frame.section("scope", "受理范围"))) }
        }
        router.get(RouterPath(PortalRoutes.verify)) { request, context in
            try await page(request) { _, frame in
                let next = PortalRoutes.safeNext(request.uri.queryParameters.get("next"))
                return try pages.response("portal-verify", verifyPage(frame.section("", "验证手机号"), tracking: false, next: next))
            }
        }
        router.post(RouterPath(PortalRoutes.verify)) { request, context in try await verifyPost(request, context, tracking: false) }
        router.get(RouterPath(PortalRoutes.track)) { request, context in
            try await page(request) { citizen, frame in
                let number = String((request.uri.queryParameters.get("number") ?? "").prefix(20))
                if citizen != nil, let order = OrderNumber(number) { return redirect(PortalRoutes.order(order.description)) }
                return try pages.response("portal-verify", verifyPage(frame.section("track", "进度查询"), tracking: true, next: PortalRoutes.home, number: number))
            }
        }
        router.post(RouterPath(PortalRoutes.track)) { request, context in try await verifyPost(request, context, tracking: true) }
        router.get(RouterPath(PortalRoutes.shortTrack)) { request, _ in
            let number = OrderNumber(request.uri.queryParameters.get("number") ?? "")
            return redirect(PortalRoutes.track + (number.map { "?number=\($0)" } ?? ""))
        }
        router.get(RouterPath(PortalRoutes.submit)) { request, context in
            try await page(request) { citizen, frame in
                let anonymous = request.uri.queryParameters.get("anonymous") == "1"
                return try pages.response("portal-submit", try await submitPage(frame.section("submit", "我要反映"), citizen: citizen, anonymous: anonymous))
            }
        }
        router.post(RouterPath(PortalRoutes.submit)) { request, context in try await submit(request, context) }
        router.get(RouterPath(PortalRoutes.order(":number"))) { request, context in
            try await page(request) { citizen, frame in
                let number = context.parameters.get("number") ?? ""
                guard let citizen else { return redirect(PortalRoutes.track + "?number=" + (OrderNumber(number)?.description ?? "")) }
                guard let order = OrderNumber(number), let view = try await portal.order(order, of: citizen) else { throw Self.notFound }
                var model = PortalOrderPage(frame: frame.section("track", "工单 \(order)"), view)
                if let checkpoints { model.checkpoint = try await checkpoints.standing(of: order, of: citizen).flatMap { CheckpointPanel($0) } }
                return try pages.response("portal-order", model)
            }
        }
        router.post(RouterPath(PortalRoutes.rate(":number"))) { request, context in try await rate(request, context) }
        router.get(RouterPath(PortalRoutes.photo(":number", ":sha256"))) { request, context in
            try await page(request) { citizen, _ in
                guard let citizen, let number = OrderNumber(context.parameters.get("number") ?? ""),
                      let file = try await portal.photo(number, sha256: context.parameters.get("sha256") ?? "", of: citizen)
                else { throw APIError.notFound("照片") }
                var headers = HTTPFields()
                headers[.contentType] = file.info.contentType
                headers[.contentDisposition] = AttachmentResponder.disposition(name: file.info.name, inline: true)
                headers[.contentSecurityPolicy] = "default-src 'none'; img-src 'self'; sandbox"
                headers[.cacheControl] = "private, no-store"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: file.data)))
            }
        }
        router.post(RouterPath(PortalRoutes.logout)) { request, context in
            try await page(request) { citizen, _ in
                if let token = request.cookies[Self.cookieName]?.value, citizen != nil {
                    let form = try await fields(request)
                    guard SessionCookie.formIsSameSite(request, sessionToken: token, formToken: form["_csrf"]) else { throw APIError.csrfFailed }
                    try await portal.signOut(session: token)
                }
                var response = redirect(PortalRoutes.home)
                response.setCookie(cookie("", maxAge: 0, request))
                return response
            }
        }
        router.get(RouterPath(PortalRoutes.shapes)) { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/geo+json"
            headers[.cacheControl] = "public, max-age=3600"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: map.geoJSON)))
        }
    }

    static let notFound = APIError(.notFound, code: "not_found", message: "未找到该工单：请核对工单编号，并使用反映诉求时留的手机号查询")

    // MARK: Frame and errors

    /// Runs a page with the citizen of the browser's session (if any); whatever it throws becomes a portal error page.
    func page(_ request: Request, _ body: (PortalDesk.Citizen?, PortalFrame) async throws -> Response) async throws -> Response {
        var frame = PortalFrame(title: "")
        do {
            let token = request.cookies[Self.cookieName]?.value ?? ""
            let citizen = try await portal.citizen(session: token, at: clock())
            frame = PortalFrame(title: "", citizen: citizen?.maskedPhone, csrf: citizen == nil ? nil : SessionCookie.csrfToken(forSession: token))
            return try await body(citizen, frame)
        } catch {
            let e = APIError.from(error)
            let model = PortalErrorPage(frame: frame.section("", "出错了"), heading: ErrorPage.heading(for: e.status), message: e.message)
            var response = try pages.response("portal-error", model, status: e.status)
            if let wait = e.retryAfter { response.headers[.retryAfter] = String(wait) }
            return response
        }
    }

    func redirect(_ location: String) -> Response { Response(status: .seeOther, headers: [.location: location]) }

    func cookie(_ token: String, maxAge: Int, _ request: Request) -> Cookie {
        Cookie(name: Self.cookieName, value: token, maxAge: maxAge, path: PortalRoutes.home, secure: secureCookies || clients.isSecure(request),
               httpOnly: true, sameSite: .lax)
    }

    /// A urlencoded form's fields (16 KiB at most).
    func fields(_ request: Request) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: 16 * 1024)
        var result: [String: String] = [:]
        for pair in String(decoding: Data(buffer: buffer), as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if let key = parts.first, !key.isEmpty { result[key] = parts.count > 1 ? parts[1] : "" }
        }
        return result
    }

    /// The message of a refusal as the form shows it.
    static func message(_ error: any Error) -> String { APIError.from(error).message }

    /// Whether the refusal is about what was typed (shown on the form) rather than a failure of the page.
    static func isFormError(_ error: any Error) -> Bool {
        let status = APIError.from(error).status
        return [.badRequest, .unprocessableContent, .tooManyRequests, .forbidden, .notFound, .conflict, .contentTooLarge].contains(status)
    }

    // MARK: Verify and track

    func verifyPage(_ frame: PortalFrame, tracking: Bool, next: String, number: String = "", phone: String = "", codeSent: Bool = false,
                    message: String? = nil, error: String? = nil) -> PortalVerifyPage {
        PortalVerifyPage(frame: frame, action: tracking ? PortalRoutes.track : PortalRoutes.verify, next: next, tracking: tracking, number: number,
                         phone: phone, codeSent: codeSent, message: message, error: error, heading: tracking ? "进度查询" : "验证手机号",
                         demoInbox: demoSMSInbox ? DemoSMSInbox.path : nil)
    }

    /// 获取验证码 / 验证 (and 查询 with an order number): one form, two steps.
    func verifyPost(_ request: Request, _ context: AppRequestContext, tracking: Bool) async throws -> Response {
        try await page(request) { _, frame in
            let client = clients.of(request, context)
            let form = try await fields(request)
            let frame = frame.section(tracking ? "track" : "", tracking ? "进度查询" : "验证手机号")
            let next = PortalRoutes.safeNext(form["next"])
            let phone = String((form["phone"] ?? "").prefix(20))
            let number = String((form["number"] ?? "").prefix(20))
            func again(codeSent: Bool, message: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
                try pages.response("portal-verify", verifyPage(frame, tracking: tracking, next: next, number: number, phone: phone, codeSent: codeSent,
                                                               message: message, error: error), status: status)
            }
            if tracking, OrderNumber(number) == nil {
                return try again(codeSent: false, error: "请填写正确的工单编号", status: .unprocessableContent)
            }
            if form["step"] == "verify" {
                do {
                    try await limiter.check("portal-verify|" + client, Self.verifiesPerAddress)
                    let token = try await portal.verify(phone: phone, code: form["code"] ?? "", at: clock())
                    var target = next
                    if tracking, let order = OrderNumber(number) {
                        // The number is checked against the verified phone on the order page: another's order answers
                        // there as an unknown one does.
                        target = PortalRoutes.order(order.description)
                    }
                    var response = redirect(target)
                    response.setCookie(cookie(token, maxAge: Int(portal.sessionLifetime), request))
                    return response
                } catch where Self.isFormError(error) {
                    return try again(codeSent: true, error: Self.message(error), status: APIError.from(error).status)
                }
            }
            do {
                try await limiter.check("portal-code|" + client, Self.codesPerAddress)
                try await portal.sendCode(to: phone, at: clock())
                let masked = (try? PortalDesk.phone(phone)).map(ContactPrivacy.maskPhone) ?? phone
                return try again(codeSent: true, message: "验证码已发送至 \(masked)，5分钟内有效。")
            } catch where Self.isFormError(error) {
                // A code sent a moment ago can still be typed in.
                let e = APIError.from(error)
                return try again(codeSent: e.status == .tooManyRequests, error: e.message, status: e.status)
            }
        }
    }

    // MARK: Submit

    func submitPage(
        _ frame: PortalFrame, citizen: PortalDesk.Citizen?, anonymous: Bool, values: [String: String] = [:], error: String? = nil
    ) async throws -> PortalSubmitPage {
        let allowed = try await portal.anonymousAllowed()
        let asAnonymous = anonymous && allowed
        let districts = try await directory.units().filter { $0.kind == .district }.compactMap(\.district)
        let kind = values["kind"] ?? ""
        return PortalSubmitPage(
            frame: frame, anonymous: asAnonymous, anonymousAllowed: allowed, showForm: citizen != nil || asAnonymous,
            kinds: RequestKind.allCases.map { PortalOption(value: $0.rawValue, label: $0.chineseName, selected: $0.rawValue == kind) },
            districts: districts.map { PortalOption(value: $0, label: $0, selected: $0 == values["district"]) },
            content: values["content"] ?? "", name: values["name"] ?? "", address: values["address"] ?? "",
            latitude: values["latitude"] ?? "", longitude: values["longitude"] ?? "", error: error,
            leaflet: map.leafletInstalled, tileURL: map.settings.tileURL ?? "", contentLimit: TextLimits.content,
            maxFiles: AttachmentPolicy.maxFiles, maxFileMB: AttachmentPolicy.maxFileBytes / 1024 / 1024,
            accept: "image/jpeg,image/png,image/gif,image/webp")
    }

    /// 提交: the limits first (client address, then the phone), then the form, then the one intake.
    func submit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await page(request) { citizen, frame in
            let frame = frame.section("submit", "我要反映")
            let client = clients.of(request, context)
            try await limiter.checkIntake(address: client, sender: citizen?.phone)
            let form = try await MultipartForm.read(request)
            let values = form.fields
            let anonymous = values["anonymous"] == "1"
            if let citizen, !anonymous {
                guard let token = request.cookies[Self.cookieName]?.value,
                      SessionCookie.formIsSameSite(request, sessionToken: token, formToken: values["_csrf"]) else { throw APIError.csrfFailed }
                _ = citizen
            }
            do {
                guard let kind = values["kind"].flatMap(RequestKind.init(rawValue:)) else {
                    throw AppError.invalid(field: "kind", message: "请选择诉求类型")
                }
                let files = try form.files.filter { $0.field == "files" && !($0.filename.isEmpty && $0.data.isEmpty) }
                    .map { try AttachmentUpload(name: $0.filename, data: $0.data) }
                for file in files where !file.info.contentType.hasPrefix("image/") {
                    throw AppError.invalid(field: "files", message: "只能上传照片（JPG、PNG、GIF、WebP）：\(file.info.name)")
                }
                func number(_ key: String) throws -> Double? {
                    guard let text = values[key], !text.isEmpty else { return nil }
                    guard let value = Double(text), value.isFinite else { throw AppError.invalid(field: key, message: "地图位置不正确") }
                    return value
                }
                let input = PortalDesk.Request(
                    kind: kind, content: values["content"] ?? "", name: anonymous ? "" : values["name"] ?? "",
                    district: values["district"].flatMap { $0.isEmpty ? nil : $0 }, address: values["address"] ?? "",
                    latitude: try number("latitude"), longitude: try number("longitude"), anonymous: anonymous)
                let order = try await portal.submit(input, as: anonymous ? nil : citizen, files: files, at: clock())
                return try pages.response("portal-done", PortalDonePage(
                    frame: frame.section("submit", "提交成功"), number: order.number.description, anonymous: anonymous,
                    href: PortalRoutes.order(order.number.description)))
            } catch where Self.isFormError(error) {
                let page = try await submitPage(frame, citizen: citizen, anonymous: anonymous, values: values,
                                                error: FieldLabels.message(APIError.from(error)))
                return try pages.response("portal-submit", page, status: APIError.from(error).status)
            }
        }
    }

    // MARK: Rate

    /// 评价: the citizen's own order, once closed.
    func rate(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await page(request) { citizen, frame in
            let number = context.parameters.get("number") ?? ""
            guard let citizen, let token = request.cookies[Self.cookieName]?.value else {
                return redirect(PortalRoutes.track + "?number=" + (OrderNumber(number)?.description ?? ""))
            }
            guard let order = OrderNumber(number) else { throw Self.notFound }
            let form = try await fields(request)
            guard SessionCookie.formIsSameSite(request, sessionToken: token, formToken: form["_csrf"]) else { throw APIError.csrfFailed }
            let frame = frame.section("track", "工单 \(order)")
            do {
                guard let satisfaction = form["satisfaction"].flatMap(Satisfaction.init(rawValue:)) else {
                    throw AppError.invalid(field: "satisfaction", message: "请选择是否满意")
                }
                var stars: Int?
                if let text = form["stars"], !text.isEmpty {
                    guard let value = Int(text) else { throw AppError.invalid(field: "stars", message: "星级应为1至5") }
                    stars = value
                }
                let view = try await portal.rate(order, satisfaction: satisfaction, stars: stars, comment: form["comment"] ?? "", by: citizen, at: clock())
                return try pages.response("portal-order", PortalOrderPage(frame: frame, view, message: "感谢您的评价！"))
            } catch where Self.isFormError(error) && APIError.from(error).status != .notFound {
                guard let view = try await portal.order(order, of: citizen) else { throw Self.notFound }
                return try pages.response("portal-order", PortalOrderPage(frame: frame, view, error: FieldLabels.message(APIError.from(error))),
                                          status: APIError.from(error).status)
            }
        }
    }
}

struct PortalErrorPage: Sendable {
    var frame: PortalFrame
    var heading: String
    var message: String
}

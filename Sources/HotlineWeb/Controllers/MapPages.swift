import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// The map's console page (`/insight/map`, dispatchers, supervisors and managers) and Leaflet's files, served from
/// Debian's libjs-leaflet under `/assets/leaflet/`.
struct MapPages: Sendable {
    let controller: PageController
    let map: OrderMap
    let setup: MapSetup

    func register(on router: Router<AppRequestContext>) {
        router.get(RouterPath(WebRoutes.leaflet + "/:name")) { _, context in try leaflet(context.parameters.get("name") ?? "") }
        router.get(RouterPath(WebRoutes.leaflet + "/images/:name")) { _, context in try leaflet("images/" + (context.parameters.get("name") ?? "")) }
        let pages = PageRouter(routes: router.group().add(middleware: ResolveSession(controller: controller)), controller: controller)
        pages.get(RouterPath(WebRoutes.insightMap)) { request, context in
            guard let signed = context.session else { return controller.redirect(WebRoutes.login + "?next=" + WebRoutes.insightMap) }
            guard Capability.viewMap.isAllowed(for: signed.user.role) else { throw APIError.lacks(.viewMap, role: signed.user.role) }
            let filters = MapController.filters(request)
            let view = try await map.view(filters, for: signed.user, now: controller.clock())
            let page = MapPage(user: controller.pageUser(signed), filters: filters, view: view, shapes: setup.shapes, reference: map.services.reference,
                               leaflet: setup.leafletInstalled, tileURL: setup.settings.tileURL)
            var response = try controller.pages.response("map", page)
            if let origin = setup.tileOrigin {
                response.headers[.contentSecurityPolicy] = PageRenderer.contentSecurityPolicy.replacingOccurrences(of: "img-src 'self'", with: "img-src 'self' " + origin)
            }
            return response
        }
    }

    func leaflet(_ name: String) throws -> Response {
        guard let file = setup.leafletFile(name) else { throw APIError.notFound("文件") }
        var headers = HTTPFields()
        headers[.contentType] = file.type
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: file.data)))
    }
}

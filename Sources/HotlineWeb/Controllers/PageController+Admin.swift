import Foundation
import HotlineDomain
import HotlineStorage
import Hummingbird

/// Administration pages (系统管理), for the roles that hold the administration capabilities (the admin). Every
/// change goes through the same checks and stores as the JSON API (`AdminController`, `CatalogueController`,
/// `ReferenceController`), so audit lines, token revocation and reference reloads are the API's own.
extension PageController {
    /// A posted administration form whose session, CSRF token and capability have been checked.
    struct AdminPost: Sendable {
        var signed: Signed
        var form: [String: String]
        /// The `{id}` of the path, if any.
        var id: String
        var client: String

        /// A field's text; absent fields read as empty.
        subscript(_ name: String) -> String { form[name] ?? "" }
        /// A field's text, nil when absent or blank.
        func optional(_ name: String) -> String? {
            guard let v = form[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return v
        }
    }

    func registerAdmin(_ router: PageRouter) {
        adminGet(router, WebRoutes.admin, .manageUnits) { s, _, _ in
            try pages.response("admin", AdminIndexPage(user: pageUser(s), sections: AdminSection.all(current: nil)))
        }
        registerUnitPages(router)
        registerUserPages(router)
        registerReferencePages(router)
        registerCalendarPages(router)
        registerRestrictionPages(router)
        registerReplyRulesPages(router)
        registerWebhookPages(router)
        registerSLARulePages(router)
        registerChannelPages(router)
    }

    /// 403 unless the user's role holds `capability` (the check the API makes).
    func require(_ capability: Capability, _ s: Signed) throws {
        guard capability.isAllowed(for: s.user.role) else { throw APIError.lacks(capability, role: s.user.role) }
    }

    /// An administration page: signed in (else the login page), and allowed (else the 403 page).
    func adminGet(
        _ router: PageRouter, _ path: String, _ capability: Capability,
        _ render: @escaping @Sendable (Signed, Request, _ id: String) async throws -> Response
    ) {
        router.get(RouterPath(path)) { request, context in
            guard let s = context.session else { return redirect(WebRoutes.login + "?next=" + request.uri.path) }
            try require(capability, s)
            return try await render(s, request, context.parameters.get("id") ?? "")
        }
    }

    /// An administration form: signed in, CSRF token, capability; then `act` returns where to go (303), or its
    /// refusal is shown by `failed` with the error's status. Missing targets answer with the 404 page.
    func adminPost(
        _ router: PageRouter, _ path: String, _ capability: Capability,
        act: @escaping @Sendable (AdminPost) async throws -> String,
        failed: @escaping @Sendable (AdminPost, APIError) async throws -> Response
    ) {
        router.post(RouterPath(path)) { request, context in
            guard let (s, form) = try await postedForm(request, context, requiring: capability) else { return redirect(WebRoutes.login) }
            let post = AdminPost(signed: s, form: form, id: context.parameters.get("id") ?? "", client: auth.clients.of(request, context))
            do {
                return redirect(try await act(post))
            } catch {
                let e = APIError.from(error)
                guard e.status != .notFound else { throw e }
                return try await failed(post, e)
            }
        }
    }

    /// An API error as a form shows it: the field's label instead of its API name.
    static func adminMessage(_ e: APIError) -> String { FieldLabels.message(e) }

    /// Units in tree order (parents before children, siblings by id) with their depth.
    static func unitTree(_ units: [HandlingUnit]) -> [(unit: HandlingUnit, depth: Int)] {
        let ids = Set(units.map(\.id))
        var children: [UnitID: [HandlingUnit]] = [:]
        var roots: [HandlingUnit] = []
        for u in units.sorted(by: { $0.id < $1.id }) {
            if let p = u.parentID, ids.contains(p), p != u.id { children[p, default: []].append(u) } else { roots.append(u) }
        }
        var result: [(HandlingUnit, Int)] = []
        var seen: Set<UnitID> = []
        func walk(_ u: HandlingUnit, _ depth: Int) {
            guard seen.insert(u.id).inserted else { return }
            result.append((u, depth))
            for c in children[u.id] ?? [] { walk(c, depth + 1) }
        }
        for r in roots { walk(r, 0) }
        // Whatever a broken parent link left out still shows, at the top level.
        for u in units where !seen.contains(u.id) { walk(u, 0) }
        return result
    }

    /// Units as select options, indented by depth.
    static func unitOptions(_ units: [HandlingUnit], selected: String?, none: String?, excluding: UnitID? = nil) -> [PageOption] {
        var options = none.map { [PageOption(value: "", label: $0, selected: (selected ?? "").isEmpty)] } ?? []
        for (u, depth) in unitTree(units) where u.id != excluding {
            options.append(PageOption(value: u.id, label: String(repeating: "　", count: depth) + u.name, selected: u.id == selected))
        }
        return options
    }
}

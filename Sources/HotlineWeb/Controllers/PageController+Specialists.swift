import Foundation
import HotlineApp
import HotlineDomain
import Hummingbird

/// 驻场分析 in the console and the API, over `SpecialistDesk`: `/insight/specialists` (the page and the stationing form)
/// and `GET /api/v1/specialists?from&to`.
extension PageController {
    func registerSpecialists(_ router: PageRouter) {
        adminGet(router, WebRoutes.insightSpecialists, .viewMeasures) { s, request, _ in
            let p = request.uri.queryParameters
            let done = p.get("done") == "recorded" ? "驻场安排已记录。" : p.get("done") == "removed" ? "驻场安排已删除。" : nil
            return try pages.response("specialists", try await specialistPage(s, from: p.get("from"), to: p.get("to"), done: done))
        }
        adminPost(router, WebRoutes.insightSpecialists, .manageMeasures) { p in
            let f = p.form
            _ = try await app.specialists.record(
                .init(unitID: f["unit_id"] ?? "", from: f["from"] ?? "", to: f["to"], note: f["note"]), by: p.signed.user.actor, at: clock(),
                client: p.client)
            return WebRoutes.insightSpecialists + "?done=recorded"
        } failed: { p, e in
            try pages.response("specialists", try await specialistPage(p.signed, from: nil, to: nil, draft: p.form, error: Self.adminMessage(e)),
                               status: e.status)
        }
        adminPost(router, WebRoutes.insightSpecialistRemove(":id"), .manageMeasures) { p in
            guard let id = Int64(p.id) else { throw APIError.notFound("驻场安排") }
            try await app.specialists.remove(id, by: p.signed.user.actor, at: clock(), client: p.client)
            return WebRoutes.insightSpecialists + "?done=removed"
        } failed: { p, e in
            try pages.response("specialists", try await specialistPage(p.signed, from: nil, to: nil, error: Self.adminMessage(e)), status: e.status)
        }
    }

    /// The analysis period: `from`/`to` as the measures take them, the 90 days up to today when both are left out.
    static func specialistPeriod(from: String?, to: String?, today: CivilDay) throws(AppError) -> (CivilDay, CivilDay) {
        let blank = { (t: String?) in (t ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
        let start = blank(from) && blank(to) ? today.adding(days: -89).description : from
        let q = try MeasureQuery.parse(from: start, to: to, by: nil, subtree: nil, today: today)
        return (q.from, q.to)
    }

    func specialistPage(_ s: Signed, from: String?, to: String?, draft: [String: String]? = nil, done: String? = nil, error: String? = nil)
        async throws -> SpecialistPage
    {
        let today = CivilDay(containing: clock())
        let (start, end) = try Self.specialistPeriod(from: from, to: to, today: today)
        let report = try await app.specialists.report(from: start, to: end, for: s.user.actor, today: today)
        let names = services.reference.names.units
        let units = names.map { (id: $0.key, name: $0.value) }.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
        return SpecialistPage(
            user: pageUser(s), report: report, canManage: Capability.manageMeasures.isAllowed(for: s.user.role), units: units, draft: draft,
            done: done, error: error)
    }
}

/// The API of 驻场分析: the same report as the page, as JSON; rates in [0, 1] or null.
struct SpecialistController: Sendable {
    let desk: SpecialistDesk
    let actors: ActorResolver
    let clock: @Sendable () -> Date

    func register(on router: Router<AppRequestContext>) {
        router.scoped(.ordersRead, by: actors).get(RouterPath(APIRoutes.specialists)) { request, context in
            let actor = try context.user().actor
            let today = CivilDay(containing: clock())
            let p = request.uri.queryParameters
            let (from, to) = try InsightController.badRequest { try PageController.specialistPeriod(from: p.get("from"), to: p.get("to"), today: today) }
            return try APIJSON.response(SpecialistReportView(try await desk.report(from: from, to: to, for: actor, today: today)))
        }
    }
}

/// A rate as the API gives it: a number in [0, 1] rounded to six places, or an explicit null without a denominator.
struct NullableRate: Encodable {
    var value: Double?

    init(_ value: Double?) { self.value = value }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if let value { try c.encode((value * 1_000_000).rounded() / 1_000_000) } else { try c.encodeNil() }
    }
}

struct SpecialistReportView: Encodable {
    struct Row: Encodable {
        var place: Int
        var key: String
        var name: String
        var volume: Int
        var dispatched: Int
        var direct_answered: Int
        var dispatched_share: NullableRate
        var repeat_rate: NullableRate
        var dissatisfaction_rate: NullableRate
        var direct_answer_rate: NullableRate
        var score: Double
        var stationed: Bool

        init(_ r: SpecialistDesk.Row) {
            place = r.place
            key = r.key
            name = r.name
            volume = r.figures.volume
            dispatched = r.figures.counts.dispatched
            direct_answered = r.figures.counts.directAnswered
            dispatched_share = NullableRate(r.figures.dispatchedShare)
            repeat_rate = NullableRate(r.figures.repeatRate)
            dissatisfaction_rate = NullableRate(r.figures.dissatisfaction)
            direct_answer_rate = NullableRate(r.figures.directAnswerRate)
            score = (r.figures.score * 10).rounded() / 10
            stationed = r.stationed
        }
    }

    struct Stationing: Encodable {
        var id: Int64
        var unit_id: String
        var unit_name: String
        var from: String
        var to: String?
        var note: String
        var before_from: String
        var before_to: String
        var after_from: String
        var after_to: String
        var direct_answer_rate_before: NullableRate
        var direct_answer_rate_after: NullableRate
        var accepted_before: Int
        var accepted_after: Int
    }

    var from: String
    var to: String
    var departments: [Row]
    var categories: [Row]
    var stationings: [Stationing]
    var definitions: [String: String]

    init(_ r: SpecialistDesk.Report) {
        from = r.from.description
        to = r.to.description
        departments = r.departments.map(Row.init)
        categories = r.categories.map(Row.init)
        stationings = r.stationings.map { c in
            Stationing(
                id: c.stationing.id, unit_id: c.stationing.unitID, unit_name: c.unitName, from: c.stationing.from.description,
                to: c.stationing.to?.description, note: c.stationing.note, before_from: c.before.lowerBound.description,
                before_to: c.before.upperBound.description, after_from: c.after.lowerBound.description, after_to: c.after.upperBound.description,
                direct_answer_rate_before: NullableRate(c.rateBefore), direct_answer_rate_after: NullableRate(c.rateAfter), accepted_before: c.countsBefore.accepted,
                accepted_after: c.countsAfter.accepted)
        }
        definitions = [
            "volume": "accepted orders in the period",
            "dispatched_share": "dispatched / accepted",
            "repeat_rate": "repeated / accepted",
            "dissatisfaction_rate": "(rated - satisfied - basically satisfied) / rated",
            "direct_answer_rate": "direct answered / accepted",
            "score": "100 * (0.4 * volume / largest volume + 0.3 * dispatched_share + 0.2 * repeat_rate + 0.1 * dissatisfaction_rate)",
            "attribution": "an undispatched order counts for the city-wide dispatch catalogue unit of its category or nearest ancestor",
        ]
    }
}

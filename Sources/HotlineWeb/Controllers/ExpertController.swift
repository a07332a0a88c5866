import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// Expert seats (专家坐席) through the API: the seats (managers add and edit them), questions to a seat — a call
/// escalated as a transfer or a three-way call, or a written question —, the specialist's answer, and the knowledge
/// draft made from it. Every call is an `ExpertDesk` use case, the same the console calls.
struct ExpertController: Sendable {
    let desk: ExpertDesk
    let directory: DirectoryStore
    let reference: ReferenceData
    let actors: ActorResolver
    let clients: ClientAddress
    let clock: @Sendable () -> Date

    func register(on router: Router<AppRequestContext>) {
        let readRoutes = router.scoped(.ordersRead, by: actors)
        let actRoutes = router.scoped(.ordersAct, by: actors)
        readRoutes.get(RouterPath(APIRoutes.expertSeats)) { request, context in
            let params = request.uri.queryParameters
            let state = params.get("state") ?? ""
            guard state.isEmpty || state == "all" else {
                throw APIError(.badRequest, code: "invalid_field", message: "state 应为 all（含已停用的坐席）或不填", field: "state")
            }
            let seats = try await desk.seats(for: try context.user(), category: params.get("category"), includingRetired: state == "all", at: clock())
            return try APIJSON.response(["items": seats.map(ExpertSeatJSON.init)])
        }
        actRoutes.post(RouterPath(APIRoutes.expertSeats)) { request, context in
            let user = try context.require(.manageExpertSeats)
            let input = try await request.decode(as: ExpertDesk.SeatInput.self, context: context)
            let seat = try await desk.addSeat(input, by: user, at: clock(), client: clients.of(request, context))
            return try APIJSON.response(try await view(seat, for: user), status: .created)
        }
        actRoutes.put(RouterPath(APIRoutes.expertSeat(":id"))) { request, context in
            let user = try context.require(.manageExpertSeats)
            let input = try await request.decode(as: ExpertDesk.SeatInput.self, context: context)
            let seat = try await desk.editSeat(try Self.id(context, "专家坐席"), input, by: user, at: clock(), client: clients.of(request, context))
            return try APIJSON.response(try await view(seat, for: user))
        }
        readRoutes.get(RouterPath(APIRoutes.expertConsultations)) { request, context in
            let user = try context.user()
            let statusText = request.uri.queryParameters.get("status") ?? ""
            var status: ConsultationStatus?
            if !statusText.isEmpty {
                guard let s = ConsultationStatus(rawValue: statusText) else {
                    throw APIError(.badRequest, code: "invalid_field", message: "status 应为 waiting（待解答）或 answered（已解答）", field: "status")
                }
                status = s
            }
            let viewText = request.uri.queryParameters.get("view") ?? ""
            guard viewText.isEmpty || ExpertDesk.ListView(rawValue: viewText) != nil else {
                throw APIError(.badRequest, code: "invalid_field", message: "view 应为 asked（我提出的）或 seats（我所在坐席的）", field: "view")
            }
            let list = try await desk.consultations(for: user, status: status, view: ExpertDesk.ListView(rawValue: viewText))
            let names = try await self.names()
            let seats = try await desk.seatNames(for: user)
            return try APIJSON.response(["items": list.map { ConsultationJSON($0, seatName: seats[$0.seatID] ?? "", names: names, reference: reference) }])
        }
        readRoutes.get(RouterPath(APIRoutes.expertConsultation(":id"))) { _, context in
            let (c, seat) = try await desk.consultation(try Self.id(context, "专家会商"), for: try context.user())
            return try APIJSON.response(ConsultationJSON(c, seatName: seat.content.name, names: try await names(), reference: reference))
        }
        actRoutes.post(RouterPath(APIRoutes.expertConsultations)) { request, context in
            let user = try context.require(.consultExperts)
            let input = try await request.decode(as: ExpertDesk.AskInput.self, context: context)
            let c = try await desk.ask(input, by: user, at: clock(), client: clients.of(request, context))
            return try APIJSON.response(ConsultationJSON(c, seatName: try await desk.seatNames(for: user)[c.seatID] ?? "", names: try await names(), reference: reference), status: .created)
        }
        actRoutes.post(RouterPath(APIRoutes.answerConsultation(":id"))) { request, context in
            let user = try context.require(.answerAsExpert)
            let input = try await request.decode(as: ExpertDesk.AnswerInput.self, context: context)
            let c = try await desk.answer(try Self.id(context, "专家会商"), input, by: user, at: clock(), client: clients.of(request, context))
            let (_, seat) = try await desk.consultation(c.id, for: user)
            return try APIJSON.response(ConsultationJSON(c, seatName: seat.content.name, names: try await names(), reference: reference))
        }
        actRoutes.post(RouterPath(APIRoutes.consultationDraft(":id"))) { _, context in
            let entry = try await desk.draftKnowledge(try Self.id(context, "专家会商"), by: try context.user(), at: clock())
            return try APIJSON.response(["knowledge_entry_id": entry], status: .created)
        }
    }

    func names() async throws -> [String: String] {
        Dictionary(try await directory.users().map { ($0.id, $0.displayName) }, uniquingKeysWith: { a, _ in a })
    }

    func view(_ seat: ExpertSeat, for user: UserAccount) async throws -> ExpertSeatJSON {
        guard let view = try await desk.seats(for: user, includingRetired: true, at: clock()).first(where: { $0.seat.id == seat.id }) else {
            throw APIError.notFound("专家坐席 ")
        }
        return ExpertSeatJSON(view)
    }

    static func id(_ context: AppRequestContext, _ what: String) throws -> Int64 {
        let text = context.parameters.get("id") ?? ""
        guard let id = Int64(text) else { throw APIError.notFound("\(what) \(text) ") }
        return id
    }
}

/// A seat as the API shows it.
struct ExpertSeatJSON: Encodable {
    struct Named: Encodable {
        var id: String
        var name: String
    }

    var id: Int64
    var name: String
    var unitId: String
    var unitName: String
    var matters: [Named]
    var hours: String
    var specialists: [Named]
    var note: String
    var active: Bool
    var staffed: Bool
    var waiting: Int

    init(_ v: ExpertDesk.SeatView) {
        let c = v.seat.content
        id = v.seat.id
        name = c.name
        unitId = c.unitID
        unitName = v.unitName
        matters = zip(c.matters, v.matterNames).map { Named(id: $0, name: $1) }
        hours = c.hours.map(\.text).joined(separator: " ")
        specialists = zip(c.specialists, v.specialistNames).map { Named(id: $0, name: $1) }
        note = c.note
        active = v.seat.active
        staffed = v.staffed
        waiting = v.waiting
    }
}

/// A consultation as the API shows it.
struct ConsultationJSON: Encodable {
    var id: Int64
    var seatId: Int64
    var seatName: String
    var question: String
    var categoryCode: String?
    var categoryName: String?
    var callId: String?
    var orderNumber: String?
    var threeWay: Bool
    var askedBy: String
    var askedByName: String
    var askedAt: Date
    var status: String
    var statusName: String
    var answer: String?
    var answeredBy: String?
    var answeredByName: String?
    var answeredAt: Date?
    var knowledgeEntryId: Int64?

    init(_ c: ExpertConsultation, seatName: String, names: [String: String], reference: ReferenceData) {
        id = c.id
        seatId = c.seatID
        self.seatName = seatName
        question = c.question
        categoryCode = c.categoryCode
        categoryName = c.categoryCode.flatMap(reference.categoryName)
        callId = c.callID
        orderNumber = c.orderNumber?.description
        threeWay = c.threeWay
        askedBy = c.askedBy
        askedByName = names[c.askedBy] ?? c.askedBy
        askedAt = c.askedAt
        status = c.status.rawValue
        statusName = c.status.chineseName
        answer = c.answer
        answeredBy = c.answeredBy
        answeredByName = c.answeredBy.map { names[$0] ?? $0 }
        answeredAt = c.answeredAt
        knowledgeEntryId = c.knowledgeEntryID
    }
}

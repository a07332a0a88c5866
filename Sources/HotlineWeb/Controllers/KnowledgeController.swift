import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// The knowledge base (知识库): ranked search for agents, the editors' review loop with its history,
/// feedback on suggested answers, and CSV import.
struct KnowledgeController: Sendable {
    let knowledge: KnowledgeBase
    let desk: KnowledgeDesk
    let actors: ActorResolver
    let clock: @Sendable () -> Date

    /// The largest CSV accepted by import.
    static let importLimit = 4 * 1024 * 1024

    struct EntryView: Encodable {
        var id: Int64
        var status: KnowledgeStatus
        var statusName: String
        var version: Int
        var content: KnowledgeContent
        var published: KnowledgeContent?
        var publishedVersion: Int?
        var createdAt: Date
        var createdBy: String
        var updatedAt: Date
        var editedBy: String
        var used: Int
        var notUseful: Int

        init(_ s: KnowledgeStore.Stored) {
            id = s.entry.id
            status = s.entry.status
            statusName = s.entry.status.chineseName
            version = s.entry.version
            content = s.entry.content
            published = s.entry.published
            publishedVersion = s.entry.publishedVersion
            createdAt = s.entry.createdAt
            createdBy = s.entry.createdBy
            updatedAt = s.entry.updatedAt
            editedBy = s.entry.editedBy
            used = s.used
            notUseful = s.notUseful
        }
    }

    func register(on router: Router<AppRequestContext>) {
        let referenceReadRoutes = router.scoped(.referenceRead, by: actors)
        let adminRoutes = router.scoped(.admin, by: actors)
        referenceReadRoutes.get(RouterPath(APIRoutes.knowledgeSearch)) { request, context in
            _ = try context.require(.searchKnowledge)
            let params = request.uri.queryParameters
            let q = params.get("q") ?? ""
            guard !q.trimmingCharacters(in: .whitespaces).isEmpty, q.count <= 2000 else { throw APIError.invalid("q", "检索词不能为空且不能超过2000字") }
            let limit = try params.get("limit").map { text -> Int in
                guard let n = Int(text), (1...50).contains(n) else { throw APIError.invalid("limit", "应在1到50之间") }
                return n
            } ?? 10
            return try APIJSON.response(["items": knowledge.search(q, limit: limit, now: clock())])
        }
        referenceReadRoutes.get(RouterPath(APIRoutes.knowledge)) { request, context in
            _ = try context.require(.manageKnowledge)
            let params = request.uri.queryParameters
            let status = try params.get("status").flatMap { $0.isEmpty ? nil : $0 }.map { text -> KnowledgeStatus in
                guard let s = KnowledgeStatus(rawValue: text) else { throw APIError.invalid("status", "未知取值 \(text)") }
                return s
            }
            let page = try Paging(params)
            return try APIJSON.response(["items": try await knowledge.store.list(status: status, limit: page.size, offset: page.offset).map(EntryView.init)])
        }
        referenceReadRoutes.get(RouterPath(APIRoutes.knowledgeEntry(":id"))) { request, context in
            let user = try context.require(.searchKnowledge)
            let text = context.parameters.get("id") ?? ""
            guard let id = Int64(text) else { throw APIError.notFound("知识条目 \(text) ") }
            // Readers other than editors see an entry in service; the working copy and history are for editors (the
            // console's rule, one use case).
            let record = try await desk.entry(id, for: user)
            struct Detail: Encodable {
                var entry: EntryView
                var history: [KnowledgeRevision]
            }
            return try APIJSON.response(Detail(entry: EntryView(record.stored), history: record.history))
        }
        adminRoutes.post(RouterPath(APIRoutes.knowledge)) { request, context in
            let user = try context.require(.manageKnowledge)
            let input = try await request.decode(as: KnowledgeDesk.ContentInput.self, context: context)
            return try APIJSON.response(EntryView(try await desk.create(input, by: user, at: clock())), status: .created)
        }
        // 转为知识草稿: with no body, the draft is the order's request and answer as they stand; a body is the wording
        // to draft instead (the entry's fields, as for a new entry).
        adminRoutes.post(RouterPath(APIRoutes.knowledgeDraft(":number"))) { request, context in
            let user = try context.require(.draftKnowledge)
            let text = context.parameters.get("number") ?? ""
            guard let number = OrderNumber(text) else { throw APIError.notFound("工单 \(text) ") }
            let body = try await InputDecoder.readJSON(request)
            let created = body.readableBytes == 0
                ? try await desk.createDraft(fromOrder: number, by: user, at: clock())
                : try await desk.create(try InputDecoder.decode(KnowledgeDesk.ContentInput.self, body: body, format: .json), from: number, by: user, at: clock())
            return try APIJSON.response(EntryView(created), status: .created)
        }
        adminRoutes.post(RouterPath(APIRoutes.knowledgeImport)) { request, context in
            let user = try context.require(.manageKnowledge)
            let buffer = try await request.body.collect(upTo: Self.importLimit)
            let text = String(decoding: Data(buffer: buffer), as: UTF8.self)
            return try APIJSON.response(try await desk.importCSV(text, by: user, at: clock()), status: .created)
        }
        adminRoutes.post(RouterPath(APIRoutes.knowledgeAction(":id", ":action"))) { request, context in try await act(request, context) }
    }

    func act(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let name = context.parameters.get("action") ?? ""
        if name == "feedback" { return try await feedback(request, context) }
        let user = try context.require(.manageKnowledge)
        guard let action = KnowledgeAction(rawValue: name), action != .create else { throw APIError.notFound("操作 \(name) ") }
        let text = context.parameters.get("id") ?? ""
        guard let id = Int64(text) else { throw APIError.notFound("知识条目 \(text) ") }
        let content = action == .edit ? try await request.decode(as: KnowledgeDesk.ContentInput.self, context: context) : nil
        let note = action == .edit ? nil : try await InputDecoder.decode(KnowledgeDesk.NoteInput.self, from: request, emptyAllowed: true)
        return try APIJSON.response(EntryView(try await desk.act(action, on: id, content: content, note: note, by: user, at: clock())))
    }

    /// POST /knowledge/{id}/feedback `{useful, order_number?, query?}`: an agent says whether a suggestion helped.
    func feedback(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.require(.searchKnowledge)
        let text = context.parameters.get("id") ?? ""
        let input = try await request.decode(as: KnowledgeDesk.FeedbackInput.self, context: context)
        guard let id = Int64(text) else { throw APIError.notFound("知识条目 \(text) ") }
        let counts = try await desk.feedback(input, on: id, by: user, at: clock())
        return try APIJSON.response(["used": counts.used, "not_useful": counts.notUseful])
    }
}

extension APIError {
    static func from(knowledge e: KnowledgeError) -> APIError {
        switch e {
        case .notPermitted: APIError(.forbidden, code: e.code, message: e.message)
        case .illegal, .ownWording: APIError(.conflict, code: e.code, message: e.message)
        case .invalid(let field, _): APIError(.unprocessableContent, code: e.code, message: e.message, field: field)
        }
    }
}

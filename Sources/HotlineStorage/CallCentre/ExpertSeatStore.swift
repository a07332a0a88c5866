import Foundation
import HotlineDomain
import SQLKit

/// Expert seats (专家坐席) and their consultations (专家会商). A consultation escalated from a call is recorded on the
/// call as a transfer in the consultation's own transaction; a specialist's answer and the knowledge draft made from
/// it land together.
public struct ExpertSeatStore: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    // MARK: Seats

    /// Every seat, by name; few rows.
    public func seats() async throws -> [ExpertSeat] {
        try await database.read { db in
            try await db.rows(Statement("SELECT id, doc, active FROM expert_seats ORDER BY name")).map(Self.seat)
        }
    }

    public func seat(_ id: Int64) async throws -> ExpertSeat? {
        try await database.read { db in try await db.firstRow(Statement("SELECT id, doc, active FROM expert_seats WHERE id = ?", [id])).map(Self.seat) }
    }

    /// A new seat, in service; a name already taken is refused.
    public func add(_ content: ExpertSeatContent, audit: AuditEntry, at now: Date) async throws -> ExpertSeat {
        try await database.transaction { db in
            guard try await db.firstRow(Statement("SELECT id FROM expert_seats WHERE name = ?", [content.name])) == nil else {
                throw ExpertSeatStoreError.nameTaken
            }
            guard let row = try await db.firstRow(Statement(
                "INSERT INTO expert_seats (name, unit_id, doc, active, updated_ms, updated_by) VALUES (?, ?, ?, 1, ?, ?) RETURNING id, doc, active",
                [content.name, content.unitID, try Self.encode(content), now.epochMilliseconds, audit.actorID ?? ""])) else {
                throw DatabaseError.corrupt("expert_seats insert")
            }
            let seat = try Self.seat(row)
            var entry = audit
            entry.target = "expert_seat:\(seat.id)"
            try await AuditLog.append(entry, in: db)
            return seat
        }
    }

    /// New settings or a change of service for a seat; nil when there is none with that id.
    public func update(_ id: Int64, content: ExpertSeatContent, active: Bool, audit: AuditEntry, at now: Date) async throws -> ExpertSeat? {
        try await database.transaction { db in
            guard try await db.firstRow(Statement("SELECT id FROM expert_seats WHERE id = ?", [id])) != nil else { return nil }
            guard try await db.firstRow(Statement("SELECT id FROM expert_seats WHERE name = ? AND id <> ?", [content.name, id])) == nil else {
                throw ExpertSeatStoreError.nameTaken
            }
            try await db.run(Statement(
                "UPDATE expert_seats SET name = ?, unit_id = ?, doc = ?, active = ?, updated_ms = ?, updated_by = ? WHERE id = ?",
                [content.name, content.unitID, try Self.encode(content), active ? 1 : 0, now.epochMilliseconds, audit.actorID ?? "", id]))
            var entry = audit
            entry.target = "expert_seat:\(id)"
            try await AuditLog.append(entry, in: db)
            return ExpertSeat(id: id, content: content, active: active)
        }
    }

    // MARK: Consultations

    /// A call an agent escalates from: it must be a call the agent answered.
    public func callAnswered(_ callID: String, by agent: String) async throws -> Bool {
        try await database.read { db in
            try await db.firstRow(Statement("SELECT call_id FROM calls WHERE call_id = ? AND agent_id = ?", [callID, agent])) != nil
        }
    }

    /// Records a question to a seat; one escalated from a call is recorded on the call as a transfer to the seat (a
    /// `call_transferred` event of its own id) in the same transaction.
    public func ask(
        seat: ExpertSeat, question: String, categoryCode: String?, callID: String?, orderNumber: OrderNumber?, threeWay: Bool, by actor: Actor, at now: Date,
        audit: AuditEntry
    ) async throws -> ExpertConsultation {
        try await database.transaction { db in
            guard let row = try await db.firstRow(Statement(
                """
                INSERT INTO expert_consultations (seat_id, question, category_code, call_id, order_number, three_way, asked_by, asked_ms, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING \(Self.columns)
                """,
                [seat.id, question, bindable(categoryCode), bindable(callID), bindable(orderNumber?.rawValue), threeWay ? 1 : 0, actor.userID,
                 now.epochMilliseconds, ConsultationStatus.waiting.rawValue])) else {
                throw DatabaseError.corrupt("expert_consultations insert")
            }
            let consultation = try Self.consultation(row)
            if let callID {
                let event = CallEvent(
                    id: "expert-consultation-\(consultation.id)", at: now, callID: callID, kind: .transferred(to: seat.content.name, threeWay: threeWay))
                try await db.run(Statement(
                    "INSERT INTO call_events (event_id, type, call_id, agent_id, at_ms, payload, received_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [event.id, event.typeName, callID, actor.userID, now.epochMilliseconds, CallCentreStore.payload(event), now.epochMilliseconds]))
                try await CallCentreStore.apply(event, in: db)
            }
            var entry = audit
            entry.target = "expert_consultation:\(consultation.id)"
            try await AuditLog.append(entry, in: db)
            return consultation
        }
    }

    public func consultation(_ id: Int64) async throws -> ExpertConsultation? {
        try await database.read { db in
            try await db.firstRow(Statement("SELECT \(Self.columns) FROM expert_consultations WHERE id = ?", [id])).map(Self.consultation)
        }
    }

    /// Which consultations a list shows, newest first.
    public struct Filter: Sendable, Equatable {
        /// Only these seats (a specialist's); nil for every seat.
        public var seatIDs: [Int64]?
        /// Only those this user asked.
        public var askedBy: String?
        public var status: ConsultationStatus?

        public init(seatIDs: [Int64]? = nil, askedBy: String? = nil, status: ConsultationStatus? = nil) {
            self.seatIDs = seatIDs
            self.askedBy = askedBy
            self.status = status
        }
    }

    public func consultations(_ filter: Filter, limit: Int = 100) async throws -> [ExpertConsultation] {
        var clauses: [String] = []
        var binds: [any Encodable & Sendable] = []
        if let seats = filter.seatIDs {
            if seats.isEmpty { return [] }
            clauses.append("seat_id IN (" + seats.map { _ in "?" }.joined(separator: ", ") + ")")
            binds += seats.map { $0 as any Encodable & Sendable }
        }
        if let asker = filter.askedBy {
            clauses.append("asked_by = ?")
            binds.append(asker)
        }
        if let status = filter.status {
            clauses.append("status = ?")
            binds.append(status.rawValue)
        }
        let whereClause = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        let sql = "SELECT \(Self.columns) FROM expert_consultations\(whereClause) ORDER BY asked_ms DESC, id DESC LIMIT \(max(1, min(limit, 500)))"
        let statement = Statement(sql, binds)
        return try await database.read { db in try await db.rows(statement).map(Self.consultation) }
    }

    /// Records the specialist's answer if the consultation still waits for one (one statement decides between two
    /// specialists answering at once); with `draft`, the knowledge draft made from it lands in the same transaction
    /// and is linked. Nil when the consultation was answered already.
    public func answer(
        _ id: Int64, answer: String, by actor: Actor, at now: Date, draft: KnowledgeContent?, audit: AuditEntry
    ) async throws -> ExpertConsultation? {
        try await database.transaction { db in
            guard var answered = try await db.firstRow(Statement(
                """
                UPDATE expert_consultations SET status = ?, answer = ?, answered_by = ?, answered_ms = ?
                WHERE id = ? AND status = ? RETURNING \(Self.columns)
                """,
                [ConsultationStatus.answered.rawValue, answer, actor.userID, now.epochMilliseconds, id, ConsultationStatus.waiting.rawValue])
            ).map(Self.consultation) else { return nil }
            var entry = audit
            entry.target = "expert_consultation:\(id)"
            try await AuditLog.append(entry, in: db)
            if let content = draft {
                answered.knowledgeEntryID = try await Self.linkDraft(answered, content: content, by: actor, at: now, in: db)
            }
            return answered
        }
    }

    /// Makes the knowledge draft of an answered consultation that has none yet; nil when it has one already (the link
    /// is set by one conditional update, so one answer makes one draft).
    public func draftKnowledge(_ id: Int64, content: KnowledgeContent, by actor: Actor, at now: Date) async throws -> Int64? {
        try await database.transaction { db in
            guard let consultation = try await db.firstRow(Statement("SELECT \(Self.columns) FROM expert_consultations WHERE id = ?", [id]))
                .map(Self.consultation), consultation.status == .answered, consultation.knowledgeEntryID == nil
            else { return nil }
            return try await Self.linkDraft(consultation, content: content, by: actor, at: now, in: db)
        }
    }

    static func linkDraft(_ c: ExpertConsultation, content: KnowledgeContent, by actor: Actor, at now: Date, in db: any SQLDatabase) async throws
        -> Int64
    {
        let entry = try await KnowledgeStore.insertDraft(
            content, by: actor, at: now, note: "由专家坐席解答转为知识草稿（会商 \(c.id)）", source: c.orderNumber, in: db)
        guard try await db.firstRow(Statement(
            "UPDATE expert_consultations SET knowledge_entry_id = ? WHERE id = ? AND knowledge_entry_id IS NULL RETURNING id", [entry.id, c.id])) != nil
        else { throw ExpertSeatStoreError.draftExists }
        return entry.id
    }

    // MARK: Rows

    static let columns =
        "id, seat_id, question, category_code, call_id, order_number, three_way, asked_by, asked_ms, status, answer, answered_by, answered_ms, knowledge_entry_id"

    static func encode(_ content: ExpertSeatContent) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(content), as: UTF8.self)
    }

    static func seat(_ row: any SQLRow) throws -> ExpertSeat {
        let doc = try row.decode(column: "doc", as: String.self)
        return ExpertSeat(
            id: try row.decode(column: "id", as: Int64.self), content: try JSONDecoder().decode(ExpertSeatContent.self, from: Data(doc.utf8)),
            active: try row.decode(column: "active", as: Int.self) != 0)
    }

    static func consultation(_ row: any SQLRow) throws -> ExpertConsultation {
        ExpertConsultation(
            id: try row.decode(column: "id", as: Int64.self),
            seatID: try row.decode(column: "seat_id", as: Int64.self),
            question: try row.decode(column: "question", as: String.self),
            categoryCode: try row.decode(column: "category_code", as: String?.self),
            callID: try row.decode(column: "call_id", as: String?.self),
            orderNumber: try row.decode(column: "order_number", as: Int64?.self).map(OrderNumber.init(rawValue:)),
            threeWay: try row.decode(column: "three_way", as: Int.self) != 0,
            askedBy: try row.decode(column: "asked_by", as: String.self),
            askedAt: Date(epochMilliseconds: try row.decode(column: "asked_ms", as: Int64.self)),
            status: ConsultationStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .waiting,
            answer: try row.decode(column: "answer", as: String?.self),
            answeredBy: try row.decode(column: "answered_by", as: String?.self),
            answeredAt: try row.decode(column: "answered_ms", as: Int64?.self).map(Date.init(epochMilliseconds:)),
            knowledgeEntryID: try row.decode(column: "knowledge_entry_id", as: Int64?.self))
    }
}

public enum ExpertSeatStoreError: Error, Sendable {
    /// Another seat has that name.
    case nameTaken
    /// The answer has its knowledge draft already.
    case draftExists
}

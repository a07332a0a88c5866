import Foundation
import HotlineDomain
import SQLKit

/// A draw as stored (抽检批次).
public struct QualityBatch: Sendable, Equatable, Codable {
    /// The draw's parameters as the inspector gave them.
    public struct Parameters: Sendable, Equatable, Codable {
        public var calls: Int
        public var orders: Int
        public var thresholdSeconds: Int?
        public var agentID: String?

        public init(calls: Int, orders: Int, thresholdSeconds: Int? = nil, agentID: String? = nil) {
            self.calls = calls
            self.orders = orders
            self.thresholdSeconds = thresholdSeconds
            self.agentID = agentID
        }
    }

    public var id: Int64
    public var rule: QualitySamplingRule
    public var parameters: Parameters
    public var seed: Int64
    public var from: Date
    public var to: Date
    /// How many targets the draw took.
    public var drawn: Int
    public var createdAt: Date
    public var createdBy: String
}

/// A version of a scoring form (评分表版本).
public struct QualityFormVersion: Sendable, Equatable, Codable {
    public var version: Int
    public var content: QualityFormContent
    public var at: Date
    public var actorID: String
}

/// Quality inspection (质检): scoring forms with their versions, batches and inspections. Every change writes its
/// audit line in its own transaction.
public struct QualityStore: Sendable {
    let database: HotlineDatabase

    public init(database: HotlineDatabase) { self.database = database }

    // MARK: Forms

    /// Stores a new form at version 1.
    public func createForm(_ content: QualityFormContent, by actor: Actor, at now: Date, client: String? = nil) async throws -> QualityForm {
        try await database.transaction { db in
            guard
                let row = try await db.firstRow(
                    Statement(
                        "INSERT INTO quality_forms (name, version, doc, updated_ms, updated_by) VALUES (?, 1, ?, ?, ?) RETURNING id",
                        [content.name, try Self.encode(content), now.epochMilliseconds, actor.userID]))
            else { throw DatabaseError.corrupt("quality_forms insert") }
            let form = QualityForm(
                id: try row.decode(column: "id", as: Int64.self), version: 1, content: content, updatedAt: now, updatedBy: actor.userID)
            try await Self.appendVersion(form, in: db)
            try await AuditLog.append(
                AuditEntry(
                    at: now, actor: actor, action: .qualityFormChanged, target: "quality_form:\(form.id)",
                    detail: "新建评分表「\(content.name)」第1版", client: client), in: db)
            return form
        }
    }

    /// Stores new content as the form's next version; nil when there is no such form.
    public func updateForm(_ id: Int64, _ content: QualityFormContent, by actor: Actor, at now: Date, client: String? = nil) async throws
        -> QualityForm?
    {
        let lock = database.kind == .postgres ? " FOR UPDATE" : ""
        return try await database.transaction { db in
            guard let row = try await db.firstRow(Statement("SELECT version FROM quality_forms WHERE id = ?\(lock)", [id])) else { return nil }
            let version = try row.decode(column: "version", as: Int.self) + 1
            try await db.run(
                Statement(
                    "UPDATE quality_forms SET name = ?, version = ?, doc = ?, updated_ms = ?, updated_by = ? WHERE id = ?",
                    [content.name, version, try Self.encode(content), now.epochMilliseconds, actor.userID, id]))
            let form = QualityForm(id: id, version: version, content: content, updatedAt: now, updatedBy: actor.userID)
            try await Self.appendVersion(form, in: db)
            try await AuditLog.append(
                AuditEntry(
                    at: now, actor: actor, action: .qualityFormChanged, target: "quality_form:\(id)",
                    detail: "修改评分表「\(content.name)」为第\(version)版", client: client), in: db)
            return form
        }
    }

    static func appendVersion(_ form: QualityForm, in db: any SQLDatabase) async throws {
        try await db.run(
            Statement(
                "INSERT INTO quality_form_versions (form_id, version, doc, at_ms, actor_id) VALUES (?, ?, ?, ?, ?)",
                [form.id, form.version, try encode(form.content), form.updatedAt.epochMilliseconds, form.updatedBy]))
    }

    public func forms() async throws -> [QualityForm] {
        try await database.read { db in
            try await db.rows(Statement("SELECT id, version, doc, updated_ms, updated_by FROM quality_forms ORDER BY id", [])).map(Self.decodeForm)
        }
    }

    public func form(_ id: Int64) async throws -> QualityForm? {
        try await database.read { db in
            try await db.firstRow(Statement("SELECT id, version, doc, updated_ms, updated_by FROM quality_forms WHERE id = ?", [id])).map(
                Self.decodeForm)
        }
    }

    /// Every version of a form, oldest first.
    public func formVersions(_ id: Int64) async throws -> [QualityFormVersion] {
        try await database.read { db in
            try await db.rows(
                Statement("SELECT version, doc, at_ms, actor_id FROM quality_form_versions WHERE form_id = ? ORDER BY version", [id])
            ).map(Self.decodeVersion)
        }
    }

    public func formVersion(_ id: Int64, _ version: Int) async throws -> QualityFormVersion? {
        try await database.read { db in
            try await db.firstRow(
                Statement("SELECT version, doc, at_ms, actor_id FROM quality_form_versions WHERE form_id = ? AND version = ?", [id, version])
            ).map(Self.decodeVersion)
        }
    }

    // MARK: Candidates

    /// The targets of `kind` already inspected among those that happened in [from, to).
    public func inspectedKeys(_ kind: QualityTargetKind, from: Date, to: Date) async throws -> Set<String> {
        try await database.read { db in
            Set(
                try await db.rows(
                    Statement(
                        "SELECT target_key FROM quality_inspections WHERE target_kind = ? AND target_ms >= ? AND target_ms < ?",
                        [kind.rawValue, from.epochMilliseconds, to.epochMilliseconds])
                ).map { try $0.decode(column: "target_key", as: String.self) })
        }
    }

    /// Answered calls of the period (by the time they were answered): all, over a talk time, or of one agent.
    public func callCandidates(from: Date, to: Date, minTalkSeconds: Int? = nil, agent: String? = nil) async throws -> [QualityCandidate] {
        var statement: Statement
        if let agent {
            statement = Statement(
                "SELECT call_id, agent_id, answered_ms FROM calls WHERE agent_id = ? AND answered_ms >= ? AND answered_ms < ?",
                [agent, from.epochMilliseconds, to.epochMilliseconds])
        } else {
            // Calls are read by their day (the index); the day before too, for calls offered before midnight.
            statement = Statement(
                """
                SELECT call_id, agent_id, answered_ms FROM calls WHERE day >= ? AND day <= ? AND agent_id IS NOT NULL
                AND answered_ms >= ? AND answered_ms < ?
                """,
                [
                    CallCentreStore.dayKey(from.addingTimeInterval(-86_400)), CallCentreStore.dayKey(to), from.epochMilliseconds,
                    to.epochMilliseconds,
                ])
        }
        if let minTalkSeconds { statement.append(" AND talk_seconds > ?", [minTalkSeconds]) }
        let query = statement
        return try await database.read { db in
            try await db.rows(query).map { row in
                QualityCandidate(
                    kind: .call, key: try row.decode(column: "call_id", as: String.self), agentID: try row.decode(column: "agent_id", as: String.self),
                    at: Date(epochMilliseconds: try row.decode(column: "answered_ms", as: Int64.self)))
            }
        }
    }

    /// Orders an agent took in the period (the agent is the order's creator): all, only those rated unsatisfied (by
    /// the callback or the citizen), or of one agent.
    public func orderCandidates(from: Date, to: Date, unsatisfiedOnly: Bool = false, agent: String? = nil) async throws -> [QualityCandidate] {
        var statement = Statement(
            """
            SELECT o.number AS number, o.created_at AS created_at, e.actor_id AS actor_id FROM work_orders o
            JOIN work_order_events e ON e.order_number = o.number AND e.seq = 1
            """)
        if unsatisfiedOnly {
            statement.append(" JOIN measure_facts f ON f.order_number = o.number AND f.rated = 1 AND f.satisfied = 0 AND f.basically_satisfied = 0")
        }
        statement.append(
            " WHERE o.created_at >= ? AND o.created_at < ? AND e.actor_role = ?",
            [Int64(from.timeIntervalSince1970.rounded(.up)), Int64(to.timeIntervalSince1970.rounded(.up)), Role.agent.rawValue])
        if let agent { statement.append(" AND e.actor_id = ?", [agent]) }
        let query = statement
        return try await database.read { db in
            try await db.rows(query).map { row in
                QualityCandidate(
                    kind: .order, key: String(try row.decode(column: "number", as: Int64.self)),
                    agentID: try row.decode(column: "actor_id", as: String.self),
                    at: Date(timeIntervalSince1970: TimeInterval(try row.decode(column: "created_at", as: Int64.self))))
            }
        }
    }

    /// Of `agents`, those who answered a call before `date` (so are not new).
    public func agentsAnswering(before date: Date, among agents: Set<String>) async throws -> Set<String> {
        try await database.read { db in
            var old = Set<String>()
            for agent in agents.sorted() {
                if try await db.firstRow(
                    Statement("SELECT 1 AS one FROM calls WHERE agent_id = ? AND answered_ms < ? LIMIT 1", [agent, date.epochMilliseconds])) != nil
                {
                    old.insert(agent)
                }
            }
            return old
        }
    }

    // MARK: Batches

    /// Stores a batch and its inspections in one transaction; a target another draw took meanwhile is skipped (the
    /// unique index). The batch's `drawn` is what it really took.
    public func draw(
        rule: QualitySamplingRule, parameters: QualityBatch.Parameters, seed: Int64, from: Date, to: Date, picks: [QualityCandidate],
        by actor: Actor, at now: Date, client: String? = nil
    ) async throws -> QualityBatch {
        try await database.transaction { db in
            guard
                let row = try await db.firstRow(
                    Statement(
                        """
                        INSERT INTO quality_batches (rule, doc, seed, from_ms, to_ms, drawn, created_ms, created_by)
                        VALUES (?, ?, ?, ?, ?, 0, ?, ?) RETURNING id
                        """,
                        [
                            rule.rawValue, try Self.encodeJSON(parameters), seed, from.epochMilliseconds, to.epochMilliseconds, now.epochMilliseconds,
                            actor.userID,
                        ]))
            else { throw DatabaseError.corrupt("quality_batches insert") }
            let id = try row.decode(column: "id", as: Int64.self)
            var drawn = 0
            // In one order for every draw: two draws racing for the same targets wait for each other instead of
            // deadlocking on the unique index.
            for pick in picks.sorted(by: { ($0.kind.rawValue, $0.key) < ($1.kind.rawValue, $1.key) }) {
                let inserted = try await db.firstRow(
                    Statement(
                        """
                        INSERT INTO quality_inspections (batch_id, target_kind, target_key, agent_id, target_ms, status)
                        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id
                        """,
                        [id, pick.kind.rawValue, pick.key, pick.agentID, pick.at.epochMilliseconds, QualityStatus.pending.rawValue]))
                if inserted != nil { drawn += 1 }
            }
            try await db.run(Statement("UPDATE quality_batches SET drawn = ? WHERE id = ?", [drawn, id]))
            try await AuditLog.append(
                AuditEntry(
                    at: now, actor: actor, action: .qualityBatchDrawn, target: "quality_batch:\(id)",
                    detail: "\(rule.chineseName)，抽取\(drawn)条，随机种子\(seed)", client: client), in: db)
            return QualityBatch(
                id: id, rule: rule, parameters: parameters, seed: seed, from: from, to: to, drawn: drawn, createdAt: now, createdBy: actor.userID)
        }
    }

    static let batchColumns = "id, rule, doc, seed, from_ms, to_ms, drawn, created_ms, created_by"

    /// Batches, newest first.
    public func batches(limit: Int, offset: Int) async throws -> [QualityBatch] {
        try await database.read { db in
            try await db.rows(Statement("SELECT \(Self.batchColumns) FROM quality_batches ORDER BY id DESC LIMIT ? OFFSET ?", [limit, offset])).map(
                Self.decodeBatch)
        }
    }

    public func batch(_ id: Int64) async throws -> QualityBatch? {
        try await database.read { db in
            try await db.firstRow(Statement("SELECT \(Self.batchColumns) FROM quality_batches WHERE id = ?", [id])).map(Self.decodeBatch)
        }
    }

    // MARK: Inspections

    static let inspectionColumns = """
        id, batch_id, target_kind, target_key, agent_id, target_ms, status, form_id, form_version, doc, total, inspector_id, scored_ms,
        acknowledged_ms, appeal_reason, appealed_ms, decided_by, decided_ms, decision_note, rescore_doc, rescore_total
        """

    public func inspection(_ id: Int64) async throws -> QualityInspection? {
        try await database.read { db in
            try await db.firstRow(Statement("SELECT \(Self.inspectionColumns) FROM quality_inspections WHERE id = ?", [id])).map(
                Self.decodeInspection)
        }
    }

    public func inspections(batch id: Int64) async throws -> [QualityInspection] {
        try await database.read { db in
            try await db.rows(Statement("SELECT \(Self.inspectionColumns) FROM quality_inspections WHERE batch_id = ? ORDER BY id", [id])).map(
                Self.decodeInspection)
        }
    }

    /// An agent's inspections, newest first, without those not yet scored.
    public func inspections(agent: String, limit: Int, offset: Int) async throws -> [QualityInspection] {
        try await database.read { db in
            try await db.rows(
                Statement(
                    "SELECT \(Self.inspectionColumns) FROM quality_inspections WHERE agent_id = ? AND status <> ? ORDER BY id DESC LIMIT ? OFFSET ?",
                    [agent, QualityStatus.pending.rawValue, limit, offset])
            ).map(Self.decodeInspection)
        }
    }

    /// Inspections in one state, oldest first (the appeals to decide).
    public func inspections(status: QualityStatus, limit: Int, offset: Int) async throws -> [QualityInspection] {
        try await database.read { db in
            try await db.rows(
                Statement(
                    "SELECT \(Self.inspectionColumns) FROM quality_inspections WHERE status = ? ORDER BY id LIMIT ? OFFSET ?",
                    [status.rawValue, limit, offset])
            ).map(Self.decodeInspection)
        }
    }

    /// The scored inspections since `from` as the trends count them.
    public func facts(since from: Date, agent: String? = nil) async throws -> [QualityFact] {
        var statement = Statement(
            "SELECT agent_id, scored_ms, total, status, rescore_total, appealed_ms FROM quality_inspections WHERE scored_ms >= ?",
            [from.epochMilliseconds])
        if let agent { statement.append(" AND agent_id = ?", [agent]) }
        let query = statement
        return try await database.read { db in
            try await db.rows(query).compactMap { row in
                guard let total = try row.decode(column: "total", as: Int?.self) else { return nil }
                let status = QualityStatus(rawValue: try row.decode(column: "status", as: String.self))
                let upheld = status == .upheld
                return QualityFact(
                    agentID: try row.decode(column: "agent_id", as: String.self),
                    scoredAt: Date(epochMilliseconds: try row.decode(column: "scored_ms", as: Int64.self)),
                    total: upheld ? (try row.decode(column: "rescore_total", as: Int?.self) ?? total) : total,
                    appealed: try row.decode(column: "appealed_ms", as: Int64?.self) != nil, upheld: upheld)
            }
        }
    }

    /// Loads an inspection under the write lock, applies `change` (which may throw to refuse), stores it with the audit
    /// line `audit` makes of the result. Nil when there is no such inspection.
    public func update(
        _ id: Int64, by actor: Actor, at now: Date, client: String? = nil, action: AuditAction,
        _ change: @escaping @Sendable (QualityInspection) throws -> (QualityInspection, String)
    ) async throws -> QualityInspection? {
        let lock = database.kind == .postgres ? " FOR UPDATE" : ""
        return try await database.transaction { db in
            guard let row = try await db.firstRow(Statement("SELECT \(Self.inspectionColumns) FROM quality_inspections WHERE id = ?\(lock)", [id]))
            else { return nil }
            let (next, detail) = try change(try Self.decodeInspection(row))
            try await db.run(
                Statement(
                    """
                    UPDATE quality_inspections SET status = ?, form_id = ?, form_version = ?, doc = ?, total = ?, inspector_id = ?, scored_ms = ?,
                    acknowledged_ms = ?, appeal_reason = ?, appealed_ms = ?, decided_by = ?, decided_ms = ?, decision_note = ?, rescore_doc = ?,
                    rescore_total = ? WHERE id = ?
                    """,
                    [
                        next.status.rawValue, bindable(next.formID), bindable(next.formVersion), bindable(try next.score.map(Self.encodeJSON)),
                        bindable(next.total), bindable(next.inspectorID), bindable(next.scoredAt?.epochMilliseconds),
                        bindable(next.acknowledgedAt?.epochMilliseconds), bindable(next.appealReason), bindable(next.appealedAt?.epochMilliseconds),
                        bindable(next.decidedBy), bindable(next.decidedAt?.epochMilliseconds), bindable(next.decisionNote),
                        bindable(try next.rescore.map(Self.encodeJSON)), bindable(next.rescoreTotal), id,
                    ]))
            try await AuditLog.append(
                AuditEntry(at: now, actor: actor, action: action, target: "quality_inspection:\(id)", detail: detail, client: client), in: db)
            return next
        }
    }

    // MARK: Coding

    static func encode(_ c: QualityFormContent) throws -> String { try encodeJSON(c) }

    static func encodeJSON(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decodeJSON<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    static func decodeForm(_ row: any SQLRow) throws -> QualityForm {
        QualityForm(
            id: try row.decode(column: "id", as: Int64.self), version: try row.decode(column: "version", as: Int.self),
            content: try decodeJSON(QualityFormContent.self, try row.decode(column: "doc", as: String.self)),
            updatedAt: Date(epochMilliseconds: try row.decode(column: "updated_ms", as: Int64.self)),
            updatedBy: try row.decode(column: "updated_by", as: String.self))
    }

    static func decodeVersion(_ row: any SQLRow) throws -> QualityFormVersion {
        QualityFormVersion(
            version: try row.decode(column: "version", as: Int.self),
            content: try decodeJSON(QualityFormContent.self, try row.decode(column: "doc", as: String.self)),
            at: Date(epochMilliseconds: try row.decode(column: "at_ms", as: Int64.self)), actorID: try row.decode(column: "actor_id", as: String.self))
    }

    static func decodeBatch(_ row: any SQLRow) throws -> QualityBatch {
        guard let rule = QualitySamplingRule(rawValue: try row.decode(column: "rule", as: String.self)) else {
            throw DatabaseError.corrupt("quality_batches.rule")
        }
        return QualityBatch(
            id: try row.decode(column: "id", as: Int64.self), rule: rule,
            parameters: try decodeJSON(QualityBatch.Parameters.self, try row.decode(column: "doc", as: String.self)),
            seed: try row.decode(column: "seed", as: Int64.self),
            from: Date(epochMilliseconds: try row.decode(column: "from_ms", as: Int64.self)),
            to: Date(epochMilliseconds: try row.decode(column: "to_ms", as: Int64.self)), drawn: try row.decode(column: "drawn", as: Int.self),
            createdAt: Date(epochMilliseconds: try row.decode(column: "created_ms", as: Int64.self)),
            createdBy: try row.decode(column: "created_by", as: String.self))
    }

    static func decodeInspection(_ row: any SQLRow) throws -> QualityInspection {
        guard let kind = QualityTargetKind(rawValue: try row.decode(column: "target_kind", as: String.self)),
            let status = QualityStatus(rawValue: try row.decode(column: "status", as: String.self))
        else { throw DatabaseError.corrupt("quality_inspections") }
        func date(_ column: String) throws -> Date? { try row.decode(column: column, as: Int64?.self).map { Date(epochMilliseconds: $0) } }
        var i = QualityInspection(
            id: try row.decode(column: "id", as: Int64.self), batchID: try row.decode(column: "batch_id", as: Int64.self),
            target: QualityCandidate(
                kind: kind, key: try row.decode(column: "target_key", as: String.self), agentID: try row.decode(column: "agent_id", as: String.self),
                at: Date(epochMilliseconds: try row.decode(column: "target_ms", as: Int64.self))), status: status)
        i.formID = try row.decode(column: "form_id", as: Int64?.self)
        i.formVersion = try row.decode(column: "form_version", as: Int?.self)
        i.score = try row.decode(column: "doc", as: String?.self).map { try decodeJSON(QualityScore.self, $0) }
        i.total = try row.decode(column: "total", as: Int?.self)
        i.inspectorID = try row.decode(column: "inspector_id", as: String?.self)
        i.scoredAt = try date("scored_ms")
        i.acknowledgedAt = try date("acknowledged_ms")
        i.appealReason = try row.decode(column: "appeal_reason", as: String?.self)
        i.appealedAt = try date("appealed_ms")
        i.decidedBy = try row.decode(column: "decided_by", as: String?.self)
        i.decidedAt = try date("decided_ms")
        i.decisionNote = try row.decode(column: "decision_note", as: String?.self)
        i.rescore = try row.decode(column: "rescore_doc", as: String?.self).map { try decodeJSON(QualityScore.self, $0) }
        i.rescoreTotal = try row.decode(column: "rescore_total", as: Int?.self)
        return i
    }
}

/// A call as an inspection shows it (通话记录): the caller (to be masked by the reader), the times and durations.
public struct QualityCallRecord: Sendable, Equatable {
    public var callID: String
    public var caller: String
    public var queue: String
    public var offeredAt: Date?
    public var answeredAt: Date?
    public var endedAt: Date?
    public var agentID: String?
    public var seat: String?
    public var waitSeconds: Int?
    public var talkSeconds: Int?
    public var acwSeconds: Int?
    public var transfers: Int
    public var transferredTo: String?
    public var threeWay: Bool
}

extension QualityStore {
    /// One row of `calls`.
    public func call(_ id: String) async throws -> QualityCallRecord? {
        try await database.read { db in
            guard
                let row = try await db.firstRow(
                    Statement(
                        """
                        SELECT call_id, caller, queue, offered_ms, answered_ms, ended_ms, agent_id, seat, wait_seconds, talk_seconds, acw_seconds,
                        transfers, transferred_to, three_way FROM calls WHERE call_id = ?
                        """, [id]))
            else { return nil }
            func date(_ c: String) throws -> Date? { try row.decode(column: c, as: Int64?.self).map { Date(epochMilliseconds: $0) } }
            return QualityCallRecord(
                callID: try row.decode(column: "call_id", as: String.self), caller: try row.decode(column: "caller", as: String.self),
                queue: try row.decode(column: "queue", as: String.self), offeredAt: try date("offered_ms"), answeredAt: try date("answered_ms"),
                endedAt: try date("ended_ms"), agentID: try row.decode(column: "agent_id", as: String?.self),
                seat: try row.decode(column: "seat", as: String?.self), waitSeconds: try row.decode(column: "wait_seconds", as: Int?.self),
                talkSeconds: try row.decode(column: "talk_seconds", as: Int?.self), acwSeconds: try row.decode(column: "acw_seconds", as: Int?.self),
                transfers: try row.decode(column: "transfers", as: Int.self), transferredTo: try row.decode(column: "transferred_to", as: String?.self),
                threeWay: try row.decode(column: "three_way", as: Int.self) != 0)
        }
    }
}

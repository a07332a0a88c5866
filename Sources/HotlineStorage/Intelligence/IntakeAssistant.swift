import Foundation
import HotlineDomain
import HotlineText
import SQLKit
import Synchronization

/// Everything the agent's screen suggests for a request being typed (智能辅助), in one answer.
public struct Assistance: Sendable, Codable, Equatable {
    public struct Category: Sendable, Codable, Equatable {
        public var code: String
        public var name: String
        public var score: Double
    }
    public struct Unit: Sendable, Codable, Equatable {
        public var unitID: UnitID
        public var name: String
        public var score: Double
        /// Why, in Chinese: the catalogue line, place names in the text, what past orders say.
        public var reasons: [String]
    }
    public struct SimilarOrder: Sendable, Codable, Equatable {
        public var number: String
        public var title: String
        public var status: WorkOrderStatus
        public var statusName: String
        public var createdAt: Date
        public var score: Double
        public var open: Bool
        public var sameCaller: Bool
    }

    public var categories: [Category]
    public var detailedCategories: [Category]
    public var units: [Unit]
    public var knowledge: [KnowledgeHit]
    public var similar: [SimilarOrder]
}

/// Combines the models, the dispatch catalogue, the gazetteer, the knowledge base and the similar-order index.
public final class IntakeAssistant: Sendable {
    let database: HotlineDatabase
    /// Unit and category names.
    let names: ReferenceData
    let catalogueStore: DispatchCatalogueStore
    public let models: TextModels
    public let knowledge: KnowledgeBase
    public let similar: SimilarOrders
    private let catalogue = Mutex(DispatchCatalogue())

    /// How much each voice counts towards a unit's score.
    static let modelWeight = 0.6
    static let catalogueWeight = 0.4

    init(database: HotlineDatabase, names: ReferenceData, catalogue: DispatchCatalogueStore, models: TextModels, knowledge: KnowledgeBase,
         similar: SimilarOrders) {
        self.database = database
        self.names = names
        catalogueStore = catalogue
        self.models = models
        self.knowledge = knowledge
        self.similar = similar
    }

    /// Re-reads the dispatch catalogue (after an administrator changes it).
    public func reloadCatalogue() async throws {
        let fresh = try await catalogueStore.catalogue()
        catalogue.withLock { $0 = fresh }
    }

    /// The text the models read for an order.
    public static func text(title: String, content: String, district: String?) -> String {
        [title, content, district ?? ""].joined(separator: " ")
    }

    public struct Request: Sendable {
        public var title: String
        public var content: String
        public var address: String?
        public var district: String?
        /// The category the agent already chose, if any.
        public var categoryCode: String?
        public var callerPhone: String?
        public var excluding: OrderNumber?

        public init(title: String = "", content: String, address: String? = nil, district: String? = nil, categoryCode: String? = nil,
                    callerPhone: String? = nil, excluding: OrderNumber? = nil) {
            self.title = title
            self.content = content
            self.address = address
            self.district = district
            self.categoryCode = categoryCode
            self.callerPhone = callerPhone
            self.excluding = excluding
        }
    }

    public func assist(_ r: Request, now: Date) async throws -> Assistance {
        let catalogue = catalogue.withLock { $0 }
        let loaded = models.current
        let text = Self.text(title: r.title, content: r.content + " " + (r.address ?? ""), district: r.district)
        let categories = (loaded.category?.predict(text, top: 3) ?? []).map {
            Assistance.Category(code: $0.label, name: names.categoryName($0.label) ?? $0.label, score: $0.score)
        }
        let detailed = (loaded.categoryDetail?.predict(text, top: 3) ?? []).map {
            Assistance.Category(code: $0.label, name: names.categoryName($0.label) ?? $0.label, score: $0.score)
        }
        let units = recommendUnits(text: text, request: r, categories: detailed.isEmpty ? categories : detailed, model: loaded.unit, catalogue: catalogue)
        let knowledge = knowledge.search(r.title + " " + r.content, limit: 5, now: now)
        let similar = try await similarOrders(r, now: now)
        return Assistance(categories: categories, detailedCategories: detailed, units: units, knowledge: knowledge, similar: similar)
    }

    func recommendUnits(text: String, request r: Request, categories: [Assistance.Category], model: TextClassifier?, catalogue: DispatchCatalogue) -> [Assistance.Unit] {
        var score: [UnitID: Double] = [:]
        var reasons: [UnitID: [String]] = [:]
        if let model {
            for s in model.rank(text).prefix(5) where s.score >= 0.02 {
                score[s.label, default: 0] += Self.modelWeight * s.score
                reasons[s.label, default: []].append("历史工单相似（\(Int((s.score * 100).rounded()))%）")
            }
            for m in model.gazetteer?.mentions(in: text) ?? [] where !(reasons[m.label]?.contains("文中地名：\(m.name)") ?? false) {
                reasons[m.label, default: []].append("文中地名：\(m.name)")
            }
        }
        // The catalogue answers for the chosen category outright, for a predicted one as far as it is trusted.
        let asked: [(code: String, confidence: Double)] = r.categoryCode.map { [($0, 1.0)] } ?? categories.prefix(2).map { ($0.code, $0.score) }
        for (code, confidence) in asked {
            if let entry = catalogue.responsibleUnit(category: code, district: r.district) {
                score[entry.unitID, default: 0] += Self.catalogueWeight * confidence
                reasons[entry.unitID, default: []].append(
                    "派单目录：\(names.categoryName(entry.categoryCode) ?? entry.categoryCode)（\(entry.district ?? "全市")）")
            } else {
                // A broad category: the units the catalogue names below it, in proportion.
                for (unit, share) in catalogue.unitsBelow(category: code, district: r.district).prefix(3) {
                    score[unit, default: 0] += Self.catalogueWeight * confidence * share
                    reasons[unit, default: []].append("派单目录：\(names.categoryName(code) ?? code)下\(Int((share * 100).rounded()))%的事项")
                }
            }
        }
        let total = score.values.reduce(0, +)
        // A unit with under 1% of the evidence is noise, not a recommendation.
        score = score.filter { total > 0 && $0.value / total >= 0.01 }
        return score.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(3).map { unit, s in
            Assistance.Unit(unitID: unit, name: names.unitName(unit) ?? unit, score: total > 0 ? s / total : 0, reasons: reasons[unit] ?? [])
        }
    }

    /// The orders most like the request, with their state and whether the same caller made them.
    public func similarOrders(_ r: Request, now: Date) async throws -> [Assistance.SimilarOrder] {
        let hits = similar.search(r.title + " " + r.content, limit: 5, excluding: r.excluding)
        guard !hits.isEmpty else { return [] }
        let numbers = hits.map(\.id)
        let rows = try await database.read { db in
            try await db.rows(Statement(
                "SELECT number, title, status, created_at, caller_phone FROM work_orders WHERE number IN (\(numbers.map { _ in "?" }.joined(separator: ", ")))",
                numbers))
        }
        var byNumber: [Int64: any SQLRow] = [:]
        for row in rows { byNumber[try row.decode(column: "number", as: Int64.self)] = row }
        let phone = r.callerPhone.flatMap(Caller.normalisedPhone)
        return try hits.compactMap { hit in
            guard let row = byNumber[hit.id], let status = WorkOrderStatus(rawValue: try row.decode(column: "status", as: String.self)) else { return nil }
            let callerPhone = try row.decode(column: "caller_phone", as: String.self)
            return Assistance.SimilarOrder(
                number: OrderNumber(rawValue: hit.id).description, title: try row.decode(column: "title", as: String.self), status: status,
                statusName: status.chineseName, createdAt: Date(timeIntervalSince1970: Double(try row.decode(column: "created_at", as: Int64.self))),
                score: hit.score, open: status.isOpen, sameCaller: phone != nil && callerPhone == phone)
        }
    }
}

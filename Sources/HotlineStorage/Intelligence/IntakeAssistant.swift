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

    /// A unit left out of the recommendation because it returned the order (退单).
    public struct ExcludedUnit: Sendable, Codable, Equatable {
        public var unitID: UnitID
        public var name: String
    }

    /// 受理范围 cues in the text: an emergency to hand over (119, 120, 110, 122) or a matter outside the hotline.
    public struct AcceptanceWarning: Sendable, Codable, Equatable {
        public var reason: RejectionReason
        public var reasonName: String
        public var redirectNumber: String?
        public var emergency: Bool
        /// What the agent tells the caller.
        public var message: String

        public init(_ reason: RejectionReason) {
            self.reason = reason
            reasonName = reason.chineseName
            redirectNumber = reason.redirectNumber
            emergency = AcceptanceScreen.isEmergency(reason)
            message = reason.answer
        }
    }

    public var warnings: [AcceptanceWarning] = []
    public var categories: [Category]
    public var detailedCategories: [Category]
    public var units: [Unit]
    public var knowledge: [KnowledgeHit]
    public var similar: [SimilarOrder]
    public var excludedUnits: [ExcludedUnit]

    /// What the panel says about the units left out, in Chinese; nil when none were.
    public var exclusionNote: String? {
        excludedUnits.isEmpty ? nil : "已排除退单单位：" + excludedUnits.map(\.name).joined(separator: "、")
    }
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

    /// What the assistant reads: the request's facts as typed at intake or as stored on the order (the same fields
    /// either way, so that the intake desk and the order page recommend alike), and what to leave out.
    public struct Request: Sendable, Equatable {
        public var title: String
        public var content: String
        public var address: String?
        /// The address's own district field (区县), which wins over place names in the text.
        public var district: String?
        /// The category the agent already chose, if any.
        public var categoryCode: String?
        public var callerPhone: String?
        /// The order being looked at, left out of its own similar orders.
        public var excluding: OrderNumber?
        /// Units never to recommend: those that returned the order (退单).
        public var excludedUnits: [UnitID]

        public init(title: String = "", content: String, address: String? = nil, district: String? = nil, categoryCode: String? = nil,
                    callerPhone: String? = nil, excluding: OrderNumber? = nil, excludedUnits: [UnitID] = []) {
            func clean(_ s: String?) -> String? { s.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 } }
            self.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
            self.content = content.trimmingCharacters(in: .whitespacesAndNewlines)
            self.address = clean(address)
            self.district = clean(district)
            self.categoryCode = clean(categoryCode)
            self.callerPhone = clean(callerPhone)
            self.excluding = excluding
            self.excludedUnits = excludedUnits
        }

        /// The text the models read: title, content, address and district.
        var modelText: String { IntakeAssistant.text(title: title, content: [content, address ?? ""].joined(separator: " "), district: district) }
        /// The text searched for place names: everything but the district field, which speaks for itself.
        var placeText: String { [title, content, address ?? ""].joined(separator: " ") }
    }

    /// The category the models rank first for a request's text (the detailed model's, else the top-level one's), among
    /// `offered`; nil without models or when they name no offered category. What a channel gateway classifies by.
    public func likelyCategory(_ r: Request, offered: Set<String>) -> String? {
        let loaded = models.current
        let text = r.modelText
        for model in [loaded.categoryDetail, loaded.category] {
            if let code = model?.predict(text, top: 3).map(\.label).first(where: offered.contains) { return code }
        }
        return nil
    }

    public func assist(_ r: Request, now: Date) async throws -> Assistance {
        let catalogue = catalogue.withLock { $0 }
        let loaded = models.current
        let text = r.modelText
        let categories = (loaded.category?.predict(text, top: 3) ?? []).map {
            Assistance.Category(code: $0.label, name: names.categoryName($0.label) ?? $0.label, score: $0.score)
        }
        let detailed = (loaded.categoryDetail?.predict(text, top: 3) ?? []).map {
            Assistance.Category(code: $0.label, name: names.categoryName($0.label) ?? $0.label, score: $0.score)
        }
        let units = recommendUnits(text: text, request: r, categories: detailed.isEmpty ? categories : detailed, model: loaded.unit, catalogue: catalogue)
        let knowledge = knowledge.search(r.title + " " + r.content, limit: 5, now: now)
        let similar = try await similarOrders(r, now: now)
        let excluded = r.excludedUnits.map { Assistance.ExcludedUnit(unitID: $0, name: names.unitName($0) ?? $0) }
        return Assistance(warnings: AcceptanceScreen.warnings(for: r.title + " " + r.content).map(Assistance.AcceptanceWarning.init),
                          categories: categories, detailedCategories: detailed, units: units, knowledge: knowledge, similar: similar,
                          excludedUnits: excluded)
    }

    func recommendUnits(text: String, request r: Request, categories: [Assistance.Category], model: TextClassifier?, catalogue: DispatchCatalogue) -> [Assistance.Unit] {
        var score: [UnitID: Double] = [:]
        var reasons: [UnitID: [String]] = [:]
        // Units that returned the order are never recommended. The address's district field, when it names one of the
        // city's districts, wins over the text: what the text suggests (past orders, place names) for a unit of another
        // district is dropped. The dispatch catalogue is the administrators' word and stays as they set it.
        let excluded = Set(r.excludedUnits)
        let district = r.district.flatMap { names.isDistrict($0) ? $0 : nil }
        func eligible(_ unit: UnitID) -> Bool {
            !excluded.contains(unit) && PlaceName.serves(unitDistrict: names.unitDistrict(unit), requestDistrict: district)
        }
        if let model {
            // Place names as the request gives them: its district field first, then whole place names in the text.
            let mentions = model.gazetteer?.mentions(in: r.placeText, district: district, districtOf: names.unitDistrict) ?? []
            let ranked = model.rank(text, places: model.gazetteer == nil ? nil : Gazetteer.evidence(mentions))
            for s in ranked.filter({ eligible($0.label) }).prefix(5) where s.score >= 0.02 {
                score[s.label, default: 0] += Self.modelWeight * s.score
                reasons[s.label, default: []].append("历史工单相似（\(Int((s.score * 100).rounded()))%）")
            }
            for m in mentions {
                reasons[m.label, default: []].append(m.name == district ? "诉求地点：\(m.name)" : "文中地名：\(m.name)")
            }
        }
        // The catalogue answers for the chosen category outright, for a predicted one as far as it is trusted.
        let asked: [(code: String, confidence: Double)] = r.categoryCode.map { [($0, 1.0)] } ?? categories.prefix(2).map { ($0.code, $0.score) }
        let tree = names.context.categoryTree
        for (code, confidence) in asked {
            if let entry = catalogue.responsibleUnit(category: code, district: r.district, categories: tree) {
                score[entry.unitID, default: 0] += Self.catalogueWeight * confidence
                reasons[entry.unitID, default: []].append(
                    "派单目录：\(names.categoryName(entry.categoryCode) ?? entry.categoryCode)（\(entry.district ?? "全市")）")
            } else {
                // A broad category: the units the catalogue names below it, in proportion.
                for (unit, share) in catalogue.unitsBelow(category: code, district: r.district, categories: tree).prefix(3) {
                    score[unit, default: 0] += Self.catalogueWeight * confidence * share
                    reasons[unit, default: []].append("派单目录：\(names.categoryName(code) ?? code)下\(Int((share * 100).rounded()))%的事项")
                }
            }
        }
        score = score.filter { !excluded.contains($0.key) }
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

import Foundation
import HotlineDomain
import HotlineText
import SQLKit

/// Trains the category and unit models from what the platform has learned (模型训练): finished orders
/// (their final category and the unit that finally handled them; an order that was returned or re-dispatched
/// is a correction of the unit, and one that was reclassified (改分类) a correction of the category: a correction
/// counts twice in the model it corrects) and the published knowledge base (each entry's wording and category).
public struct ModelTrainer: Sendable {
    let services: HotlineServices

    public init(services: HotlineServices) { self.services = services }

    /// The most recent finished orders used.
    public static let maximumExamples = 50_000
    /// A detailed category needs this many examples to be learned.
    public static let minimumPerDetailedCategory = 5

    public struct Summary: Sendable, Codable, Equatable {
        public var orders: Int
        public var knowledgeEntries: Int
        public var categoryLabels: Int
        public var detailedLabels: Int
        public var unitLabels: Int
        public var seconds: Double
    }

    struct Example {
        var text: String
        var category: String?
        var unit: UnitID?
        /// Returned or re-dispatched: the unit first chosen was wrong.
        var unitCorrected: Bool
        /// Reclassified: the category first chosen was wrong.
        var categoryCorrected: Bool
    }

    /// Trains all three models and stores them.
    @discardableResult
    public func train(now: Date) async throws -> Summary {
        let started = Date()
        let orders = try await finishedOrders()
        let knowledge = try await services.knowledge.store.servable()
        var categoryTexts: [String] = [], categoryLabels: [String] = [], detailLabels: [String] = [], fullCodes: [String] = []
        // Top-level and second-level categories by the tree's parent links: a moved category trains under its new parent.
        let tree = services.reference.context.categoryTree
        func top(_ code: String) -> String { tree.lineage(of: code).last ?? code }
        func detailed(_ code: String) -> String {
            let lineage = tree.lineage(of: code)
            return lineage.count >= 2 ? lineage[lineage.count - 2] : code
        }
        for e in orders {
            guard let code = e.category else { continue }
            for _ in 0..<(e.categoryCorrected ? 2 : 1) {
                categoryTexts.append(e.text)
                categoryLabels.append(top(code))
                detailLabels.append(detailed(code))
                fullCodes.append(code)
            }
        }
        for s in knowledge {
            guard let content = s.entry.published, let code = content.categoryCode else { continue }
            categoryTexts.append(([content.title] + content.questions).joined(separator: " "))
            categoryLabels.append(top(code))
            detailLabels.append(detailed(code))
            fullCodes.append(code)
        }
        var summary = Summary(orders: orders.count, knowledgeEntries: knowledge.count, categoryLabels: 0, detailedLabels: 0, unitLabels: 0, seconds: 0)
        if Set(categoryLabels).count >= 2 {
            let model = TextClassifier.train(texts: categoryTexts, labels: categoryLabels)
            try await services.models.save(TextModels.categoryModel, model, examples: categoryTexts.count, detail: "一级分类", at: now)
            summary.categoryLabels = model.labels.count
        }
        // The deepest category with enough examples: the full code, else its second level.
        var fullCounts: [String: Int] = [:], counts: [String: Int] = [:]
        for code in fullCodes { fullCounts[code, default: 0] += 1 }
        detailLabels = zip(fullCodes, detailLabels).map { fullCounts[$0]! >= Self.minimumPerDetailedCategory ? $0 : $1 }
        for l in detailLabels { counts[l, default: 0] += 1 }
        let keep = detailLabels.indices.filter { counts[detailLabels[$0]]! >= Self.minimumPerDetailedCategory }
        if Set(keep.map { detailLabels[$0] }).count >= 2 {
            let model = TextClassifier.train(texts: keep.map { categoryTexts[$0] }, labels: keep.map { detailLabels[$0] })
            try await services.models.save(TextModels.categoryDetailModel, model, examples: keep.count, detail: "细分类", at: now)
            summary.detailedLabels = model.labels.count
        }
        let routed = orders.filter { $0.unit != nil }
        if Set(routed.compactMap(\.unit)).count >= 2 {
            var texts: [String] = [], labels: [String] = []
            for e in routed {
                for _ in 0..<(e.unitCorrected ? 2 : 1) {
                    texts.append(e.text)
                    labels.append(e.unit!)
                }
            }
            var options = TextClassifier.Options()
            options.gazetteer = try await gazetteer()
            let model = TextClassifier.train(texts: texts, labels: labels, options: options)
            try await services.models.save(TextModels.unitModel, model, examples: routed.count, detail: "承办单位", at: now)
            summary.unitLabels = model.labels.count
        }
        summary.seconds = Date().timeIntervalSince(started)
        // The other instances load the new models.
        try await services.database.announce([.models])
        return summary
    }


    /// Place names of the unit tree, each pointing at its unit: unit names (望江社区居委会 → 望江社区, 望江)
    /// and each district's name pointing at the district's government.
    func gazetteer() async throws -> Gazetteer {
        let units = try await services.directory.units()
        var places: [(name: String, label: String)] = []
        for u in units {
            places += Gazetteer.placeNames(of: u.name).map { ($0, u.id) }
            if u.kind == .district, let d = u.district { places.append((d, u.id)) }
        }
        return Gazetteer(places: places)
    }

    func finishedOrders() async throws -> [Example] {
        let rows = try await services.database.read { db in
            try await db.rows(Statement(
                """
                SELECT o.title, o.content, o.district, o.category_code, o.lead_unit,
                    (SELECT COUNT(*) FROM work_order_events e WHERE e.order_number = o.number AND e.kind IN ('returned', 'redispatched')) AS corrections,
                    (SELECT COUNT(*) FROM work_order_events e WHERE e.order_number = o.number AND e.kind = 'reclassified') AS reclassifications
                FROM work_orders o WHERE o.status IN ('closed', 'archived') AND o.lead_unit IS NOT NULL
                ORDER BY o.number DESC LIMIT ?
                """, [Self.maximumExamples]))
        }
        return try rows.map { row in
            Example(
                text: IntakeAssistant.text(title: try row.decode(column: "title", as: String.self), content: try row.decode(column: "content", as: String.self),
                                           district: try row.decode(column: "district", as: String?.self)),
                category: try row.decode(column: "category_code", as: String?.self), unit: try row.decode(column: "lead_unit", as: String?.self),
                unitCorrected: try row.decode(column: "corrections", as: Int.self) > 0,
                categoryCorrected: try row.decode(column: "reclassifications", as: Int.self) > 0)
        }
    }
}

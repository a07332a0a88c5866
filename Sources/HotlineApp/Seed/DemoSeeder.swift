import Foundation
import HotlineDomain
import HotlineResources
import HotlineStorage
import HotlineText

/// `hotline seed --demo`: fills an empty database with the demo city and a few hundred orders in every state.
public struct DemoSeeder: Sendable {
    let services: HotlineServices

    public init(services: HotlineServices) { self.services = services }

    /// The password every demo user starts with; shown by `hotline serve --demo`.
    public static let demoPassword = "hotline12345"

    public struct Summary: Sendable {
        public var units = 0
        public var users = 0
        public var categories = 0
        public var catalogueEntries = 0
        public var orders = 0
        public var byStatus: [WorkOrderStatus: Int] = [:]
        public var knowledgeEntries = 0
        public var scripts = 0
        public var expertSeats = 0
        public var training: ModelTrainer.Summary?
        public var alreadySeeded = false
    }

    /// Seeds the reference data, then `orders` orders taken over the `days` days before `now`.
    public func seed(orders count: Int = 300, days: Int = 30, now: Date = Date(), seed: UInt64 = 12345,
                     progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Summary {
        var summary = Summary()
        let city = try DemoCity.bundled()
        guard try await services.directory.units().isEmpty else {
            summary.alreadySeeded = true
            return summary
        }
        try await services.directory.addUnits(city.units)
        try await services.directory.addUsers(city.users)
        for user in city.users { try await services.accounts.setPassword(Self.demoPassword, for: user.id) }
        try await services.directory.addCategories(city.categories)
        try await services.directory.replaceTimeLimits(.defaults)
        summary.catalogueEntries = try await services.catalogue.apply(
            city.catalogue(), note: "演示城市初始派单目录", by: .system, at: now, audit: nil).count
        try await services.reference.reload()
        summary.units = city.units.count
        summary.users = city.users.count
        summary.categories = city.categories.nodes.count

        var generator = OrderGenerator(city: city, context: services.reference.context, seed: seed)
        var times = (0..<count).map { _ in now.addingTimeInterval(-Double.random(in: 0..<Double(days * 86_400), using: &generator.rng)) }
        times.sort()
        var sequences: [CivilDay: Int] = [:]
        var outcomes: [Outcome] = []
        // Each batch is stored while the next one is generated: the generator keeps one core busy, the store another.
        var storing: Task<Void, any Error>?
        for (index, time) in times.enumerated() {
            let day = CivilDay(containing: time)
            let sequence = (sequences[day] ?? 0) + 1
            sequences[day] = sequence
            // Orders older than a month are almost all finished, as in a centre that has run for years.
            let stage = generator.randomStage(ageDays: now.timeIntervalSince(time) / 86_400)
            outcomes.append(try generator.order(number: OrderNumber(day: day, sequence: sequence), at: time, toward: stage, now: now))
            if outcomes.count == (count > 100_000 ? 1_000 : 100) || index == times.count - 1 {
                try await storing?.value
                let batch = outcomes, done = summary.orders + batch.count, orders = services.orders
                storing = Task {
                    try await orders.importOrders(batch)
                    progress?(done, count)
                }
                summary.orders = done
                outcomes.removeAll(keepingCapacity: true)
            }
        }
        try await storing?.value
        try await services.database.refreshPlannerStatistics(full: true)
        try await mergeDuplicates(now: now)
        summary.knowledgeEntries = try await KnowledgeImport(services: services).run(
            csv: try BundledData.text("demo/knowledge.csv"), by: Actor(userID: "editor", role: .knowledgeEditor, unit: "centre"), publish: true, at: now).published
        summary.scripts = try await seedScripts(now: now)
        summary.expertSeats = try await seedExpertSeats(now: now)
        // The quality scoring form (质检评分表) with the five items of a 12345 call.
        _ = try await QualityStore(database: services.database).createForm(
            QualityFormContent.standard, by: Actor(userID: "admin", role: .admin, unit: "centre"), at: now)
        try await seedSchedules(now: now)
        try await seedInspections(now: now)
        summary.training = try await ModelTrainer(services: services).train(now: now)
        try await services.similar.load(now: now)
        try await services.assistant.reloadCatalogue()
        summary.byStatus = try await services.orders.countsByStatus()
        return summary
    }

    /// The demo city's reply scripts (话术, `demo/scripts.csv`: title, category path or none for a general script,
    /// situation, text, tags), written by the demo editor.
    func seedScripts(now: Date) async throws -> Int {
        let table = try CSVTable(parsing: try BundledData.text("demo/scripts.csv"))
        let nodes = services.reference.categories
        func column(_ row: [String], _ name: String) -> String {
            guard let i = table.header.firstIndex(of: name), i < row.count else { return "" }
            return row[i].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func code(_ path: String) -> String? { categoryCode(path: path, in: nodes) }
        let tree = services.reference.context.categoryTree
        let contents = try table.rows.map { row -> ReplyScriptContent in
            let path = column(row, "category")
            guard let situation = ScriptSituation(rawValue: column(row, "situation")) else { throw AppError.invalid(field: "situation", message: column(row, "situation")) }
            let category = path.isEmpty ? nil : code(path)
            if !path.isEmpty, category == nil { throw AppError.invalid(field: "category", message: "演示话术的分类不存在：\(path)") }
            let raw = ReplyScriptContent(
                title: column(row, "title"), categoryCode: category, situation: situation, text: column(row, "text"),
                tags: column(row, "tags").split(separator: " ").map(String.init))
            return try raw.checked(isCategory: { tree.isOffered($0) }).get()
        }
        try await ReplyScriptStore(database: services.database).createAll(
            contents, by: Actor(userID: "editor", role: .knowledgeEditor, unit: "centre"), at: now, note: "演示城市初始话术")
        return contents.count
    }

    /// The demo inspector's first batch: last week's calls drawn at random (a fixed seed) and scored on the standard
    /// form, each agent a little differently, so that 质检统计 and 坐席绩效 have something to show.
    func seedInspections(now: Date) async throws {
        let quality = HotlineApp(services: services).quality
        let inspector = UserAccount(id: "inspector", displayName: "质检员 冯雪", role: .qualityInspector, unitID: "centre")
        let yesterday = CivilDay(containing: now).adding(days: -1)
        let batch = try await quality.draw(
            .init(rule: "random", calls: 16, orders: 0, from: yesterday.adding(days: -6).description, to: yesterday.description, seed: 2026),
            by: inspector, at: now)
        let weights = QualityFormContent.standard.items.map(\.weight)
        for (i, inspection) in try await quality.batch(batch.id, for: inspector).inspections.enumerated() {
            let agent = OrderGenerator.agents.firstIndex(of: inspection.target.agentID) ?? 0
            // Points off per item: an agent's habit (index-dependent) and a little per call.
            let scores = weights.enumerated().map { item, weight in max(1, weight - (agent * (item + 1) + i) % max(2, weight / 3)) }
            _ = try await quality.score(inspection.id, .init(scores: scores, comment: "演示质检：整体规范。"), by: inspector, at: now)
        }
    }

    /// A path of names (劳动和社会保障/社会保险/社保卡) down the category tree to its code.
    func categoryCode(path: String, in nodes: [CategoryNode]) -> String? {
        var parent: String?
        for name in path.split(separator: "/").map(String.init) {
            guard let node = nodes.first(where: { $0.parentCode == parent && $0.name == name }) else { return nil }
            parent = node.code
        }
        return parent
    }

    /// The demo city's expert seats (专家坐席): the housing provident fund centre and the human-resources and social
    /// security bureau stationed in the centre, each with its demo staff member as the policy specialist.
    func seedExpertSeats(now: Date) async throws -> Int {
        let nodes = services.reference.categories
        let seats: [(String, UnitID, [String], String, String, String)] = [
            ("公积金专家坐席", "dept-fund", ["城乡建设/住房保障与房地产/住房公积金"], "09:00-12:00 13:30-17:30", "fund", "公积金缴存、提取、贷款政策解答"),
            ("人社专家坐席", "dept-hrss", ["劳动和社会保障"], "09:00-12:00 14:00-17:00", "hrss", "社保、医保、就业、劳动关系政策解答"),
        ]
        let store = ExpertSeatStore(database: services.database)
        let admin = Actor(userID: "admin", role: .admin, unit: "centre")
        for (name, unit, paths, hours, specialist, note) in seats {
            let matters = try paths.map { path in
                guard let code = categoryCode(path: path, in: nodes) else { throw AppError.invalid(field: "matters", message: "演示专家坐席的分类不存在：\(path)") }
                return code
            }
            let content = ExpertSeatContent(
                name: name, unitID: unit, matters: matters, hours: try DayTimeRange.parseList(hours).get(), specialists: [specialist], note: note)
            _ = try await store.add(content, audit: AuditEntry(at: now, actor: admin, action: .expertSeatChanged, detail: "演示城市专家坐席：\(name)"), at: now)
        }
        return seats.count
    }

    /// A few repeat calls about matters already being handled, merged the way a dispatcher would (并单).
    func mergeDuplicates(now: Date) async throws {
        let desk = HotlineApp(services: services).desk
        var filter = OrderFilter()
        filter.statuses = [.handling]
        let targets = try await services.orders.list(filter, page: PageRequest(size: 3), now: now).items
        let dispatcher = Actor(userID: "dispatcher", role: .dispatcher, unit: "centre")
        for target in targets {
            guard let original = try await services.orders.order(target.number) else { continue }
            var draft = IntakeDraft(channel: .phone, caller: original.caller, kind: original.kind, categoryCode: original.categoryCode,
                                    title: original.title, content: "再次反映：" + original.content, location: original.location, lanes: original.lanes)
            draft.repeatOf = original.number
            let at = min(now, original.timeline.updatedAt.addingTimeInterval(3600))
            let duplicate = try await desk.intake(draft, by: Actor(userID: "agent", role: .agent, unit: "centre"), at: at)
            _ = try await desk.merge(duplicate.order.number, into: original.number, by: dispatcher, at: at, note: "同一诉求重复来电，并入原工单")
        }
    }
}

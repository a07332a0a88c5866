import Foundation
import HotlineDomain
import Logging
import Synchronization

/// Everything the platform runs on, built once from a database location.
public struct HotlineServices: Sendable {
    public let database: HotlineDatabase
    public let directory: DirectoryStore
    public let accounts: AccountStore
    public let orders: SQLWorkOrderStore
    public let reference: ReferenceData
    public let audit: AuditLog
    public let catalogue: DispatchCatalogueStore
    public let restrictions: CallerRestrictionStore
    /// bcrypt cost for passwords set through the platform.
    public let passwordCost: UInt8
    public let knowledge: KnowledgeBase
    public let models: TextModels
    public let similar: SimilarOrders
    public let assistant: IntakeAssistant
    /// The screen pops of this instance's agents (来电弹屏).
    public let screenPops = ScreenPopHub()

    /// Opens the database, applies pending migrations and loads the reference data.
    public static func open(
        _ location: DatabaseLocation, calendar: WorkingCalendar, logger: Logger = Logger(label: "hotline"), passwordCost: UInt8 = 11
    ) async throws -> HotlineServices {
        let database = try await HotlineDatabase.open(location, logger: logger)
        do {
            try await Migrator(database: database).migrate()
            // Migration 23's measures count the orders stored before it, once.
            try await MeasureStore(database: database).backfillIfPending()
            try await database.refreshPlannerStatistics()
            let directory = DirectoryStore(database: database)
            let orders = SQLWorkOrderStore(database: database)
            let reference = try await ReferenceData.load(directory: directory, calendar: calendar)
            let catalogue = DispatchCatalogueStore(database: database)
            let knowledge = KnowledgeBase(store: KnowledgeStore(database: database))
            let models = TextModels(database: database)
            let similar = SimilarOrders(database: database)
            let assistant = IntakeAssistant(database: database, names: reference, catalogue: catalogue, models: models, knowledge: knowledge,
                                            similar: similar)
            try await models.load()
            try await assistant.reloadCatalogue()
            let services = HotlineServices(
                database: database, directory: directory, accounts: AccountStore(database: database, cost: passwordCost), orders: orders, reference: reference,
                audit: AuditLog(database: database),
                catalogue: catalogue, restrictions: CallerRestrictionStore(database: database),
                passwordCost: passwordCost, knowledge: knowledge, models: models, similar: similar, assistant: assistant)
            services.screenPops.listen(to: database.changes)
            return services
        } catch {
            await database.close()
            throw error
        }
    }

    public func close() async { await database.close() }

    /// Builds the in-memory search indexes (knowledge base, recent and open orders); what a server needs before
    /// it answers, and one-off commands do not.
    public func loadIndexes(now: Date) async throws {
        try await knowledge.reload()
        try await similar.load(now: now)
    }

    /// Opens the services, runs `body`, and closes the database whether `body` succeeds or throws.
    public static func with<T>(
        _ location: DatabaseLocation, calendar: WorkingCalendar, logger: Logger = Logger(label: "hotline"),
        _ body: (HotlineServices) async throws -> T
    ) async throws -> T {
        let services = try await open(location, calendar: calendar, logger: logger)
        do {
            let result = try await body(services)
            await services.close()
            return result
        } catch {
            await services.close()
            throw error
        }
    }
}

extension HotlineServices {
    /// Reply attachments (附件).
    public var attachments: AttachmentStore { AttachmentStore(database: database) }
    /// The supervision board's reads (督办).
    public var supervision: SupervisionStore { SupervisionStore(database: database) }
    /// Notices (消息提醒), each user's own.
    public var notices: NoticeStore { NoticeStore(database: database) }
}

extension HotlineServices {
    /// Keeps this instance's in-memory indexes in step with what the other instances write, until the task is
    /// cancelled (实例间索引同步): orders they take enter the similar-order index, knowledge entries they change are
    /// re-indexed, models they retrain are loaded, and after a lost connection (``Change/resync``) everything is
    /// reloaded. Changes arriving while one round runs are taken together in the next.
    public func followOtherInstances(now: @escaping @Sendable () -> Date = { Date() }, logger: Logger) async {
        let waiting = Mutex<[Change]>([])
        let (signals, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let key = database.changes.observe { batch in
            guard !batch.local else { return }
            waiting.withLock { $0 += batch.changes }
            signal.yield()
        }
        defer { database.changes.stopObserving(key) }
        await withTaskCancellationHandler {
            for await _ in signals {
                let changes = waiting.withLock { all in defer { all = [] }; return all }
                do { try await catchUp(changes, now: now()) } catch {
                    logger.error("index sync failed", metadata: ["error": "\(error)"])
                }
            }
        } onCancel: {
            signal.finish()
        }
    }

    /// Applies the other instances' `changes` to this instance's indexes.
    public func catchUp(_ changes: [Change], now: Date) async throws {
        if changes.contains(.resync) {
            try await loadIndexes(now: now)
            try await models.load()
            return
        }
        var orders: [Int64] = [], entries = Set<Int64>(), models = false
        for change in changes {
            switch change {
            case .order(let n): orders.append(n)
            case .knowledge(let id): entries.insert(id)
            case .models: models = true
            default: break
            }
        }
        if !orders.isEmpty { try await similar.addMissing(orders) }
        for id in entries.sorted() {
            if let stored = try await knowledge.store.entry(id) { knowledge.refresh(stored) }
        }
        if models { try await self.models.load() }
    }
}

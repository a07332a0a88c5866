import Foundation
import SQLKit
import Synchronization

/// Something that changed in the database that open pages and in-memory indexes may need to look at again (变更通知).
public enum Change: Sendable, Hashable {
    /// An order's events (and with them its row, notices and measures).
    case order(Int64)
    /// A knowledge entry's wording, status or feedback counts.
    case knowledge(Int64)
    /// Notices or alerts written outside an order's transaction (hot-topic alerts).
    case notices
    /// A call an agent just answered: their console pops the intake desk (来电弹屏).
    case call(agent: String, callID: String, caller: String)
    /// The text models were retrained.
    case models
    /// Notifications may have been missed (the listening connection was lost): look at everything again.
    case resync

    /// The compact text form carried by PostgreSQL notifications.
    var payload: String {
        switch self {
        case .order(let n): "o\(n)"
        case .knowledge(let id): "k\(id)"
        case .notices: "n"
        case .call(let agent, let callID, let caller): "c" + [agent, callID, caller].map(Self.escape).joined(separator: ":")
        case .models: "m"
        case .resync: "r"
        }
    }

    init?(payload: Substring) {
        guard let tag = payload.first else { return nil }
        let rest = payload.dropFirst()
        switch tag {
        case "o": guard let n = Int64(rest) else { return nil }; self = .order(n)
        case "k": guard let id = Int64(rest) else { return nil }; self = .knowledge(id)
        case "n": self = .notices
        case "m": self = .models
        case "r": self = .resync
        case "c":
            let parts = rest.split(separator: ":", omittingEmptySubsequences: false).map { $0.removingPercentEncoding ?? String($0) }
            guard parts.count == 3 else { return nil }
            self = .call(agent: parts[0], callID: parts[1], caller: parts[2])
        default: return nil
        }
    }

    private static let plain = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_.")).subtracting(CharacterSet(charactersIn: ",:%"))
    private static func escape(_ field: String) -> String { field.addingPercentEncoding(withAllowedCharacters: plain) ?? "" }

    /// Whether an order page for `number` must look again.
    public func concerns(order number: Int64) -> Bool {
        switch self {
        case .order(let n): n == number
        case .resync: true
        default: false
        }
    }

    /// Whether lists, queue tiles, boards and the bell must look again.
    public var concernsOrders: Bool {
        switch self {
        case .order, .notices, .resync: true
        default: false
        }
    }
}

/// Changes committed together, and whether they were committed by this instance or by another one.
public struct ChangeBatch: Sendable {
    public var changes: [Change]
    /// False when the batch came from another instance through PostgreSQL.
    public var local: Bool

    public init(changes: [Change], local: Bool) {
        self.changes = changes
        self.local = local
    }
}

/// Tells whoever listens on this instance what was committed (实例间变更推送). A transaction announces its changes with
/// ``announce(_:in:)``; they are published here only once it commits. On PostgreSQL the same changes go to every other
/// instance by `NOTIFY` in the committing transaction (so a rolled-back write tells nobody, and a committed one tells
/// everyone), and the instance's listening connection (``HotlineDatabase/coordinate(wanting:)``) publishes the others'.
public final class ChangeFeed: Sendable {
    /// This process's id in notifications, so that it skips its own (it has published them already).
    public let instance = String(UUID().uuidString.prefix(8)).lowercased()
    private let observers = Mutex<[UUID: @Sendable (ChangeBatch) -> Void]>([:])

    public init() {}

    /// The changes of the transaction running in this task, announced when it commits.
    @TaskLocal static var pending: Pending?

    final class Pending: Sendable {
        let changes = Mutex<[Change]>([])
        func add(_ more: [Change]) { changes.withLock { $0 += more } }
        /// The changes announced so far, each once, in the order first announced.
        var unique: [Change] {
            changes.withLock { all in
                var seen = Set<Change>()
                return all.filter { seen.insert($0).inserted }
            }
        }
    }

    /// Inside ``HotlineDatabase/transaction(_:)``: `changes` are made known when, and only if, the transaction commits.
    /// Outside a transaction (a single statement that has already committed) they are published at once.
    public func announce(_ changes: [Change]) {
        guard !changes.isEmpty else { return }
        if let pending = Self.pending { pending.add(changes) } else { publish(ChangeBatch(changes: changes, local: true)) }
    }

    /// Announces `changes` for the transaction running in this task (stores that only have its `SQLDatabase`).
    public static func announce(_ changes: [Change]) {
        pending?.add(changes)
    }

    /// Calls `observer` for every batch from now on, on the publishing task (keep it short); returns its key.
    @discardableResult
    public func observe(_ observer: @escaping @Sendable (ChangeBatch) -> Void) -> UUID {
        let key = UUID()
        observers.withLock { $0[key] = observer }
        return key
    }

    public func stopObserving(_ key: UUID) { observers.withLock { $0[key] = nil } }

    /// Every batch from now on, until the stream is dropped. Slow readers keep the latest batches only: a page
    /// that looks again after any change needs no more.
    public func subscribe() -> AsyncStream<ChangeBatch> {
        let (stream, continuation) = AsyncStream<ChangeBatch>.makeStream(bufferingPolicy: .bufferingNewest(64))
        let key = observe { continuation.yield($0) }
        continuation.onTermination = { [weak self] _ in self?.stopObserving(key) }
        return stream
    }

    /// How many observers and streams listen now (tests).
    public var observerCount: Int { observers.withLock { $0.count } }

    public func publish(_ batch: ChangeBatch) {
        guard !batch.changes.isEmpty else { return }
        for observer in observers.withLock({ Array($0.values) }) { observer(batch) }
    }

    // MARK: - Notification payloads

    /// PostgreSQL's limit on a notification's payload is 8,000 bytes; batches are split below it.
    static let payloadLimit = 7_000

    /// The payloads announcing `changes` from this instance: `<instance>|change,change,…`.
    func payloads(_ changes: [Change]) -> [String] {
        var result: [String] = []
        var current = ""
        for payload in changes.map(\.payload) {
            if !current.isEmpty && current.utf8.count + payload.utf8.count + 1 > Self.payloadLimit {
                result.append(instance + "|" + current)
                current = ""
            }
            current += (current.isEmpty ? "" : ",") + payload
        }
        if !current.isEmpty { result.append(instance + "|" + current) }
        return result
    }

    /// The batch a notification carries, or nil when it is this instance's own (or unreadable).
    func batch(fromPayload payload: String) -> ChangeBatch? {
        guard let bar = payload.firstIndex(of: "|") else { return nil }
        guard payload[..<bar] != instance else { return nil }
        let changes = payload[payload.index(after: bar)...].split(separator: ",").compactMap(Change.init(payload:))
        return changes.isEmpty ? nil : ChangeBatch(changes: changes, local: false)
    }
}

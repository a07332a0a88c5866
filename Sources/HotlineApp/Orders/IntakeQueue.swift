import HotlineDomain
import HotlineStorage
import Synchronization

/// Group commit for intake: requests that arrive while a batch is being written wait and go together
/// in the next transaction, so a surge costs one commit per batch instead of one per order.
actor IntakeQueue {
    private struct Waiting {
        var request: NewOrderRequest
        var continuation: CheckedContinuation<Outcome, any Error>
    }

    private let store: any WorkOrderStore
    private let maximumBatch: Int
    private var waiting: [Waiting] = []
    private var draining = false
    /// Intakes waiting or being written now (`/metrics`), readable without waiting for the actor.
    private let depth = Atomic<Int>(0)
    nonisolated var queued: Int { depth.load(ordering: .relaxed) }

    init(store: any WorkOrderStore, maximumBatch: Int = 256) {
        self.store = store
        self.maximumBatch = maximumBatch
    }

    func submit(_ request: NewOrderRequest) async throws -> Outcome {
        depth.add(1, ordering: .relaxed)
        defer { depth.subtract(1, ordering: .relaxed) }
        return try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(request: request, continuation: continuation))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
    }

    private func drain() async {
        while !waiting.isEmpty {
            let batch = Array(waiting.prefix(maximumBatch))
            waiting.removeFirst(batch.count)
            do {
                let results = try await store.insertBatch(batch.map(\.request))
                for (item, result) in zip(batch, results) { item.continuation.resume(with: result) }
            } catch {
                for item in batch { item.continuation.resume(throwing: error) }
            }
        }
        draining = false
    }
}

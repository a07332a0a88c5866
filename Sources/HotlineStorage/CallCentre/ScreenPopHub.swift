import Foundation
import Synchronization

/// A call an agent just answered, for their console's screen pop (来电弹屏).
public struct ScreenPop: Sendable, Equatable {
    public var callID: String
    public var caller: String

    public init(callID: String, caller: String) {
        self.callID = callID
        self.caller = caller
    }
}

/// Hands each answered call to the consoles of the agent who answered it. An agent's open pages on this instance
/// subscribe; the calls come from the change feed (``listen(to:)``), so a call answered through any instance reaches
/// the pages on every instance. A call answered while none is open is not kept (the agent opens the intake desk by hand).
public final class ScreenPopHub: Sendable {
    private let subscribers = Mutex<[String: [UUID: AsyncStream<ScreenPop>.Continuation]]>([:])

    public init() {}

    /// How many of `agent`'s pages listen now.
    public func subscriberCount(agent: String) -> Int { subscribers.withLock { $0[agent]?.count ?? 0 } }

    /// The pops of `agent` from now on, until the stream is dropped.
    public func subscribe(agent: String) -> AsyncStream<ScreenPop> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<ScreenPop>.makeStream(bufferingPolicy: .bufferingNewest(4))
        subscribers.withLock { $0[agent, default: [:]][id] = continuation }
        continuation.onTermination = { [weak self] _ in
            self?.subscribers.withLock { all in
                all[agent]?[id] = nil
                if all[agent]?.isEmpty == true { all[agent] = nil }
            }
        }
        return stream
    }

    /// Passes on every answered call the feed carries, this instance's and the others'.
    public func listen(to feed: ChangeFeed) {
        feed.observe { [weak self] batch in
            for change in batch.changes {
                if case .call(let agent, let callID, let caller) = change { self?.publish(ScreenPop(callID: callID, caller: caller), to: agent) }
            }
        }
    }

    public func publish(_ pop: ScreenPop, to agent: String) {
        for continuation in subscribers.withLock({ Array(($0[agent] ?? [:]).values) }) { continuation.yield(pop) }
    }
}

import Foundation
import HotlineDomain
import HotlineText
import Synchronization

/// A knowledge answer found for a query, with the matching words marked.
public struct KnowledgeHit: Sendable, Equatable, Codable {
    public var id: Int64
    public var title: String
    /// HTML-safe excerpt with `<mark>` around matching words.
    public var snippet: String
    public var answer: String
    public var categoryCode: String?
    public var unitID: UnitID?
    public var score: Double
    public var used: Int
    public var notUseful: Int
}

/// The searchable knowledge base (知识检索): a BM25 index over the published wording of live entries, kept
/// in memory and refreshed on every change; agents' feedback nudges the ranking.
public final class KnowledgeBase: Sendable {
    public let store: KnowledgeStore
    private let state = Mutex(State())

    struct Served: Sendable {
        var content: KnowledgeContent
        var used: Int
        var notUseful: Int
    }

    struct State: Sendable {
        var index = BM25Index(tokenizer: .retrieval)
        var served: [Int64: Served] = [:]
        /// Entries with an effective or expiry date, the only ones a search must check against the clock.
        var dated: [Int64: KnowledgeContent] = [:]
    }

    public init(store: KnowledgeStore) { self.store = store }

    public var count: Int { state.withLock { $0.served.count } }

    /// Rebuilds the index from every entry with a published wording.
    public func reload() async throws {
        let entries = try await store.servable()
        var fresh = State()
        for s in entries { Self.add(s, to: &fresh) }
        state.withLock { $0 = fresh }
    }

    /// Brings one entry's indexing up to date after a change.
    public func refresh(_ stored: KnowledgeStore.Stored) {
        state.withLock { state in
            state.index.remove(id: stored.entry.id)
            state.served[stored.entry.id] = nil
            state.dated[stored.entry.id] = nil
            Self.add(stored, to: &state)
            state.index.compactIfWorthIt()
        }
    }

    private static func add(_ s: KnowledgeStore.Stored, to state: inout State) {
        guard s.entry.status != .retired, let content = s.entry.published else { return }
        state.index.add(id: s.entry.id, text: content.searchableText)
        state.served[s.entry.id] = Served(content: content, used: s.used, notUseful: s.notUseful)
        if content.effectiveFrom != nil || content.expiresAt != nil { state.dated[s.entry.id] = content }
    }

    public func noteFeedback(_ id: Int64, used: Int, notUseful: Int) {
        state.withLock { state in
            state.served[id]?.used = used
            state.served[id]?.notUseful = notUseful
        }
    }

    /// How agents' verdicts weigh on an entry's score: from 0.75 (always rejected) to 1.25 (always used).
    static func feedbackFactor(used: Int, notUseful: Int) -> Double {
        0.75 + 0.5 * Double(used + 1) / Double(used + notUseful + 2)
    }

    /// The best live entries for `query` at `now`.
    public func search(_ query: String, limit: Int, now: Date) -> [KnowledgeHit] {
        let found = state.withLock { state -> [(BM25Index.Hit, Served)] in
            let dated = state.dated
            // Extra candidates leave room for the feedback factor to reorder.
            let hits = dated.isEmpty
                ? state.index.search(query, limit: limit * 3)
                : state.index.search(query, limit: limit * 3) { id in dated[id]?.isEffective(at: now) ?? true }
            return hits.compactMap { hit in state.served[hit.id].map { (hit, $0) } }
        }
        return found.map { hit, s in
            KnowledgeHit(
                id: hit.id, title: s.content.title, snippet: Snippet.make(s.content.answer, query: query), answer: s.content.answer,
                categoryCode: s.content.categoryCode, unitID: s.content.unitID,
                score: hit.score * Self.feedbackFactor(used: s.used, notUseful: s.notUseful), used: s.used, notUseful: s.notUseful)
        }
        .sorted { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
        .prefix(limit).map { $0 }
    }
}

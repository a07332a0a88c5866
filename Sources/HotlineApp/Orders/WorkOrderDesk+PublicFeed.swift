import Foundation
import HotlineDomain
import HotlineStorage

/// What readers without an account may ask about orders in general (Open311 GeoReport v2's `GET requests`): which
/// orders, never what of them is shown — the front end shows each order only as the citizen's public timeline does.
public struct PublicOrderQuery: Sendable, Equatable {
    /// The most orders one answer holds.
    public static let maximumCount = 1_000
    /// The longest period one answer covers, and the default period (the last 90 days).
    public static let maximumSpan: TimeInterval = 90 * 86_400

    /// Exactly these orders (the other conditions do not apply).
    public var numbers: [OrderNumber]?
    /// Categories, each with everything below it; empty: every category.
    public var categories: [String]
    /// Empty: every status.
    public var statuses: [WorkOrderStatus]
    /// Orders created in `[from, to]`.
    public var from: Date
    public var to: Date

    public init(numbers: [OrderNumber]? = nil, categories: [String] = [], statuses: [WorkOrderStatus] = [], from: Date, to: Date) {
        self.numbers = numbers
        self.categories = categories
        self.statuses = statuses
        self.from = from
        self.to = to
    }
}

extension WorkOrderDesk {
    /// Orders for a public feed, newest first, at most ``PublicOrderQuery/maximumCount``: the numbers asked for, or the
    /// orders created in the period within the categories' subtrees (by parent links) and statuses. No data scope
    /// applies (the reader has none); the caller of this shows only the public part of each.
    public func publicOrders(_ query: PublicOrderQuery, now: Date) async throws -> [WorkOrder] {
        if let numbers = query.numbers {
            return Array(try await store.orders(numbered: Array(numbers.prefix(PublicOrderQuery.maximumCount))).prefix(PublicOrderQuery.maximumCount))
        }
        var filter = OrderFilter()
        filter.statuses = query.statuses
        filter.createdFrom = query.from
        // `createdTo` is exclusive; the query's end is not.
        filter.createdTo = query.to.addingTimeInterval(1)
        if !query.categories.isEmpty {
            let tree = reference.context.categoryTree
            var seen: Set<String> = []
            filter.categorySubtree = query.categories.flatMap { tree.subtree(of: $0) }.filter { seen.insert($0).inserted }
        }
        return try await store.orders(matching: filter, limit: PublicOrderQuery.maximumCount, now: now)
    }
}

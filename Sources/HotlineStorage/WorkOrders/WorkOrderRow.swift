import Foundation
import HotlineDomain
import SQLKit

/// How a work order maps onto the `work_orders` row: indexed columns for lists, the whole order as JSON.
enum WorkOrderRow {
    /// The statuses of the open orders' index (migration 30), fixed as that migration defined them: the open statuses of
    /// that day. A status added later is simply not served by the index.
    static let openIndexStatuses: [WorkOrderStatus] = [.pendingDispatch, .dispatched, .returned, .handling, .unitReview, .replied, .awaitingCallback, .callbackDisputed]

    /// ``openIndexStatuses`` as SQL literals in one fixed order: the index is defined with this list and the lists it
    /// serves repeat it word for word, which is how SQLite knows the index applies.
    static let openStatusList = openIndexStatuses.map { "'\($0.rawValue)'" }.joined(separator: ", ")

    static let columns = [
        "number", "status", "channel", "kind", "category_code", "lead_unit", "caller_phone", "district", "title", "content",
        "created_at", "updated_at", "due_at", "redo_count", "version", "event_count", "last_event_hash", "doc", "caller_confidential", "lanes",
        "extension_pending", "sent_back", "urged", "carded", "sla_next_at", "awaits_coordination",
        "supervision_flagged", "street", "latitude", "longitude",
    ]

    /// The marks queues are made of (migration 13), 0 or 1 each: extension pending, sent back, redone, urged, carded.
    /// `work_orders` keeps all but `redone` (it has `redo_count`); each unit link keeps all five.
    struct Marks: Equatable {
        var extensionPending: Int
        var sentBack: Int
        var redone: Int
        var urged: Int
        var carded: Int

        init(_ order: WorkOrder) {
            extensionPending = order.pendingExtension == nil ? 0 : 1
            sentBack = order.sentBackAt == nil ? 0 : 1
            redone = order.redoCount > 0 ? 1 : 0
            urged = (order.supervision?.urges ?? 0) > 0 ? 1 : 0
            carded = (order.supervision.map { $0.yellowCards + $0.redCards } ?? 0) > 0 ? 1 : 0
        }

        static let linkColumns = ["extension_pending", "sent_back", "redone", "urged", "carded"]
        var linkValues: [any Encodable & Sendable] { [extensionPending, sentBack, redone, urged, carded] }
    }

    /// The row's values in ``columns`` order; without `document` the `doc` column is left empty (for comparing rows).
    static func values(_ order: WorkOrder, eventCount: Int, lastHash: String, document: Bool = true) throws -> [any Encodable & Sendable] {
        [
            order.number.rawValue, order.status.rawValue, order.channel.rawValue, order.kind.rawValue,
            bindable(order.categoryCode), bindable(order.leadUnit), order.caller.phone,
            bindable(order.location.district), order.title, order.content,
            seconds(order.timeline.createdAt), seconds(order.timeline.updatedAt), bindable(order.activeDeadline.map(seconds)),
            order.redoCount, order.version, eventCount, lastHash, document ? try encode(order) : "", order.caller.confidential ? 1 : 0,
            order.lanes.map(\.rawValue).joined(separator: ","),
        ] + { (m: Marks) -> [any Encodable & Sendable] in [m.extensionPending, m.sentBack, m.urged, m.carded] }(Marks(order))
            + [slaNextAt(order), order.awaitsCoordination ? 1 : 0, order.supervisionFlag == nil ? 0 : 1]
            + [bindable(order.location.street), bindable(order.location.latitude), bindable(order.location.longitude)]
    }

    /// Every write of an order with a running clock asks the SLA sweeper to look at it at its next pass (0); an order with
    /// none is not looked at (NULL). The sweeper's own write then sets the time it next has something to do.
    static func slaNextAt(_ order: WorkOrder) -> any Encodable & Sendable {
        bindable(order.activeDeadline == nil ? nil : Int64(0))
    }

    static func seconds(_ date: Date) -> Int64 { date.epochSeconds }

    static func encode(_ order: WorkOrder) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(order), as: UTF8.self)
    }

    static func decode(_ doc: String) throws -> WorkOrder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return try decoder.decode(WorkOrder.self, from: Data(doc.utf8))
    }

    /// Whether the order's unit links changed: which units, in which part.
    static func linksChanged(_ order: WorkOrder, from previous: WorkOrder) -> Bool {
        !unitLinks(order).elementsEqual(unitLinks(previous), by: { $0 == $1 })
    }

    /// Whether what every unit link carries changed: the order's status, the units' deadline or the marks.
    static func linkValuesChanged(_ order: WorkOrder, from previous: WorkOrder) -> Bool {
        order.status != previous.status || order.unitDeadline != previous.unitDeadline || Marks(order) != Marks(previous)
    }

    /// The units an order is linked to, with the part each plays.
    static func unitLinks(_ order: WorkOrder) -> [(UnitID, String)] {
        var links: [(UnitID, String)] = []
        if let lead = order.leadUnit { links.append((lead, "lead")) }
        for unit in order.assistingUnits where !links.contains(where: { $0.0 == unit }) { links.append((unit, "assisting")) }
        for unit in order.subUnits where !links.contains(where: { $0.0 == unit }) { links.append((unit, "sub")) }
        return links
    }

    static func summary(_ row: any SQLRow) throws -> OrderSummary {
        func parse<T: RawRepresentable<String>>(_ column: String, _ type: T.Type) throws -> T {
            let raw = try row.decode(column: column, as: String.self)
            guard let value = T(rawValue: raw) else { throw DatabaseError.corrupt("\(column)=\(raw)") }
            return value
        }
        return OrderSummary(
            number: OrderNumber(rawValue: try row.decode(column: "number", as: Int64.self)),
            status: try parse("status", WorkOrderStatus.self),
            channel: try parse("channel", Channel.self),
            kind: try parse("kind", RequestKind.self),
            categoryCode: try row.decode(column: "category_code", as: String?.self),
            leadUnit: try row.decode(column: "lead_unit", as: String?.self),
            title: try row.decode(column: "title", as: String.self),
            district: try row.decode(column: "district", as: String?.self),
            callerPhone: try row.decode(column: "caller_phone", as: String.self),
            callerConfidential: try row.decode(column: "caller_confidential", as: Int.self) != 0,
            createdAt: Date(timeIntervalSince1970: TimeInterval(try row.decode(column: "created_at", as: Int64.self))),
            dueAt: try row.decode(column: "due_at", as: Int64?.self).map { Date(timeIntervalSince1970: TimeInterval($0)) },
            redoCount: try row.decode(column: "redo_count", as: Int.self),
            // A lane this build does not know is left out rather than failing the list.
            lanes: try row.decode(column: "lanes", as: String.self).split(separator: ",").compactMap { Lane(rawValue: String($0)) })
    }
}

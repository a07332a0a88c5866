import Foundation
import HotlineDomain

extension IntakeAssistant.Request {
    /// The request for an order as it stands, wherever it is looked at (the order page, `/intake/assist` with a
    /// number): the facts the agent typed at intake — title, content, address, district, category — read back from
    /// the order; the order left out of its own look-alikes; the units that returned it left out of the units.
    public init(order: WorkOrder, events: [StoredEvent]) {
        self.init(title: order.title, content: order.content, address: order.location.address, district: order.location.district,
                  categoryCode: order.categoryCode, callerPhone: order.caller.phone, excluding: order.number,
                  excludedUnits: IntakeAssistant.returningUnits(in: events))
    }
}

extension IntakeAssistant {
    /// The units that returned the order (退单, the `unit` of each `returned` event), in the order they did, each once.
    public static func returningUnits(in events: [StoredEvent]) -> [UnitID] {
        var units: [UnitID] = []
        for e in events where e.kind == EventKind.returned.rawValue {
            if let unit = e.detailValues["unit"], !unit.isEmpty, !units.contains(unit) { units.append(unit) }
        }
        return units
    }
}

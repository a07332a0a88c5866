import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage

/// What anyone may read of an order through Open311: no more than the citizen portal shows its own caller
/// (``PublicOrderView``), and less where the reader is not that caller.
///
/// - `status_notes`: the status in the citizen's words, the answer once it is public, the note of a merge.
/// - `description`: the order's title (the summary the portal shows), never the full text; `agency_responsible`: the
///   lead unit's name; `expected_datetime`: the deadline of the current stage while the order is open.
/// - Place: the recorded district and street names, never the caller's address text; the point rounded to three
///   decimals (about 100 m).
/// - Nothing about staff, internal notes, or any caller: the caller's and merged callers' names, phones and ID numbers
///   are masked wherever the title or the answer repeats them, and so is any run of digits that may be a phone or ID
///   number. A confidential caller's order (保密) shows neither title nor place.
extension Open311View.ServiceRequest {
    /// Decimal places kept of a point's coordinates.
    static let coordinatePlaces = 3.0

    init(public order: WorkOrder, reference: ReferenceData) {
        let track = PublicOrderView(order, unitNames: reference.names.units)
        let people = [order.caller] + order.mergedCallers.map(\.caller)
        let mask = { (text: String) in Open311Privacy.masked(text, people: people) }
        var notes = track.statusName
        if let answer = track.answer { notes += "。答复：" + mask(answer) }
        if let note = track.note { notes += "。" + note }
        let withheld = people.contains(where: \.confidential)
        var place = [order.location.district, order.location.street].compactMap { $0?.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        // A street recorded with its district's name in front ("江城区滨江街道办事处") says the district already.
        if place.count == 2, place[1].hasPrefix(place[0]) { place.removeFirst() }
        func rounded(_ value: Double?) -> Double? {
            value.map { ($0 * pow(10, Self.coordinatePlaces)).rounded() / pow(10, Self.coordinatePlaces) }
        }
        let status = Open311Status(order.status)
        self.init(
            id: order.number.description, status: status, statusNotes: notes,
            serviceName: order.categoryCode.flatMap(reference.categoryName), serviceCode: order.categoryCode ?? "",
            description: withheld ? nil : mask(order.title),
            agencyResponsible: order.leadUnit.flatMap(reference.unitName),
            requested: track.acceptedAt, updated: track.steps.map(\.at).max(),
            expected: status == .open ? order.activeDeadline : nil,
            address: withheld || place.isEmpty ? nil : place.joined(separator: " "),
            latitude: withheld ? nil : rounded(order.location.latitude), longitude: withheld ? nil : rounded(order.location.longitude))
    }
}

/// Masks what identifies a caller in text that the public reads.
enum Open311Privacy {
    static let mask = "***"

    /// `text` with these callers' names, phones and ID numbers masked, and every run of 7 to 12 digits (a phone
    /// number, with or without its area code) or of 15 to 18 characters of an ID number. Order numbers (14 digits) and
    /// ordinary figures stay.
    static func masked(_ text: String, people: [Caller]) -> String {
        var result = text
        for caller in people {
            for value in [caller.phone, caller.idNumber ?? ""] where value.count >= 3 {
                result = result.replacingOccurrences(of: value, with: mask)
            }
            let name = caller.name.trimmingCharacters(in: .whitespaces)
            if name.count >= 2, name != "匿名" { result = result.replacingOccurrences(of: name, with: mask) }
        }
        return maskedNumbers(result)
    }

    /// Runs of digits (an ID number may end in X) that look like a phone or an ID number, masked.
    static func maskedNumbers(_ text: String) -> String {
        var out = ""
        var run = ""
        func flush() {
            let isPhone = (7...12).contains(run.count) && run.allSatisfy(\.isNumber)
            let isID = (15...18).contains(run.count)
            out += isPhone || isID ? mask : run
            run = ""
        }
        for c in text {
            if c.isASCII && c.isNumber || (!run.isEmpty && (c == "X" || c == "x") && run.count == 17) {
                run.append(c)
            } else {
                flush()
                out.append(c)
            }
        }
        flush()
        return out
    }
}

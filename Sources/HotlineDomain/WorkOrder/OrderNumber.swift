/// A work order's human-readable number (工单编号): the intake day and a sequence within that day,
/// e.g. `20261122000123` is the 123rd order taken on 22 November 2026.
public struct OrderNumber: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, LosslessStringConvertible {
    public let rawValue: Int64

    public static let perDayCapacity: Int64 = 1_000_000

    public init(rawValue: Int64) { self.rawValue = rawValue }

    public init(day: CivilDay, sequence: Int) {
        let c = day.components
        let date = Int64(c.year * 10_000 + c.month * 100 + c.day)
        rawValue = date * OrderNumber.perDayCapacity + Int64(sequence)
    }

    public init?(_ description: String) {
        guard description.count == 14, description.allSatisfy(\.isASCII), let value = Int64(description),
            value % OrderNumber.perDayCapacity > 0
        else { return nil }
        rawValue = value
    }

    public var sequence: Int { Int(rawValue % OrderNumber.perDayCapacity) }
    public var description: String { String(rawValue) }

    public static func < (lhs: OrderNumber, rhs: OrderNumber) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let text = try? c.decode(String.self), let n = OrderNumber(text) {
            self = n
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected a 14-digit order number"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// One reason a unit may give for returning an order (退单原因). The code is stable: events store it, and an admin may
/// rename or retire a reason but never reuse or drop its code.
public struct ReturnReason: Sendable, Equatable, Codable {
    public var code: String
    public var name: String
    /// A retired reason is no longer offered; events that gave it still read with its name.
    public var active: Bool

    public init(code: String, name: String, active: Bool = true) {
        self.code = code
        self.name = name
        self.active = active
    }
}

/// The closed list of return reasons, kept by the platform's admins (`GET/PUT /api/v1/return-reasons`).
public struct ReturnReasonList: Sendable, Equatable, Codable {
    public var items: [ReturnReason]

    public init(items: [ReturnReason]) { self.items = items }

    /// 其他: always present and offered; it asks for a longer explanation, and a return in the old free-text shape
    /// is filed under it.
    public static let otherCode = "other"
    /// The least evidence, in characters, a return under 其他 must give.
    public static let otherMinimumEvidence = 10

    /// The default list, after the returns hotlines see most.
    public static let `default` = ReturnReasonList(items: [
        ReturnReason(code: "not_our_duty", name: "不属于本单位职责"),
        ReturnReason(code: "wrong_district", name: "不属于本辖区"),
        ReturnReason(code: "needs_higher_authority", name: "需上级部门处理"),
        ReturnReason(code: "duplicate", name: "重复工单"),
        ReturnReason(code: "insufficient_information", name: "信息不全无法办理"),
        ReturnReason(code: otherCode, name: "其他"),
    ])

    /// The reasons a unit may choose now, in the list's order.
    public var offered: [ReturnReason] { items.filter(\.active) }

    public func reason(_ code: String) -> ReturnReason? { items.first { $0.code == code } }

    /// The name a stored code reads as; a code the list no longer knows reads as 其他.
    public func name(of code: String?) -> String {
        code.flatMap(reason)?.name ?? reason(Self.otherCode)?.name ?? "其他"
    }

    /// Whether `text` has the shape of a code (lower-case letters, digits and `_`), as opposed to a free-text reason.
    public static func looksLikeCode(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 40 && text.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" }
    }
}

/// The person or enterprise who made the request (来电人 / 诉求人).
public struct Caller: Sendable, Equatable, Codable {
    public var name: String
    public var phone: String
    public var type: CallerType
    /// Resident ID or unified social credit code; optional.
    public var idNumber: String?
    /// 保密: the caller asked that their identity be hidden from handling units.
    public var confidential: Bool
    /// 匿名反映: sent without a phone number (where the city allows it); such a request cannot be tracked or called back.
    public var anonymous: Bool? = nil

    public init(
        name: String, phone: String, type: CallerType = .individual, idNumber: String? = nil, confidential: Bool = false, anonymous: Bool = false
    ) {
        self.name = name
        self.phone = phone
        self.type = type
        self.idNumber = idNumber
        self.confidential = confidential
        self.anonymous = anonymous ? true : nil
    }

    public var isAnonymous: Bool { anonymous == true }
}

extension Caller {
    /// A phone number as typed (`138 1234-5678`) in the form the platform stores and compares (`13812345678`);
    /// nil unless it is 3–20 digits, optionally with `+`.
    public static func normalisedPhone(_ typed: String) -> String? {
        let phone = typed.filter { !$0.isWhitespace && $0 != "-" }
        guard (3...20).contains(phone.count), phone.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "+") }) else { return nil }
        return phone
    }
}

/// Where the matter is (诉求地点).
public struct Location: Sendable, Equatable, Codable {
    public var address: String
    public var district: String?
    public var street: String?
    public var latitude: Double?
    public var longitude: Double?

    public init(address: String, district: String? = nil, street: String? = nil, latitude: Double? = nil, longitude: Double? = nil) {
        self.address = address
        self.district = district
        self.street = street
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// Metadata of a file attached to a reply; the bytes live in the attachment store.
public struct AttachmentInfo: Sendable, Equatable, Codable {
    public var name: String
    public var contentType: String
    public var size: Int
    public var sha256: String?

    public init(name: String, contentType: String, size: Int, sha256: String? = nil) {
        self.name = name
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
    }
}

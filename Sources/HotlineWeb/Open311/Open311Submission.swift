import Foundation
import HotlineDomain

/// A `POST requests` body (form-encoded) with the query string's fields, read into an intake draft.
///
/// Core fields as GeoReport v2 names them: `service_code`, `description` (at most 4,000 characters), a place —
/// `lat` and `long` together, or `address_string` (`address_id` is not a place this city keeps) —, the caller's
/// `phone` (required here: the hotline calls back), `first_name`, `last_name`; `email`, `device_id`, `account_id`
/// are accepted and not stored; `media_url` goes into the content as a link. Attributes come as `attribute[code]`.
struct Open311Submission {
    /// The longest description GeoReport v2 allows.
    static let maximumDescription = 4_000
    /// Characters of the description's first sentence the title keeps.
    static let titleLength = 40

    var fields: [String: String] = [:]
    var attributes: [String: [String]] = [:]

    /// Fields of the query string first, then the body's, which win.
    init(query: [(key: String?, value: String)], body: [(key: String?, value: String)]) {
        for (key, raw) in query + body {
            guard let key, !key.isEmpty else { continue }
            let value = FormFields.decoded(raw) ?? ""
            if key.hasPrefix("attribute["), let close = key.firstIndex(of: "]") {
                let code = String(key[key.index(key.startIndex, offsetBy: "attribute[".count)..<close])
                attributes[code, default: []].append(value)
            } else {
                fields[key] = value
            }
        }
    }

    func value(_ name: String) -> String? {
        fields[name].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    var apiKey: String? { value("api_key") }
    var jurisdiction: String? { value("jurisdiction_id") }

    /// The draft to take, or the first thing wrong with the request (400; 404 for a service that does not exist).
    func draft(in catalogue: Open311Catalogue) throws(Open311Error) -> IntakeDraft {
        guard let code = value("service_code") else { throw .badRequest("缺少 service_code（服务类型）") }
        guard catalogue.service(code) != nil else { throw .notFound("服务类型 \(code) 不存在") }
        guard let description = value("description") else { throw .badRequest("缺少 description（诉求内容）") }
        guard description.count <= Self.maximumDescription else {
            throw .badRequest("description 不能超过\(Self.maximumDescription)字（现为\(description.count)字）")
        }
        guard let typedPhone = value("phone") else { throw .badRequest("缺少 phone（联系电话）：热线需按此号码回访") }
        guard let phone = Caller.normalisedPhone(typedPhone) else { throw .badRequest("phone 格式不正确") }
        var location = try place()
        // A kind by its code (`complaint`) or its Chinese name (投诉).
        let kind =
            try choice(Open311Catalogue.AttributeCode.kind) { v in RequestKind(rawValue: v) ?? RequestKind.allCases.first { $0.chineseName == v } }
            ?? Open311Catalogue.defaultKind(forPath: catalogue.names(of: code))
        let callerType = try choice(Open311Catalogue.AttributeCode.callerType, CallerType.init(rawValue:)) ?? .individual
        if let district = try choice(Open311Catalogue.AttributeCode.district, { catalogue.reference.districts.contains($0) ? $0 : nil }) {
            location.district = district
        }
        var content = description
        if let media = value("media_url") {
            guard media.count <= 500, let url = URL(string: media), ["http", "https"].contains(url.scheme?.lowercased() ?? "") else {
                throw .badRequest("media_url 应为 http 或 https 链接")
            }
            content += "\n图片链接：" + media
        }
        return IntakeDraft(
            channel: .open311, caller: Caller(name: callerName, phone: phone, type: callerType), kind: kind, categoryCode: code,
            title: Self.title(of: description), content: content, location: location)
    }

    /// `lat` and `long` (WGS84) together, and `address_string`; at least one of the two.
    func place() throws(Open311Error) -> Location {
        let address = value("address_string")
        var location = Location(address: address ?? "")
        switch (value("lat"), value("long")) {
        case (nil, nil):
            guard address != nil else { throw .badRequest("须提供位置：lat 与 long，或 address_string") }
        case (let lat?, let long?):
            guard let latitude = Double(lat), let longitude = Double(long), (-90...90).contains(latitude), (-180...180).contains(longitude) else {
                throw .badRequest("lat/long 应为 WGS84 经纬度数值")
            }
            location.latitude = latitude
            location.longitude = longitude
        default:
            throw .badRequest("lat 与 long 须同时提供")
        }
        if let address, address.count > TextLimits.address { throw .badRequest("address_string 不能超过\(TextLimits.address)字") }
        return location
    }

    /// A single-value list attribute's value, read by `parse`; nil when absent.
    func choice<T>(_ code: String, _ parse: (String) -> T?) throws(Open311Error) -> T? {
        guard let values = attributes[code]?.map({ $0.trimmingCharacters(in: .whitespaces) }).filter({ !$0.isEmpty }), !values.isEmpty else {
            return nil
        }
        guard values.count == 1, let value = parse(values[0]) else { throw .badRequest("attribute[\(code)] 的取值无效") }
        return value
    }

    /// The caller's name as Chinese writes it (family name first, no space) or, for Latin names, given name first.
    var callerName: String {
        let first = value("first_name") ?? "", last = value("last_name") ?? ""
        let latin = (first + last).unicodeScalars.allSatisfy(\.isASCII)
        return latin ? [first, last].filter { !$0.isEmpty }.joined(separator: " ") : last + first
    }

    /// The description's first sentence, cut at ``titleLength`` characters.
    static func title(of description: String) -> String {
        let ends: Set<Character> = ["。", "！", "？", "!", "?", "\n", "；", ";"]
        let sentence = description.prefix { !ends.contains($0) }.trimmingCharacters(in: .whitespacesAndNewlines)
        let first = sentence.isEmpty ? description.trimmingCharacters(in: .whitespacesAndNewlines) : sentence
        return first.count > titleLength ? String(first.prefix(titleLength - 1)) + "…" : first
    }
}

import Foundation
import HTTPTypes
import HotlineDomain
import HotlineTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HotlineWeb

/// An Open311 answer: its status, its headers, and its body as text and, for JSON, decoded.
struct Open311Reply: @unchecked Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var raw: String

    /// A JSON list at the top (services, requests, errors).
    var list: [[String: Any]] { ((try? JSONSerialization.jsonObject(with: Data(raw.utf8))) as? [[String: Any]]) ?? [] }
    /// A JSON object at the top (discovery, a service definition).
    var object: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(raw.utf8))) as? [String: Any]) ?? [:] }
    var ids: [String] { list.compactMap { $0["service_request_id"] as? String } }
    /// The spec's error code of a refusal.
    var errorCode: Int? { list.first?["code"] as? Int }
}

enum Open311Form {
    /// A form body as browsers and `requests` encode it.
    static func encode(_ fields: [(String, String)]) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        func enc(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s }
        return fields.map { enc($0.0) + "=" + enc($0.1) }.joined(separator: "&")
    }

    /// A request for the test city's street lights (01.01.01) with every core field.
    static func streetLight(key: String?, phone: String = "13912345678", description: String = "幸福路路灯连续三晚不亮。请尽快修复。")
        -> [(String, String)]
    {
        var fields = [
            ("service_code", "01.01.01"), ("description", description), ("lat", "30.5928374"), ("long", "114.3055123"),
            ("address_string", "幸福路12号"), ("first_name", "三"), ("last_name", "张"), ("phone", phone), ("email", "zhang@example.com"),
        ]
        if let key { fields.append(("api_key", key)) }
        return fields
    }
}

extension TestClientProtocol {
    /// A read.
    func open311(_ path: String) async throws -> Open311Reply { try await open311(.get, path) }

    func open311(_ method: HTTPRequest.Method, _ path: String, form: [(String, String)]? = nil, from address: String? = nil) async throws
        -> Open311Reply
    {
        var headers: HTTPFields = [:]
        if form != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        if let address { headers[HTTPField.Name("X-Forwarded-For")!] = address }
        return try await execute(uri: path, method: method, headers: headers, body: form.map { ByteBuffer(string: Open311Form.encode($0)) }) {
            response in
            Open311Reply(status: response.status, headers: response.headers, raw: String(buffer: response.body))
        }
    }

    /// An API key with the `open311` scope, issued by the admin through the API for `user`.
    func open311Key(for user: String = "agent1") async throws -> String {
        let issued = try await post(APIRoutes.apiKeys, as: "admin1", ["user_id": user, "label": "Open311 测试", "scopes": ["open311"], "days": 365])
        try #require(issued.status == .created, "\(issued.raw)")
        return try #require(issued["token"] as? String)
    }

    /// Posts a request through Open311 and returns its number.
    func open311Post(key: String, phone: String = "13912345678", description: String = "幸福路路灯连续三晚不亮。请尽快修复。") async throws -> String {
        let reply = try await open311(
            .post, Open311Routes.requests(.json), form: Open311Form.streetLight(key: key, phone: phone, description: description))
        try #require(reply.status == .ok, "\(reply.raw)")
        return try #require(reply.ids.first)
    }
}

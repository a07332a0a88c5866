import Foundation
import HotlineStorage
import HotlineTestSupport
import HotlineWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization

/// A JSON reply from the API under test.
struct APIReply: @unchecked Sendable {
    var status: HTTPResponse.Status
    var json: [String: Any]
    /// The body as received; the API sorts keys, so equal state gives equal text.
    var raw: String
    var headers: HTTPFields = [:]

    subscript(key: String) -> Any? { json[key] }
    var order: [String: Any] { json["order"] as? [String: Any] ?? [:] }
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    var errorField: String? { (json["error"] as? [String: Any])?["field"] as? String }
    var errorMessage: String? { (json["error"] as? [String: Any])?["message"] as? String }
    var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
}

/// Runs `body` against the real composition root on a fresh test database, with a fixed clock.
func withAPI(_ db: TestDatabase, now: Date = TestCity.monday, _ body: @escaping @Sendable (any TestClientProtocol, HotlineServices) async throws -> Void) async throws {
    try await withAPI(db, clock: TestClock(now)) { client, services, _ in try await body(client, services) }
}

/// Runs `body` against the real composition root with a clock the test moves forward.
func withAPI(
    _ db: TestDatabase, clock: TestClock, server: ServerConfiguration = ServerConfiguration(trustForwardedFor: true),
    _ body: @escaping @Sendable (any TestClientProtocol, HotlineServices, TestClock) async throws -> Void
) async throws {
    try await db.withServices { services in
        var logger = Logger(label: "api-test")
        logger.logLevel = .warning
        let app = try buildApplication(services: services, server: server, clock: { clock.now }, logger: logger)
        try await app.test(.router) { client in try await body(client, services, clock) }
    }
}

/// A clock tests set and advance.
final class TestClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date = TestCity.monday) { current = Mutex(start) }
    var now: Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0.addTimeInterval(seconds) } }
}

extension TestClientProtocol {
    func call(_ method: HTTPRequest.Method, _ path: String, as user: String? = nil, json: String? = nil, headers extra: HTTPFields = [:]) async throws -> APIReply {
        var headers = extra
        if let user { headers[.authorization] = "Bearer " + TestCity.token(user) }
        if json != nil { headers[.contentType] = "application/json" }
        return try await send(method, path, headers: headers, body: json)
    }

    /// Sends a request with exactly these headers.
    func send(_ method: HTTPRequest.Method, _ path: String, headers: HTTPFields, body: String? = nil) async throws -> APIReply {
        try await execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            let data = Data(buffer: response.body)
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return APIReply(status: response.status, json: object, raw: String(decoding: data, as: UTF8.self), headers: response.headers)
        }
    }

    /// Sends a JSON body with a bearer token given as text (API keys, tokens from login).
    func call(_ method: HTTPRequest.Method, _ path: String, token: String, _ body: [String: Any]? = nil) async throws -> APIReply {
        var headers: HTTPFields = [.authorization: "Bearer " + token]
        var text: String?
        if let body {
            headers[.contentType] = "application/json"
            text = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
        }
        return try await send(method, path, headers: headers, body: text)
    }

    func post(_ path: String, as user: String, _ body: [String: Any] = [:]) async throws -> APIReply {
        let data = try JSONSerialization.data(withJSONObject: body)
        return try await call(.post, path, as: user, json: String(decoding: data, as: UTF8.self))
    }
}

/// A `multipart/form-data` body as a browser builds it.
struct MultipartBody {
    static let boundary = "----HotlineTestBoundary7MA4YWxkTrZu0gW"
    var data = Data()

    init(fields: [(String, String)], files: [(field: String, filename: String, data: Data)]) {
        func line(_ s: String) { data.append(Data((s + "\r\n").utf8)) }
        for (name, value) in fields {
            line("--" + Self.boundary)
            line("Content-Disposition: form-data; name=\"\(name)\"")
            line("")
            line(value)
        }
        for file in files {
            line("--" + Self.boundary)
            line("Content-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.filename)\"")
            line("Content-Type: application/octet-stream")
            line("")
            data.append(file.data)
            line("")
        }
        line("--" + Self.boundary + "--")
    }

    static var contentType: String { "multipart/form-data; boundary=" + boundary }
}

extension TestClientProtocol {
    /// Posts a multipart body with these headers (a bearer token or a session cookie is the caller's business).
    func upload(_ path: String, headers extra: HTTPFields, _ body: MultipartBody) async throws -> APIReply {
        var headers = extra
        headers[.contentType] = MultipartBody.contentType
        return try await execute(uri: path, method: .post, headers: headers, body: ByteBuffer(data: body.data)) { response in
            let data = Data(buffer: response.body)
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return APIReply(status: response.status, json: object, raw: String(decoding: data, as: UTF8.self), headers: response.headers)
        }
    }

    /// A GET whose answer is bytes (attachments).
    func download(_ path: String, headers: HTTPFields) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, data: Data) {
        try await execute(uri: path, method: .get, headers: headers) { response in (response.status, response.headers, Data(buffer: response.body)) }
    }
}

enum Bodies {
    static var intake: [String: Any] {
        [
        "channel": "phone", "kind": "complaint", "category_code": "01.01.01", "title": "小区路灯不亮",
        "content": "东区幸福路12号小区路灯坏了一周，晚上出行不便。",
        "caller": ["name": "张先生", "phone": "13812345678"],
        "location": ["address": "幸福路12号", "district": "东区"],
        ]
    }
}

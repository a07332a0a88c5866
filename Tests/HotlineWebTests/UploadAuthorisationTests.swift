import Foundation
import HTTPTypes
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HotlineWeb

/// An upload is read only after the caller is known to be allowed to send it: a stranger's body, however large
/// or broken, is answered by the authorisation check, never by the parser (which would answer 400 or 413).
@Suite struct UploadAuthorisationTests {
    /// A body the parser would refuse with 400: a multipart content type with no boundary in it.
    static let broken = "no boundary here, " + String(repeating: "x", count: 4096)
    /// A body the parser would refuse with 413: one byte over the upload limit.
    static let oversized = ByteBuffer(repeating: UInt8(ascii: "a"), count: MultipartForm.maximumBytes + 1)

    func post(_ client: any TestClientProtocol, _ path: String, _ headers: HTTPFields, _ body: ByteBuffer) async throws -> APIReply {
        var headers = headers
        headers[.contentType] = MultipartBody.contentType
        return try await client.execute(uri: path, method: .post, headers: headers, body: body) { response in
            let data = Data(buffer: response.body)
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return APIReply(status: response.status, json: object, raw: String(decoding: data, as: UTF8.self), headers: response.headers)
        }
    }

    @Test(arguments: TestDatabase.available)
    func strangersUploadsAreRefusedBeforeTheBodyIsParsed(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let n = try await AttachmentTests().handlingOrder(client)
            let path = APIRoutes.action(n, "reply")
            for body in [ByteBuffer(string: Self.broken), Self.oversized] {
                let otherUnit = try await post(client, path, [.authorization: "Bearer " + TestCity.token("west1")], body)
                #expect(otherUnit.status == .notFound, "out of scope: \(otherUnit.raw.prefix(200))")
                let agent = try await post(client, path, [.authorization: "Bearer " + TestCity.token("agent1")], body)
                #expect(agent.status == .forbidden && agent.errorCode == "forbidden", "a role that does not reply: \(agent.raw.prefix(200))")
            }
            let allowed = try await post(client, path, [.authorization: "Bearer " + TestCity.token("east1")], ByteBuffer(string: Self.broken))
            #expect(allowed.status == .badRequest, "the unit that may reply gets the parser's answer")
        }
    }

    @Test(arguments: TestDatabase.available)
    func consoleUploadsAreRefusedBeforeTheBodyIsParsed(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let console = ConsoleTests()
            let n = try await AttachmentTests().handlingOrder(client)
            let east = try await console.logIn(client, "east1")
            let west = try await console.logIn(client, "west1")
            let westToken = SessionCookie.csrfToken(forSession: west)
            for body in [ByteBuffer(string: Self.broken), Self.oversized] {
                let noToken = try await post(client, WebRoutes.order(n) + "/reply", [.cookie: "hotline_session=" + east], body)
                #expect(noToken.status == .forbidden, "no token in the URL")
                let wrongToken = try await post(client, WebRoutes.order(n) + "/reply?_csrf=" + westToken, [.cookie: "hotline_session=" + east], body)
                #expect(wrongToken.status == .forbidden, "another session's token")
                let otherUnit = try await post(client, WebRoutes.order(n) + "/reply?_csrf=" + westToken, [.cookie: "hotline_session=" + west], body)
                #expect(otherUnit.status == .notFound, "out of scope")
            }
        }
    }
}

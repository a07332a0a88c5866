import Foundation
import HotlineStorage
import HotlineTestSupport
import HotlineWeb
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct AuthAPITests {
    func login(_ client: any TestClientProtocol, _ user: String, _ password: String) async throws -> APIReply {
        let body = try JSONSerialization.data(withJSONObject: ["username": user, "password": password])
        return try await client.call(.post, APIRoutes.login, json: String(decoding: body, as: UTF8.self))
    }

    func get(_ client: any TestClientProtocol, _ path: String, token: String) async throws -> HTTPResponse.Status {
        try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer " + token]) { $0.status }
    }

    @Test(arguments: TestDatabase.available)
    func loginIssuesATokenThatLogoutRevokes(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let reply = try await login(client, "disp1", TestCity.password)
            #expect(reply.status == .ok)
            let token = try #require(reply["token"] as? String)
            #expect((reply["user"] as? [String: Any])?["role"] as? String == "dispatcher")
            #expect(try await get(client, APIRoutes.me, token: token) == .ok)
            let logout = try await client.execute(uri: APIRoutes.logout, method: .post, headers: [.authorization: "Bearer " + token]) { $0.status }
            #expect(logout == .noContent)
            #expect(try await get(client, APIRoutes.me, token: token) == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.available)
    func wrongPasswordAndUnknownUserGetTheSameAnswer(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let wrong = try await login(client, "disp1", "not-the-password-1")
            let unknown = try await login(client, "nobody", "not-the-password-1")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.raw == unknown.raw)
        }
    }

    @Test(arguments: TestDatabase.available)
    func fiveFailuresLockTheAccount(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            for _ in 0..<4 { #expect(try await login(client, "cb1", "guess-password-9").status == .unauthorized) }
            let fifth = try await login(client, "cb1", "guess-password-9")
            #expect(fifth.errorCode == "account_locked")
            let rightButLocked = try await login(client, "cb1", TestCity.password)
            #expect(rightButLocked.errorCode == "account_locked")
        }
    }

    @Test(arguments: TestDatabase.available)
    func expiredAndRevokedTokensAreRefused(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let expired = try await services.accounts.issueToken(for: "disp1", kind: "api", scopes: ["*"], now: TestCity.monday.addingTimeInterval(-7200), lifetime: 3600)
            #expect(try await get(client, APIRoutes.orders, token: expired.token) == .unauthorized)
            let live = try await services.accounts.issueToken(for: "disp1", kind: "api", scopes: ["*"], now: TestCity.monday, lifetime: 3600)
            #expect(try await get(client, APIRoutes.orders, token: live.token) == .ok)
            try await services.accounts.revokeToken(live.id, now: TestCity.monday)
            #expect(try await get(client, APIRoutes.orders, token: live.token) == .unauthorized)
            #expect(try await get(client, APIRoutes.orders, token: "' OR 1=1 --") == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.available)
    func passwordChangeFollowsPolicyAndRevokesOtherTokens(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let session = try #require(try await login(client, "rev1", TestCity.password)["token"] as? String)
            func change(_ current: String, _ new: String) async throws -> APIReply {
                let body = try JSONSerialization.data(withJSONObject: ["current_password": current, "new_password": new])
                return try await client.execute(uri: APIRoutes.password, method: .post,
                                                headers: [.authorization: "Bearer " + session, .contentType: "application/json"],
                                                body: ByteBuffer(data: body)) { response in
                    let data = Data(buffer: response.body)
                    return APIReply(status: response.status, json: (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:],
                                    raw: String(decoding: data, as: UTF8.self))
                }
            }
            #expect(try await change(TestCity.password, "short1").status == .unprocessableContent)
            #expect(try await change("wrong-password-1", "a-much-better-pass-2").status == .forbidden)
            #expect(try await change(TestCity.password, "a-much-better-pass-2").status == .noContent)
            #expect(try await get(client, APIRoutes.me, token: session) == .ok)
            #expect(try await get(client, APIRoutes.me, token: TestCity.token("rev1")) == .unauthorized)
            #expect(try await login(client, "rev1", "a-much-better-pass-2").status == .ok)
        }
    }
}

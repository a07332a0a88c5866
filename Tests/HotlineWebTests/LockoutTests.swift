import Foundation
import HTTPTypes
import HotlineStorage
import HotlineTestSupport
import HotlineWeb
import Hummingbird
import HummingbirdTesting
import Testing

/// Login lockout per login name and client: parallel guesses, unknown names, other clients, password changes.
@Suite struct LockoutTests {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    func login(_ client: any TestClientProtocol, _ user: String, _ password: String, from address: String) async throws -> APIReply {
        let body = try JSONSerialization.data(withJSONObject: ["username": user, "password": password])
        return try await client.send(
            .post, APIRoutes.login, headers: [.contentType: "application/json", Self.forwardedFor: address],
            body: String(decoding: body, as: UTF8.self))
    }

    @Test(arguments: TestDatabase.available)
    func parallelGuessesLockTheAccountForThisClientOnly(db: TestDatabase) async throws {
        try await withAPI(db, clock: TestClock()) { client, _, clock in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 0..<40 { group.addTask { try await login(client, "cb1", "guess-password-\(i)", from: "203.0.113.7").status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(!statuses.contains(.ok))
            clock.advance(60)  // the per-client rate limit refills; the lock does not
            let locked = try await login(client, "cb1", TestCity.password, from: "203.0.113.7")
            #expect(locked.errorCode == "account_locked")
            #expect(try await login(client, "cb1", TestCity.password, from: "198.51.100.1").status == .ok, "another client still logs in")
        }
    }

    @Test(arguments: TestDatabase.available)
    func unknownNamesAnswerExactlyLikeRealOnes(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            for attempt in 1...6 {
                let real = try await login(client, "cb1", "guess-password-9", from: "203.0.113.7")
                let unknown = try await login(client, "nobody", "guess-password-9", from: "203.0.113.7")
                #expect(real.status == unknown.status && real.raw == unknown.raw, "attempt \(attempt)")
                #expect(real.errorCode == (attempt < 5 ? "invalid_credentials" : "account_locked"))
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func wrongCurrentPasswordsLockPasswordChanges(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            var codes: [String?] = []
            for _ in 0..<6 {
                let reply = try await client.call(
                    .post, APIRoutes.password, as: "rev1",
                    json: "{\"current_password\": \"guess-password-9\", \"new_password\": \"fresh-password-42\"}")
                codes.append(reply.errorCode)
            }
            #expect(codes == Array(repeating: "invalid_credentials", count: 4) + ["account_locked", "account_locked"])
            let right = try await client.call(
                .post, APIRoutes.password, as: "rev1",
                json: "{\"current_password\": \"\(TestCity.password)\", \"new_password\": \"fresh-password-42\"}")
            #expect(right.errorCode == "account_locked", "the right password waits for the lock to run out")
        }
    }
}

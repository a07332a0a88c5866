import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import Synchronization
import Testing

/// Failed logins are counted per login name and client in one statement, before the password is checked.
@Suite struct LoginThrottleTests {
    /// How often a password was checked.
    final class Checks: Sendable {
        private let count = Mutex(0)
        func add() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    /// An account store over `services`' database that counts how often a password is checked.
    func countingStore(_ services: HotlineServices, _ checks: Checks) -> AccountStore {
        AccountStore(database: services.database, cost: 4) { password, hash in
            checks.add()
            return AccountStore.bcryptVerify(password, hash)
        }
    }

    @Test(arguments: TestDatabase.available)
    func parallelWrongGuessesNeverPassTheLimit(db: TestDatabase) async throws {
        try await db.withServices { services in
            let checks = Checks()
            let accounts = countingStore(services, checks)
            // Four times the limit, more than the pool's connections, all at once.
            let guesses = 4 * PasswordPolicy.failuresBeforeLock
            let failures = try await withThrowingTaskGroup(of: AccountStore.LoginFailure?.self) { group in
                for i in 0..<guesses {
                    group.addTask {
                        do {
                            _ = try await accounts.authenticate("cb1", password: "guess-password-\(i)", client: "203.0.113.7", now: TestCity.monday)
                            return nil
                        } catch let failure as AccountStore.LoginFailure { return failure }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(failures.count == guesses && !failures.contains(nil), "no guess gets in")
            #expect(checks.value <= PasswordPolicy.failuresBeforeLock, "guesses beyond the limit never reach bcrypt")
            await #expect(throws: AccountStore.LoginFailure.self, "the right password is refused while locked") {
                try await accounts.authenticate(
                    "cb1", password: TestCity.password, client: "203.0.113.7", now: TestCity.monday.addingTimeInterval(60))
            }
            #expect(checks.value <= PasswordPolicy.failuresBeforeLock)
        }
    }

    @Test(arguments: TestDatabase.available)
    func unknownNamesLockLikeRealOnesAndOtherClientsStayOpen(db: TestDatabase) async throws {
        try await db.withServices { services in
            let accounts = services.accounts
            func attempt(_ name: String, _ password: String, from client: String, at minutes: Double = 0) async -> AccountStore.LoginFailure? {
                do {
                    _ = try await accounts.authenticate(
                        name, password: password, client: client, now: TestCity.monday.addingTimeInterval(minutes * 60))
                    return nil
                } catch { return error as? AccountStore.LoginFailure }
            }
            var real: [AccountStore.LoginFailure?] = []
            var unknown: [AccountStore.LoginFailure?] = []
            for _ in 0..<6 {
                real.append(await attempt("cb1", "guess-password-9", from: "203.0.113.7"))
                unknown.append(await attempt("nobody", "guess-password-9", from: "203.0.113.7"))
            }
            #expect(real == unknown)
            #expect(real.last == .locked(until: TestCity.monday.addingTimeInterval(PasswordPolicy.lockDuration)))
            #expect(await attempt("cb1", TestCity.password, from: "198.51.100.1") == nil, "a stranger elsewhere cannot lock the user out")
            #expect(await attempt(" CB1", TestCity.password, from: "203.0.113.7") != nil, "case and spaces do not dodge the count")
            #expect(await attempt("cb1", TestCity.password, from: "203.0.113.7", at: 16) == nil, "the lock runs out")
            #expect(await attempt("cb1", "guess-password-9", from: "203.0.113.7", at: 17) == .invalidCredentials, "a success starts the count again")
        }
    }
}

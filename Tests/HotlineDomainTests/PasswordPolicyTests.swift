import Foundation
import HotlineDomain
import Testing

@Suite struct PasswordPolicyTests {
    @Test func passwordsNeedLengthLettersAndDigits() {
        #expect(PasswordPolicy.problem(with: "short1") != nil)
        #expect(PasswordPolicy.problem(with: "onlyletterslong") != nil)
        #expect(PasswordPolicy.problem(with: "1234567890123") != nil)
        #expect(PasswordPolicy.problem(with: String(repeating: "a1", count: 65)) != nil)
        #expect(PasswordPolicy.problem(with: "hotline12345") == nil)
    }

    @Test func fifthFailureLocksForFifteenMinutes() {
        let now = Fixtures.monday
        #expect(PasswordPolicy.lockUntil(failures: 4, now: now) == nil)
        #expect(PasswordPolicy.lockUntil(failures: 5, now: now) == now.addingTimeInterval(900))
    }
}

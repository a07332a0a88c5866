import Foundation

/// What a password must be (密码策略), and when repeated failures lock an account.
public enum PasswordPolicy {
    public static let minimumLength = 10
    public static let maximumLength = 128
    /// Failed logins in a row that lock the account.
    public static let failuresBeforeLock = 5
    /// How long a locked account stays locked.
    public static let lockDuration: TimeInterval = 15 * 60

    /// Nil when `password` is acceptable, else the reason in Chinese.
    public static func problem(with password: String) -> String? {
        if password.count < minimumLength { return "密码至少\(minimumLength)位" }
        if password.count > maximumLength { return "密码不能超过\(maximumLength)位" }
        if !password.contains(where: \.isLetter) || !password.contains(where: \.isNumber) { return "密码须同时包含字母和数字" }
        return nil
    }

    /// After a failed login that makes `failures` in a row: the time the account unlocks, if it is now locked.
    public static func lockUntil(failures: Int, now: Date) -> Date? {
        failures >= failuresBeforeLock ? now.addingTimeInterval(lockDuration) : nil
    }
}

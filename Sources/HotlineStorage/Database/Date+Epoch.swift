import Foundation

extension Date {
    /// Whole seconds since 1970, as `*_at` columns store them.
    var epochSeconds: Int64 { Int64(timeIntervalSince1970.rounded(.down)) }
    /// Milliseconds since 1970, as `at_ms` columns store them.
    var epochMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    /// The time an `*_ms` column stores.
    init(epochMilliseconds ms: Int64) { self.init(timeIntervalSince1970: Double(ms) / 1000) }
}

import Foundation
import HotlineTestSupport
import Testing

@Suite struct TestEnvironmentTests {
    /// The README's test command starts PostgreSQL and sets HOTLINE_REQUIRE_POSTGRES=1; then every storage and
    /// API test must have run against it too, not silently on SQLite alone.
    @Test func postgresIsExercisedWhenRequired() {
        let required = ProcessInfo.processInfo.environment["HOTLINE_REQUIRE_POSTGRES"] == "1"
        #expect(!required || TestDatabase.available.contains(.postgres))
    }
}

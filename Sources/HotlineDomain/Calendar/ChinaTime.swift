import Foundation

// Times as the platform writes and reads them: always China Standard Time (UTC+8, no daylight saving), one place for
// every front end and the event log.

extension Date {
    /// ISO 8601 in China Standard Time, for event details and display.
    public var chinaISO8601: String {
        let local = Int(timeIntervalSince1970.rounded(.down)) + CivilDay.chinaOffsetSeconds
        let day = CivilDay(ordinal: Int((Double(local) / 86_400).rounded(.down)))
        let secondOfDay = local - day.ordinal * 86_400
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return day.description + "T" + two(secondOfDay / 3600) + ":" + two(secondOfDay / 60 % 60) + ":" + two(secondOfDay % 60) + "+08:00"
    }

    /// "2025-03-03 10:00": a time as lists and pages show it, in China Standard Time.
    public var chinaShort: String {
        let iso = chinaISO8601
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5))
    }
}

/// Parses the ISO 8601 forms people type: `2025-01-27T09:30:00+08:00`, `...Z`, `2025-01-27T09:30` (China time)
/// and `2025-01-27` (midnight China time).
public enum ISOTime {
    public static func parse(_ text: String) -> Date? {
        if let day = CivilDay(iso: text) { return day.start }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        // No zone given: China Standard Time.
        let parts = text.split(separator: "T")
        guard parts.count == 2, let day = CivilDay(iso: parts[0]) else { return nil }
        let hms = parts[1].split(separator: ":").map { Int($0) }
        guard (2...3).contains(hms.count), hms.allSatisfy({ $0 != nil }) else { return nil }
        let h = hms[0]!, m = hms[1]!, s = hms.count == 3 ? hms[2]! : 0
        guard (0..<24).contains(h), (0..<60).contains(m), (0..<60).contains(s) else { return nil }
        return day.at(minutes: h * 60 + m).addingTimeInterval(TimeInterval(s))
    }
}

import Foundation

/// Data files that ship with the platform: the holiday calendar, the category tree and the
/// material the demo city is generated from.
public enum BundledData {
    public enum MissingResource: Error, CustomStringConvertible {
        case file(String)
        public var description: String {
            switch self {
            case .file(let name): "bundled resource \(name) is missing"
            }
        }
    }

    /// The text of every bundled calendar year, oldest first.
    public static func calendarFiles() throws -> [String] {
        guard let directory = Bundle.module.url(forResource: "calendar", withExtension: nil) else { throw MissingResource.file("calendar") }
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "csv" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        return try files.map { try String(contentsOf: $0, encoding: .utf8) }
    }

    public static func text(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: name)
        let directory = name.contains("/") ? String(name[..<name.lastIndex(of: "/")!]) : nil
        guard let file = Bundle.module.url(
            forResource: url.deletingPathExtension().lastPathComponent, withExtension: url.pathExtension, subdirectory: directory)
        else {
            throw MissingResource.file(name)
        }
        return try String(contentsOf: file, encoding: .utf8)
    }
}

import HotlineDomain

extension BundledData {
    /// The bundled holiday schedule, extended (or corrected) by every `*.csv` in `extraDirectory`:
    /// a new year's calendar is a data file dropped there, no rebuild needed.
    public static func workingCalendar(extraDirectory: String? = nil, hours: BusinessHours = .standard) throws -> WorkingCalendar {
        var schedule = HolidaySchedule()
        for text in try calendarFiles() { try schedule.merge(csv: text) }
        if let extraDirectory {
            let directory = URL(fileURLWithPath: extraDirectory)
            let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "csv" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
            for file in files { try schedule.merge(csv: try String(contentsOf: file, encoding: .utf8)) }
        }
        return WorkingCalendar(schedule: schedule, hours: hours)
    }

    /// The bundled category tree (事项分类).
    public static func categoryTree() throws -> CategoryTree {
        try CategoryTree.fromCSV(try text("category_taxonomy.csv"))
    }
}

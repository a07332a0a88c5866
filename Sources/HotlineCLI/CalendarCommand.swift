import ArgumentParser
import Foundation
import HotlineDomain
import HotlineResources
import HotlineWeb

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "Working days and deadlines on the official calendar.",
        subcommands: [Workdays.self, Deadline.self])

    struct CalendarOptions: ParsableArguments {
        @Option(name: .customLong("calendar-dir"), help: "Directory of extra holiday CSV files (one per year).")
        var calendarDirectory: String?

        @Option(help: "Business hours for working-hour limits, e.g. 09:00-12:00,13:00-18:00.")
        var hours: String = BusinessHours.standard.description

        func calendar() throws -> WorkingCalendar {
            guard let business = BusinessHours(hours) else { throw ValidationError("cannot read --hours \(hours)") }
            return try BundledData.workingCalendar(extraDirectory: calendarDirectory, hours: business)
        }
    }

    /// Tells on stderr (stdout stays the answer alone) that years without an official schedule were computed on
    /// the statutory holidays only (临时日历).
    static func warnProvisional(_ calendar: WorkingCalendar, from: CivilDay, to: CivilDay) {
        let years = (min(from, to).year...max(from, to).year).filter { !calendar.officialYears.contains($0) }
        guard !years.isEmpty else { return }
        let list = years.map(String.init).joined(separator: ", ")
        FileHandle.standardError.write(Data(
            "provisional (临时): no official holiday schedule for \(list); computed on the statutory holidays only, without make-up working days\n".utf8))
    }

    struct Workdays: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print every working day in a range, one ISO date per line.")
        @Option(help: "First day, YYYY-MM-DD.") var from: String
        @Option(help: "Last day, YYYY-MM-DD.") var to: String
        @OptionGroup var options: CalendarOptions

        func run() throws {
            guard let first = CivilDay(iso: from) else { throw ValidationError("--from must be YYYY-MM-DD") }
            guard let last = CivilDay(iso: to) else { throw ValidationError("--to must be YYYY-MM-DD") }
            let calendar = try options.calendar()
            let days = calendar.workingDays(from: first, to: last)
            CalendarCommand.warnProvisional(calendar, from: first, to: last)
            print(days.map(\.description).joined(separator: "\n"))
        }
    }

    struct Deadline: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the deadline of a period as ISO 8601 (China Standard Time).")
        @Option(help: "Start, ISO 8601 (e.g. 2025-01-27T10:00:00+08:00).") var start: String
        @Option(name: .customLong("working-days"), help: "Length in working days; the start day is not counted.") var workingDays: Int?
        @Option(name: .customLong("working-hours"), help: "Length in working hours.") var workingHours: Double?
        @OptionGroup var options: CalendarOptions

        func validate() throws {
            if (workingDays == nil) == (workingHours == nil) { throw ValidationError("give exactly one of --working-days or --working-hours") }
            if let d = workingDays, d < 0 { throw ValidationError("--working-days must not be negative") }
            if let h = workingHours, h < 0 { throw ValidationError("--working-hours must not be negative") }
        }

        func run() throws {
            guard let begin = ISOTime.parse(start) else { throw ValidationError("--start must be ISO 8601") }
            let calendar = try options.calendar()
            let deadline = workingDays.map { calendar.deadline(from: begin, workingDays: $0) }
                ?? calendar.deadline(from: begin, workingHours: workingHours ?? 0)
            CalendarCommand.warnProvisional(calendar, from: CivilDay(containing: begin), to: CivilDay(containing: max(begin, deadline)))
            print(deadline.chinaISO8601)
        }
    }
}

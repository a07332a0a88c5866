import ArgumentParser
import Foundation
import HotlineDomain
import HotlineResources
import HotlineStorage
import Logging

@main
struct Hotline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hotline",
        abstract: "12345 government-service hotline platform.",
        subcommands: [Serve.self, Sweep.self, WebhooksCommand.self, Migrate.self, Seed.self, VerifyLog.self, CheckpointKeyCommand.self, CheckpointCommand.self, CheckpointsExport.self, Backup.self, Restore.self, CalendarCommand.self, Bench.self, TextCommand.self, Train.self, KnowledgeCommand.self, BenchAssist.self, BenchPages.self, BenchChannels.self, SimulateCalls.self, BenchSweep.self, BenchMeasures.self, BenchCheckpoint.self, TopicsCommand.self, BenchTopics.self, TopicsRefresh.self, ReportCommand.self, StaffingCommand.self, ForecastCheck.self])
}

/// Options every command that opens the database shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL; defaults to $DATABASE_URL, else SQLite.")
    var databaseURL: String?

    @Option(name: .customLong("sqlite"), help: "SQLite file used when no PostgreSQL URL is given.")
    var sqlitePath: String = "data/hotline.sqlite"

    @Option(name: .customLong("calendar-dir"), help: "Directory of extra holiday CSV files (one per year).")
    var calendarDirectory: String?

    var location: DatabaseLocation {
        if let url = databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty { return .postgres(url: url) }
        return .sqlite(path: sqlitePath)
    }

    func calendar() throws -> WorkingCalendar { try BundledData.workingCalendar(extraDirectory: calendarDirectory) }

    /// Opens the services, runs `body`, and closes the database whether `body` succeeds or throws. A command that
    /// reads a database (`creating` false) refuses a SQLite path where no database exists rather than make an empty
    /// one and report on nothing; `serve`, `seed` and `migrate` create it.
    func withServices<T>(logger: Logger = Logger(label: "hotline"), creating: Bool = false, _ body: (HotlineServices) async throws -> T) async throws -> T {
        if !creating { try requireExisting() }
        return try await HotlineServices.with(location, calendar: try calendar(), logger: logger, body)
    }

    /// Throws when the SQLite file does not exist (PostgreSQL refuses a missing database by itself).
    func requireExisting() throws {
        guard case .sqlite(let path) = location else { return }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw MissingDatabase(path: path)
        }
    }

    var locationDescription: String {
        switch location {
        case .sqlite(let path): "SQLite \(path)"
        case .postgres(let url, _): "PostgreSQL \(url.replacingOccurrences(of: #"//([^:@/]+):[^@/]*@"#, with: "//$1:***@", options: .regularExpression))"
        }
    }
}

/// A command that reads a database was given a SQLite path where none exists.
struct MissingDatabase: Error, CustomStringConvertible {
    var path: String
    var description: String {
        "no database at \(path): give an existing database with --sqlite or --database-url (a new one is made by `hotline serve` or `hotline seed`)"
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations.")
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let database = try await HotlineDatabase.open(db.location)
        let applied: [String]
        do {
            applied = try await Migrator(database: database).migrate()
        } catch {
            await database.close()
            throw error
        }
        await database.close()
        print(applied.isEmpty ? "\(db.locationDescription): schema is up to date" : "\(db.locationDescription): applied \(applied.joined(separator: ", "))")
    }
}

struct VerifyLog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-log",
        abstract: "Check every order's hash-chained event log; name the first broken link. With --checkpoints, also check the published checkpoint log and compare the database with its latest checkpoint.")
    @OptionGroup var db: DatabaseOptions
    @Option(name: .customLong("checkpoints"), help: "The published checkpoint log (hotline checkpoints-export).") var checkpoints: String?
    @Option(name: .customLong("public-key"), help: "The checkpoint key's public key (base64), or a file holding it.") var publicKey: String?

    func validate() throws {
        guard (checkpoints == nil) == (publicKey == nil) else { throw ValidationError("--checkpoints and --public-key go together") }
    }

    func run() async throws {
        let (report, checked) = try await db.withServices { services -> (ChainReport, (lines: [String], ok: Bool)?) in
            let report = try await EventLogVerifier(database: services.database).verify { done in
                FileHandle.standardError.write(Data("\rchecked \(done) orders".utf8))
            }
            FileHandle.standardError.write(Data("\n".utf8))
            guard let checkpoints, let publicKey else { return (report, nil) }
            return (report, try await CheckpointVerification.run(services, file: checkpoints, publicKey: publicKey))
        }
        var failed = false
        if let broken = report.firstBreak {
            print("BROKEN: \(broken) (checked \(report.ordersChecked) orders, \(report.eventsChecked) events)")
            failed = true
        } else {
            print("OK: \(report.ordersChecked) orders, \(report.eventsChecked) events, every hash chain intact")
        }
        if let checked {
            for line in checked.lines { print(line) }
            failed = failed || !checked.ok
        }
        if failed { throw ExitCode(1) }
    }
}

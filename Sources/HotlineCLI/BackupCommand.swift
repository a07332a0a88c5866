import ArgumentParser
import Foundation
import HotlineStorage

/// `hotline backup --to PATH`: a consistent copy of the running platform's database — SQLite's online backup API, or
/// `pg_dump` (custom format) for PostgreSQL — then every order's hash chain checked in the copy itself (a PostgreSQL
/// dump is restored into a scratch database for that and dropped).
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the database while it runs (SQLite online backup API, or pg_dump), then verify the copy's hash chains.")
    @OptionGroup var db: DatabaseOptions
    @Option(name: .customLong("to"), help: "The backup file to write; it must not exist.") var destination: String

    func run() async throws {
        try db.requireExisting()
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw CommandFailure("\(destination) exists already; give a new path (a backup never overwrites a file)")
        }
        let started = Date()
        switch db.location {
        case .sqlite(let path):
            try SQLiteBackup.copy(from: path, to: destination) { done, total in
                FileHandle.standardError.write(Data("\rcopied \(done) of \(total) pages".utf8))
            }
            FileHandle.standardError.write(Data("\n".utf8))
            let report = try await ChainCheck.run(.sqlite(path: destination))
            try SQLiteBackup.singleFile(destination)
            print(String(format: "backup: %@ (%@) in %.1f s; the copy verified: %@", destination, ChainCheck.size(destination),
                         Date().timeIntervalSince(started), report))
        case .postgres(let url, _):
            try PostgresTools.run("pg_dump", ["--format=custom", "--no-owner", "--file=" + destination, url])
            chmod(destination, 0o600)
            let report = try await PostgresTools.withScratchDatabase(url) { scratch in
                try PostgresTools.run("pg_restore", ["--no-owner", "--dbname=" + scratch, destination])
                return try await ChainCheck.run(.postgres(url: scratch))
            }
            print(String(format: "backup: %@ (%@, pg_dump) in %.1f s; the dump restored into a scratch database verified: %@", destination,
                         ChainCheck.size(destination), Date().timeIntervalSince(started), report))
        }
    }
}

/// `hotline restore --from PATH`: the backup checked first, then copied into the database named by `--sqlite` or
/// `--database-url`, then checked again where it landed. An existing SQLite file is replaced only with `--replace`,
/// and is kept beside it (`.replaced-<time>`), never deleted.
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify a backup, restore it into the database given, and verify the result.")
    @OptionGroup var db: DatabaseOptions
    @Option(name: .customLong("from"), help: "The backup file written by `hotline backup`.") var source: String
    @Flag(help: "Replace an existing database (a SQLite file is kept beside it, renamed).") var replace = false

    func run() async throws {
        guard FileManager.default.fileExists(atPath: source) else { throw CommandFailure("no backup at \(source)") }
        let started = Date()
        switch db.location {
        case .sqlite(let path):
            let before = try await ChainCheck.run(.sqlite(path: source), readOnlyCopyOf: source)
            var kept: String?
            if FileManager.default.fileExists(atPath: path) {
                guard replace else { throw CommandFailure("\(path) exists; add --replace to replace it (it is kept beside, renamed)") }
                let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
                kept = path + ".replaced-" + stamp
                try FileManager.default.moveItem(atPath: path, toPath: kept!)
                for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
                    try FileManager.default.moveItem(atPath: path + suffix, toPath: kept! + suffix)
                }
            }
            try SQLiteBackup.copy(from: source, to: path)
            let after = try await ChainCheck.run(.sqlite(path: path))
            print(String(format: "restore: %@ from %@ in %.1f s; the backup verified: %@; the restored database verified: %@%@", path, source,
                         Date().timeIntervalSince(started), before, after, kept.map { "; the database it replaced is kept as \($0)" } ?? ""))
        case .postgres(let url, _):
            let before = try await PostgresTools.withScratchDatabase(url) { scratch in
                try PostgresTools.run("pg_restore", ["--no-owner", "--dbname=" + scratch, source])
                return try await ChainCheck.run(.postgres(url: scratch))
            }
            if try await PostgresTools.hasTables(url), !replace {
                throw CommandFailure("the database already has tables; add --replace to replace them")
            }
            try PostgresTools.run("pg_restore", ["--no-owner", "--clean", "--if-exists", "--dbname=" + url, source])
            let after = try await ChainCheck.run(.postgres(url: url))
            print(String(format: "restore: %@ from %@ in %.1f s; the backup verified: %@; the restored database verified: %@", db.locationDescription,
                         source, Date().timeIntervalSince(started), before, after))
        }
    }
}

/// A refusal the command explains in one line.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Every order's hash chain in one database, as `verify-log` checks it; a broken chain fails the command.
enum ChainCheck {
    struct Broken: Error, CustomStringConvertible {
        var description: String
    }

    /// "N orders, M events, every hash chain intact". `readOnlyCopyOf` checks a backup file through a scratch copy,
    /// so the backup itself is never opened for writing.
    static func run(_ location: DatabaseLocation, readOnlyCopyOf file: String? = nil) async throws -> String {
        var target = location
        var scratch: String?
        if let file {
            let copy = NSTemporaryDirectory() + "hotline-restore-check-\(UUID().uuidString).sqlite"
            try SQLiteBackup.copy(from: file, to: copy)
            scratch = copy
            target = .sqlite(path: copy)
        }
        defer {
            if let scratch { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: scratch + suffix) } }
        }
        let database = try await HotlineDatabase.open(target)
        let report: ChainReport
        let checkpoint: String
        do {
            report = try await EventLogVerifier(database: database).verify()
            checkpoint = report.isIntact ? try await latestCheckpoint(database) : ""
        } catch {
            await database.close()
            throw error
        }
        await database.close()
        if let broken = report.firstBreak {
            throw Broken(description: "BROKEN: \(broken) (checked \(report.ordersChecked) orders, \(report.eventsChecked) events)")
        }
        return "\(report.ordersChecked) orders, \(report.eventsChecked) events, every hash chain intact" + checkpoint
    }

    /// The copy against the latest checkpoint stored in it, when there is one: the stored log's signatures (with the
    /// public key stored beside them — `verify-log --checkpoints` checks against the published key), its chain, the
    /// kept leaves against the signed root, and every order in the checkpoint still there, unedited and unrewritten.
    static func latestCheckpoint(_ database: HotlineDatabase) async throws -> String {
        let store = CheckpointStore(database: database)
        guard let latest = try await store.latest() else { return "" }
        let key = try CheckpointPublicKey(latest.publicKey)
        let problems = CheckpointLog.problems(in: try await store.all(), key: key)
        guard problems.isEmpty else { throw Broken(description: "CHECKPOINTS: " + problems.joined(separator: "; ")) }
        let audit = try await CheckpointAudit(database: database).run(against: latest)
        guard audit.isClean else { throw Broken(description: "CHECKPOINT: " + audit.lines.joined(separator: "; ")) }
        return "; checkpoint \(latest.sequence) (key \(latest.keyID)) verified: signature, root over \(audit.leavesStored) orders, "
            + "\(audit.unchanged) unchanged, \(audit.extended) with new events, \(audit.newOrders) created after it"
    }

    static func size(_ path: String) -> String {
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        return bytes >= 1 << 20 ? String(format: "%.1f MB", Double(bytes) / 1_048_576) : String(format: "%.0f KB", Double(bytes) / 1024)
    }
}

/// PostgreSQL's own tools (`pg_dump`, `pg_restore`, `psql`), found on the PATH or in Debian's versioned directory.
enum PostgresTools {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func path(_ tool: String) -> String {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        if let found = dirs.map({ $0 + "/" + tool }).first(where: FileManager.default.isExecutableFile(atPath:)) { return found }
        let lib = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: lib)) ?? []).sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
        return versions.map { "\(lib)/\($0)/bin/\(tool)" }.first(where: FileManager.default.isExecutableFile(atPath:)) ?? tool
    }

    /// Runs a tool; its error output becomes the failure's message.
    static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path(tool))
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        do { try process.run() } catch { throw Failure(description: "\(tool) not found: install PostgreSQL's client tools") }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(tool) failed: " + String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// `body` with the URL of a new empty database on the same server, dropped afterwards.
    static func withScratchDatabase<T>(_ url: String, _ body: (String) async throws -> T) async throws -> T {
        guard var parts = URLComponents(string: url) else { throw Failure(description: "not a PostgreSQL URL") }
        let name = "hotline_check_\(UInt32.random(in: 1...UInt32.max))"
        try run("psql", ["--quiet", "--no-psqlrc", "--dbname=" + url, "--command=CREATE DATABASE \(name)"])
        parts.path = "/" + name
        let scratch = parts.string ?? url
        do {
            let result = try await body(scratch)
            try? run("psql", ["--quiet", "--no-psqlrc", "--dbname=" + url, "--command=DROP DATABASE IF EXISTS \(name)"])
            return result
        } catch {
            try? run("psql", ["--quiet", "--no-psqlrc", "--dbname=" + url, "--command=DROP DATABASE IF EXISTS \(name)"])
            throw error
        }
    }

    /// Whether the database has tables of its own (a restore over them needs `--replace`).
    static func hasTables(_ url: String) async throws -> Bool {
        let database = try await HotlineDatabase.open(.postgres(url: url))
        do {
            let count = try await database.tableCount()
            await database.close()
            return count > 0
        } catch {
            await database.close()
            throw error
        }
    }
}

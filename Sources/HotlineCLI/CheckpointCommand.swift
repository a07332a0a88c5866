import ArgumentParser
import Foundation
import HotlineStorage

/// `hotline checkpoint-key --out PATH`: a new Ed25519 key for signing checkpoints (存证), written outside the database.
struct CheckpointKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint-key", abstract: "Write a new checkpoint signing key (Ed25519, mode 0600) and print its public key.")
    @Option(name: .customLong("out"), help: "The key file to write; it must not exist. Keep it off the database server's disks if you can.")
    var path: String

    func run() throws {
        let key = try CheckpointKey.create(at: path)
        print("checkpoint key written to \(path) (mode 0600); key id \(key.publicKey.keyID)")
        print("public key (publish it with the checkpoint log; verify-log --public-key takes it):")
        print(key.publicKey.base64)
    }
}

/// `hotline checkpoint --key PATH`: one signed checkpoint now.
struct CheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint", abstract: "Make one signed checkpoint (存证) of every order's chain head and document now.")
    @OptionGroup var db: DatabaseOptions
    @Option(name: .customLong("key"), help: "The checkpoint key file (hotline checkpoint-key).") var keyPath: String

    func run() async throws {
        let key = try CheckpointKey(file: keyPath)
        let started = ContinuousClock.now
        let checkpoint = try await db.withServices { services in try await services.checkpoints.make(key: key, at: Date()) }
        let seconds = milliseconds(ContinuousClock.now - started) / 1000
        print(String(format: "checkpoint %d: %d orders, root %@, key %@, in %.2f s", checkpoint.sequence, checkpoint.orderCount, checkpoint.root,
                     checkpoint.keyID, seconds))
    }
}

/// `hotline checkpoints-export --to FILE`: the checkpoint log as a file to publish.
struct CheckpointsExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoints-export", abstract: "Write the checkpoint log for publication (JSON lines: statement and signature of each).")
    @OptionGroup var db: DatabaseOptions
    @Option(name: .customLong("to"), help: "The file to write (replaced if it exists).") var destination: String

    func run() async throws {
        let (count, latest) = try await db.withServices { services in
            (try await services.checkpoints.export(to: destination), try await services.checkpoints.latest())
        }
        print("\(count) checkpoint\(count == 1 ? "" : "s") written to \(destination)" + (latest.map { "; latest \($0.sequence): \($0.orderCount) orders, root \($0.root)" } ?? ""))
    }
}

/// The checkpoint part of `verify-log`: the published log checked, then the database compared with its latest checkpoint.
enum CheckpointVerification {
    /// Plain English lines, and whether everything held.
    static func run(_ services: HotlineServices, file: String, publicKey: String) async throws -> (lines: [String], ok: Bool) {
        let key = try CheckpointPublicKey(publicKey)
        let published = try CheckpointLog.read(file: file)
        var lines: [String] = []
        var problems = CheckpointLog.problems(in: published, key: key)
        if problems.isEmpty {
            lines.append("published log \(file): \(published.count) checkpoint\(published.count == 1 ? "" : "s"), every signature valid (key \(key.keyID)) and each names the one before")
        }
        let (latest, storedProblems) = CheckpointLog.reconcile(published: published, stored: try await services.checkpoints.all(), key: key)
        problems += storedProblems
        lines += problems.map { "TAMPERED: " + $0 }
        guard let latest else {
            lines.append("no checkpoint to compare the database with")
            return (lines, problems.isEmpty)
        }
        let report = try await CheckpointAudit(database: services.database).run(against: latest)
        lines += report.lines
        return (lines, problems.isEmpty && report.isClean)
    }
}

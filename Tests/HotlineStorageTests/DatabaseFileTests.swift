import Foundation
import HotlineStorage
import SQLKit
import Testing

/// The SQLite file holds callers' personal data: only its owner may read it, and a commit survives a power cut.
@Suite struct DatabaseFileTests {
    func withDatabase(_ body: (HotlineDatabase, String) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-file-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("db.sqlite").path
        let database = try await HotlineDatabase.open(.sqlite(path: path))
        do {
            try await body(database, path)
            await database.close()
        } catch {
            await database.close()
            throw error
        }
    }

    func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) & 0o777
    }

    @Test func theFileAndItsLogAreReadableByTheOwnerOnly() async throws {
        try await withDatabase { database, path in
            try await database.execute("CREATE TABLE t (x INTEGER)")
            try await database.execute("INSERT INTO t VALUES (1)")
            for file in [path, path + "-wal", path + "-shm"] {
                #expect(try mode(file) == 0o600, "\(file)")
            }
        }
    }

    @Test func anExistingFileIsNarrowedWhenOpened() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("db.sqlite").path
        #expect(FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644]))
        let database = try await HotlineDatabase.open(.sqlite(path: path))
        await database.close()
        #expect(try mode(path) == 0o600)
    }

    @Test func commitsAreSynchronousFull() async throws {
        try await withDatabase { database, _ in
            let levels = try await database.read { db in
                try await db.raw("PRAGMA synchronous").all().map { try $0.decode(column: "synchronous", as: Int.self) }
            }
            #expect(levels == [2], "FULL")
        }
    }
}

import Foundation
import VaporCSQLite

/// SQLite's online backup API (`sqlite3_backup_*`, from the SQLite that SQLiteNIO builds in): a page-by-page copy of
/// a live database into another file while the platform keeps writing — a step that meets a change made by another
/// connection copies the changed pages again, so the copy is a consistent snapshot of one moment.
public enum SQLiteBackup {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Copies the database at `source` into `destination`, which must not exist. `progress` gets the pages copied
    /// and the pages in all after each step.
    public static func copy(from source: String, to destination: String, pagesPerStep: Int32 = 4096, progress: (Int, Int) -> Void = { _, _ in }) throws {
        guard FileManager.default.fileExists(atPath: source) else { throw Failure(description: "no database at \(source)") }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw Failure(description: "\(destination) exists already; give a new path (a backup never overwrites a file)")
        }
        var from: OpaquePointer?
        defer { sqlite_nio_sqlite3_close_v2(from) }
        guard sqlite_nio_sqlite3_open_v2(source, &from, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, let from else {
            throw Failure(description: "cannot open \(source): \(message(from))")
        }
        _ = sqlite_nio_sqlite3_busy_timeout(from, 5_000)
        var to: OpaquePointer?
        defer { sqlite_nio_sqlite3_close_v2(to) }
        guard sqlite_nio_sqlite3_open_v2(destination, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let to else {
            throw Failure(description: "cannot create \(destination): \(message(to))")
        }
        guard let backup = sqlite_nio_sqlite3_backup_init(to, "main", from, "main") else {
            throw Failure(description: "cannot start the backup: \(message(to))")
        }
        var step: Int32
        repeat {
            step = sqlite_nio_sqlite3_backup_step(backup, pagesPerStep)
            let total = Int(sqlite_nio_sqlite3_backup_pagecount(backup))
            progress(total - Int(sqlite_nio_sqlite3_backup_remaining(backup)), total)
            if step == SQLITE_BUSY || step == SQLITE_LOCKED { usleep(20_000) }
        } while step == SQLITE_OK || step == SQLITE_BUSY || step == SQLITE_LOCKED
        let finished = sqlite_nio_sqlite3_backup_finish(backup)
        guard step == SQLITE_DONE, finished == SQLITE_OK else {
            try? FileManager.default.removeItem(atPath: destination)
            throw Failure(description: "the backup stopped: \(message(to))")
        }
        // The copy keeps the source's journal mode (WAL): fold it into the one file, so the backup is a single file.
        _ = sqlite_nio_sqlite3_exec(to, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;", nil, nil, nil)
        chmod(destination, 0o600)
    }

    /// Leaves the database at `path` as one file: its write-ahead log folded in and the journal back to DELETE (the
    /// platform's own connections use WAL, which leaves `-wal` and `-shm` files beside a file they opened).
    public static func singleFile(_ path: String) throws {
        var db: OpaquePointer?
        defer { sqlite_nio_sqlite3_close_v2(db) }
        guard sqlite_nio_sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let db else {
            throw Failure(description: "cannot open \(path): \(message(db))")
        }
        guard sqlite_nio_sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;", nil, nil, nil) == SQLITE_OK else {
            throw Failure(description: "cannot fold the log of \(path): \(message(db))")
        }
    }

    static func message(_ db: OpaquePointer?) -> String {
        guard let db, let text = sqlite_nio_sqlite3_errmsg(db) else { return "unknown error" }
        return String(cString: text)
    }
}

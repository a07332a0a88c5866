import Foundation

/// Checks a chain of checkpoints: every signature with the published key, sequences one after another, each naming the
/// hash of the one before.
public enum CheckpointLog {
    /// The problems in `chain` (empty: it holds), in plain English.
    public static func problems(in chain: [Checkpoint], key: CheckpointPublicKey) -> [String] {
        var out: [String] = []
        var previous: Checkpoint?
        for checkpoint in chain {
            if checkpoint.keyID != key.keyID {
                out.append("checkpoint \(checkpoint.sequence): signed by key \(checkpoint.keyID), not the published key \(key.keyID)")
            } else if !checkpoint.isSigned(by: key) {
                out.append("checkpoint \(checkpoint.sequence): the signature does not match its statement (forged or altered)")
            }
            if let previous {
                if checkpoint.sequence != previous.sequence + 1 {
                    out.append("checkpoint \(checkpoint.sequence) follows checkpoint \(previous.sequence): checkpoints are missing between them")
                } else if checkpoint.previous != previous.hash {
                    out.append("checkpoint \(checkpoint.sequence): does not name checkpoint \(previous.sequence)'s hash (the log was rewritten)")
                }
            } else if checkpoint.sequence == 1 && checkpoint.previous != Checkpoint.genesis {
                out.append("checkpoint 1: names a previous checkpoint, but it is the first")
            }
            previous = checkpoint
        }
        return out
    }

    /// Reads a published log (JSON lines, written by `hotline checkpoints-export`).
    public static func read(file path: String) throws -> [Checkpoint] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch { throw CheckpointError.log("cannot read the checkpoint log \(path)") }
        return try text.split(whereSeparator: \.isNewline).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { try Checkpoint(publishedLine: String($0)) }
    }

    /// The checkpoint to compare the database with: the published log's latest, or a later one the database holds
    /// that is signed with the same key and chains onto it. Problems name published checkpoints the database lost or
    /// holds differently, and later ones that do not chain on.
    public static func reconcile(published: [Checkpoint], stored: [Checkpoint], key: CheckpointPublicKey) -> (latest: Checkpoint?, problems: [String]) {
        var problems: [String] = []
        let storedBySequence = Dictionary(stored.map { ($0.sequence, $0) }, uniquingKeysWith: { a, _ in a })
        for checkpoint in published {
            guard let copy = storedBySequence[checkpoint.sequence] else {
                problems.append("checkpoint \(checkpoint.sequence) is published but missing from the database's checkpoint log")
                continue
            }
            if copy.statement != checkpoint.statement || copy.signature != checkpoint.signature {
                problems.append("checkpoint \(checkpoint.sequence): the database's copy differs from the published one")
            }
        }
        var latest = published.last
        let later = stored.filter { $0.sequence > (published.last?.sequence ?? 0) }.sorted { $0.sequence < $1.sequence }
        if !later.isEmpty {
            let chain = (published.last.map { [$0] } ?? []) + later
            let laterProblems = Self.problems(in: chain, key: key)
            if laterProblems.isEmpty {
                latest = later.last
            } else {
                problems += laterProblems.map { "in the database, after the published log: " + $0 }
            }
        }
        return (latest, problems)
    }
}

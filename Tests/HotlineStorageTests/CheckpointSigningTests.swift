import Foundation
import HotlineStorage
import Testing

@Suite struct CheckpointSigningTests {
    let now = Date(timeIntervalSince1970: 1_796_083_200)

    @Test func aSignedCheckpointVerifiesWithItsPublicKeyOnly() throws {
        let key = CheckpointKey()
        let checkpoint = try Checkpoint(sequence: 1, createdAt: now, orderCount: 3, root: String(repeating: "a", count: 64),
                                        previous: Checkpoint.genesis, key: key)
        #expect(checkpoint.isSigned(by: key.publicKey))
        #expect(!checkpoint.isSigned(by: CheckpointKey().publicKey))
        let read = try Checkpoint(publishedLine: checkpoint.publishedLine)
        #expect(read == checkpoint)
        #expect(CheckpointLog.problems(in: [read], key: key.publicKey).isEmpty)
    }

    @Test func anAlteredStatementOrSignatureIsCaught() throws {
        let key = CheckpointKey()
        let checkpoint = try Checkpoint(sequence: 1, createdAt: now, orderCount: 3, root: String(repeating: "a", count: 64),
                                        previous: Checkpoint.genesis, key: key)
        let forgedRoot = checkpoint.publishedLine
            .replacingOccurrences(of: String(repeating: "a", count: 64), with: String(repeating: "b", count: 64))
        let forged = try Checkpoint(publishedLine: forgedRoot)
        #expect(CheckpointLog.problems(in: [forged], key: key.publicKey) == ["checkpoint 1: the signature does not match its statement (forged or altered)"])
        let otherKey = CheckpointKey()
        let resigned = try Checkpoint(sequence: 1, createdAt: now, orderCount: 3, root: checkpoint.root, previous: Checkpoint.genesis, key: otherKey)
        #expect(CheckpointLog.problems(in: [resigned], key: key.publicKey).first?.contains("not the published key") == true)
    }

    @Test func theLogIsAChain() throws {
        let key = CheckpointKey()
        let first = try Checkpoint(sequence: 1, createdAt: now, orderCount: 1, root: Checkpoint.genesis, previous: Checkpoint.genesis, key: key)
        let second = try Checkpoint(sequence: 2, createdAt: now, orderCount: 2, root: Checkpoint.genesis, previous: first.hash, key: key)
        let unlinked = try Checkpoint(sequence: 2, createdAt: now, orderCount: 2, root: Checkpoint.genesis, previous: Checkpoint.genesis, key: key)
        #expect(CheckpointLog.problems(in: [first, second], key: key.publicKey).isEmpty)
        #expect(CheckpointLog.problems(in: [first, unlinked], key: key.publicKey)
            == ["checkpoint 2: does not name checkpoint 1's hash (the log was rewritten)"])
    }

    @Test func aKeyFileIsWrittenOwnerOnlyAndReadBack() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString).key").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let key = try CheckpointKey.create(at: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try CheckpointKey(file: path).publicKey == key.publicKey)
        #expect(try CheckpointPublicKey(key.publicKey.base64) == key.publicKey)
        #expect(throws: CheckpointError.self) { try CheckpointKey.create(at: path) }
    }
}

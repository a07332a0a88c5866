import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage

/// 存证: one line on the order page and the citizen's tracking page saying whether the order is in the latest signed
/// checkpoint, with the proof's hashes behind a disclosure for whoever wants to check it.
struct CheckpointPanel: Sendable {
    struct Step: Sendable {
        var n: Int
        var hash: String
    }
    var line: String
    var included: Bool
    var root = ""
    var leaf = ""
    var leafIndex = 0
    var orderCount = 0
    var chainHead = ""
    var documentHash = ""
    var keyID = ""
    var publicKey = ""
    var signature = ""
    var statement = ""
    var steps: [Step] = []
    /// The API's JSON of the same proof (console only).
    var apiHref: String?

    /// Nil when no checkpoint has been made: the page says nothing about checkpoints then.
    init?(_ standing: CheckpointDesk.Standing, apiHref: String? = nil) {
        switch standing {
        case .noCheckpoints:
            return nil
        case .notYet:
            line = "尚未纳入存证（下次存证后可查）"
            included = false
        case .included(let proof):
            let c = proof.checkpoint
            line = "已纳入第 \(c.sequence) 号存证（\(c.createdAt.chinaShort)）：存证根 \(c.root.prefix(8))…，验证路径 \(proof.path.count) 步"
            included = true
            root = c.root
            leaf = MerkleTree.hex(proof.leaf.hash)
            leafIndex = proof.leafIndex
            orderCount = c.orderCount
            chainHead = proof.leaf.head
            documentHash = proof.leaf.documentHash
            keyID = c.keyID
            publicKey = c.publicKey
            signature = c.signature
            statement = c.statement
            steps = proof.path.enumerated().map { Step(n: $0.offset + 1, hash: $0.element) }
            self.apiHref = apiHref
        }
    }
}

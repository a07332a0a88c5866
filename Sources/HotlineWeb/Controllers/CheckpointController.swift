import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// `GET /api/v1/orders/{number}/checkpoint-proof`: the order's inclusion proof against the latest signed checkpoint
/// (存证), for whoever may read the order.
struct CheckpointController: Sendable {
    let checkpoints: CheckpointDesk
    let actors: ActorResolver

    func register(on router: Router<AppRequestContext>) {
        router.scoped(.ordersRead, by: actors).get(RouterPath(APIRoutes.checkpointProof(":number"))) { request, context in
            let user = try context.require(.viewOrders)
            let text = context.parameters.get("number") ?? ""
            guard let number = OrderNumber(text), let standing = try await checkpoints.standing(of: number, for: user.actor) else {
                throw APIError.notFound("工单 \(text) ")
            }
            switch standing {
            case .included(let proof):
                return try APIJSON.response(CheckpointProofResponse(proof))
            case .notYet(let latest):
                throw APIError(.notFound, code: "not_in_checkpoint",
                               message: "工单 \(number) 尚未纳入存证：最近一次是第 \(latest.sequence) 号存证（\(latest.createdAt.chinaShort)），下次存证后可查")
            case .noCheckpoints:
                throw APIError(.notFound, code: "not_in_checkpoint", message: "本平台尚未生成存证，工单 \(number) 尚未纳入存证")
            }
        }
    }
}

/// The inclusion proof as the API gives it: the checkpoint (with its signature and public key, so that anyone can
/// check it), the order's leaf hash, its index, and the audit path from the leaf up (RFC 6962).
struct CheckpointProofResponse: Encodable, Sendable {
    struct CheckpointView: Encodable, Sendable {
        var sequence: Int
        var createdAt: Date
        var orderCount: Int
        var root: String
        var previous: String
        var keyId: String
        var publicKey: String
        var statement: String
        var signature: String
    }
    var checkpoint: CheckpointView
    var leaf: String
    var leafIndex: Int
    var chainHead: String
    var documentHash: String
    var proof: [String]

    init(_ p: CheckpointProof) {
        let c = p.checkpoint
        checkpoint = CheckpointView(sequence: c.sequence, createdAt: c.createdAt, orderCount: c.orderCount, root: c.root, previous: c.previous,
                                    keyId: c.keyID, publicKey: c.publicKey, statement: c.statement, signature: c.signature)
        leaf = MerkleTree.hex(p.leaf.hash)
        leafIndex = p.leafIndex
        chainHead = p.leaf.head
        documentHash = p.leaf.documentHash
        proof = p.path
    }
}

import Foundation
import HotlineDomain
import HotlineStorage

/// Signed checkpoints (存证) as people see them: an order's inclusion proof against the latest checkpoint, for staff
/// who may read the order and for the citizen who made it.
public struct CheckpointDesk: Sendable {
    let desk: WorkOrderDesk
    let portal: PortalDesk
    let store: CheckpointStore

    /// Where an order stands against the checkpoints.
    public enum Standing: Sendable, Equatable {
        /// No checkpoint has been made on this platform.
        case noCheckpoints
        /// The order came after the latest checkpoint (which is given).
        case notYet(latest: Checkpoint)
        case included(CheckpointProof)
    }

    /// The order's standing, if the actor may read the order; nil when they may not (or it does not exist).
    public func standing(of number: OrderNumber, for actor: Actor) async throws -> Standing? {
        guard try await desk.order(number, for: actor) != nil else { return nil }
        return try await standing(of: number)
    }

    /// The standing of the citizen's own order; nil when it is not theirs.
    public func standing(of number: OrderNumber, of citizen: PortalDesk.Citizen) async throws -> Standing? {
        guard try await portal.order(number, of: citizen) != nil else { return nil }
        return try await standing(of: number)
    }

    func standing(of number: OrderNumber) async throws -> Standing {
        if let proof = try await store.proof(for: number.rawValue) { return .included(proof) }
        guard let latest = try await store.latest() else { return .noCheckpoints }
        return .notYet(latest: latest)
    }
}

extension HotlineApp {
    /// Signed checkpoints (存证): inclusion proofs.
    public var checkpoints: CheckpointDesk { CheckpointDesk(desk: desk, portal: portal, store: services.checkpoints) }
}

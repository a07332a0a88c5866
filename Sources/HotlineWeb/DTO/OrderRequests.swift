import Foundation
import HotlineDomain

/// POST /api/v1/orders: a new request taken by an agent or a channel.
struct IntakeRequest: Decodable {
    struct CallerBody: Decodable {
        var name: String?
        var phone: String
        var type: CallerType?
        var idNumber: String?
        var confidential: Bool?
    }
    struct LocationBody: Decodable {
        var address: String?
        var district: String?
        var street: String?
        var latitude: Double?
        var longitude: Double?
    }
    /// What the agent decided on the call; absent means "accept for dispatch".
    struct DecisionBody: Decodable {
        enum Kind: String, Decodable { case accept, answerDirectly = "answer_directly", reject }
        var type: Kind
        var answer: String?
        var reason: RejectionReason?
        var note: String?
        /// The knowledge entry whose answer the direct answer used.
        var knowledgeId: Int64?
    }

    var channel: Channel
    var caller: CallerBody
    var kind: RequestKind
    var categoryCode: String?
    var title: String
    var content: String
    var location: LocationBody?
    var lanes: [Lane]?
    var tags: [String]?
    var repeatOf: OrderNumber?
    var decision: DecisionBody?

    func draft() throws -> IntakeDraft {
        let decision: IntakeDecision
        switch self.decision?.type ?? .accept {
        case .accept: decision = .accept
        case .answerDirectly: decision = .answerDirectly(self.decision?.answer ?? "")
        case .reject:
            guard let reason = self.decision?.reason else { throw APIError.invalid("decision.reason", "不予受理须选择原因") }
            decision = .reject(reason, note: self.decision?.note ?? "")
        }
        return IntakeDraft(
            channel: channel,
            caller: Caller(name: caller.name ?? "", phone: caller.phone, type: caller.type ?? .individual, idNumber: caller.idNumber,
                           confidential: caller.confidential ?? false),
            kind: kind, categoryCode: categoryCode, title: title, content: content,
            location: Location(address: location?.address ?? "", district: location?.district, street: location?.street,
                               latitude: location?.latitude, longitude: location?.longitude),
            lanes: lanes ?? [], tags: tags ?? [], repeatOf: repeatOf, decision: decision, knowledgeEntry: self.decision?.knowledgeId)
    }
}

import HotlineDomain
import HotlineStorage

/// What a person asks of one order: a lifecycle transition, a merge into another order, or a reply with files.
public enum OrderCommand: Sendable {
    case transition(Transition)
    /// 并单 into `target`.
    case merge(into: OrderNumber, note: String?)
    /// 答复 with evidence files (stored with the reply in one transaction).
    case reply(text: String, files: [AttachmentUpload])

    public var action: Action {
        switch self {
        case .transition(let t): t.action
        case .merge: .merge
        case .reply: .reply
        }
    }
}


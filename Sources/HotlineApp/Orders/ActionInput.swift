import Foundation
import HotlineDomain

/// The input of one order action, decoded from whatever the front end received — the API's JSON body or the
/// console's form — through one `Decodable` type per action, so that the two can never read the same action apart.
/// Property names are the camel-case forms of the wire names (`lead_unit` → `leadUnit`).
public protocol ActionInput: Decodable, Sendable {
    /// The command this input asks for; a missing or contradictory field throws ``LifecycleError/invalid(field:message:)``.
    func command() throws(LifecycleError) -> OrderCommand
}

/// The input type of every order action.
public enum ActionInputs {
    /// The `Decodable` input `action` takes; nil for intake, which has its own.
    public static func type(of action: Action) -> (any ActionInput.Type)? {
        switch action {
        case .create: nil
        case .reject: Reject.self
        case .answerDirectly: Answer.self
        case .dispatch: Dispatch.self
        case .redispatch: Redispatch.self
        case .sign: Sign.self
        case .returnOrder: Return.self
        case .rejectReturn: RejectReturn.self
        case .subDispatch: SubDispatch.self
        case .requestExtension: Extension.self
        case .approveExtension: ApproveExtension.self
        case .denyExtension: DenyExtension.self
        case .reply: Reply.self
        case .passUnitReview: PassUnitReview.self
        case .sendBackUnitReview: SendBackUnitReview.self
        case .passReview: PassReview.self
        case .sendBack: SendBack.self
        case .recordCallback: Callback.self
        case .close: Close.self
        case .closeUnsatisfied: CloseUnsatisfied.self
        case .reclassify: Reclassify.self
        case .redo: Redo.self
        case .archive: Archive.self
        case .merge: Merge.self
        case .markFinalReply: FinalReply.self
        case .urge: Urge.self
        case .issueCard: Card.self
        case .escalate: Escalate.self
        case .consult: Consult.self
        case .acknowledgeSupervision: AcknowledgeSupervision.self
        case .citizenRate: CitizenRate.self
        }
    }

    /// Whether the action's input may be empty (every field optional): an empty body then means "no input".
    public static func acceptsEmpty(_ action: Action) -> Bool {
        [.sign, .archive, .approveExtension, .passReview, .passUnitReview].contains(action)
    }

    public struct Reject: ActionInput {
        public var reason: RejectionReason
        public var note: String?
        public func command() -> OrderCommand { .transition(.reject(reason: reason, note: note ?? "")) }
    }
    public struct Answer: ActionInput {
        public var answer: String
        public func command() -> OrderCommand { .transition(.answerDirectly(answer: answer)) }
    }
    public struct Dispatch: ActionInput {
        public var leadUnit: UnitID
        public var assistingUnits: [UnitID]?
        public var note: String?
        public func command() -> OrderCommand {
            .transition(.dispatch(lead: leadUnit, assisting: (assistingUnits ?? []).filter { !$0.isEmpty }, note: note))
        }
    }
    public struct Redispatch: ActionInput {
        public var leadUnit: UnitID
        public var assistingUnits: [UnitID]?
        public var note: String?
        public func command() -> OrderCommand {
            .transition(.redispatch(lead: leadUnit, assisting: (assistingUnits ?? []).filter { !$0.isEmpty }, note: note))
        }
    }
    public struct Sign: ActionInput {
        public func command() -> OrderCommand { .transition(.sign) }
    }
    public struct Archive: ActionInput {
        public func command() -> OrderCommand { .transition(.archive) }
    }
    /// `{"reason": "<code>", "evidence": "..."}`. The old shapes stay accepted and are filed under 其他: a free-text
    /// `{"reason": "..."}` (a reason that is not a code) or `{"note": "..."}`.
    public struct Return: ActionInput {
        public var reason: String?
        public var evidence: String?
        public var note: String?
        public func command() -> OrderCommand {
            if let evidence { return .transition(.returnOrder(reason: reason ?? "", evidence: evidence)) }
            if let reason, !ReturnReasonList.looksLikeCode(reason.trimmingCharacters(in: .whitespaces)), !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                return .transition(.returnOrder(reason: nil, evidence: reason))
            }
            if let note, reason == nil { return .transition(.returnOrder(reason: nil, evidence: note)) }
            return .transition(.returnOrder(reason: reason ?? "", evidence: ""))
        }
    }
    public struct RejectReturn: ActionInput {
        public var reason: String
        public func command() -> OrderCommand { .transition(.rejectReturn(reason: reason)) }
    }
    public struct SubDispatch: ActionInput {
        public var unit: UnitID
        public var note: String?
        public func command() -> OrderCommand { .transition(.subDispatch(unit: unit, note: note)) }
    }
    public struct Extension: ActionInput {
        public var workingDays: Int
        public var reason: String
        public func command() -> OrderCommand { .transition(.requestExtension(workingDays: workingDays, reason: reason)) }
    }
    public struct ApproveExtension: ActionInput {
        public var note: String?
        public func command() -> OrderCommand { .transition(.approveExtension(note: note)) }
    }
    public struct DenyExtension: ActionInput {
        public var reason: String
        public func command() -> OrderCommand { .transition(.denyExtension(reason: reason)) }
    }
    /// A reply without files. Files travel with the reply as `multipart/form-data`, so a body that claims some is refused.
    public struct Reply: ActionInput {
        public struct Attachment: Decodable, Sendable {
            public var name: String?
        }
        public var text: String
        public var attachments: [Attachment]?
        public func command() throws(LifecycleError) -> OrderCommand {
            guard attachments?.isEmpty ?? true else {
                throw .invalid(field: "attachments", message: "附件须随答复以 multipart/form-data 上传（字段 text 与 files）")
            }
            return .reply(text: text, files: [])
        }
    }
    /// 单位审核通过: an optional note.
    public struct PassUnitReview: ActionInput {
        public var note: String?
        public func command() -> OrderCommand { .transition(.passUnitReview(note: note)) }
    }
    /// 单位审核退回: the reason is required.
    public struct SendBackUnitReview: ActionInput {
        public var reason: String
        public func command() -> OrderCommand { .transition(.sendBackUnitReview(reason: reason)) }
    }
    public struct PassReview: ActionInput {
        public var note: String?
        public func command() -> OrderCommand { .transition(.passReview(note: note)) }
    }
    public struct SendBack: ActionInput {
        public var reason: String
        public func command() -> OrderCommand { .transition(.sendBack(reason: reason)) }
    }
    /// 回访: `reached` defaults to true (the body integrations have always sent); a reached caller must say whether
    /// the matter was resolved and how satisfied they are, and may give 1–5 stars.
    public struct Callback: ActionInput {
        public var reached: Bool?
        public var resolved: Bool?
        public var satisfaction: Satisfaction?
        public var stars: Int?
        public var note: String?
        public func command() throws(LifecycleError) -> OrderCommand {
            guard reached ?? true else { return .transition(.recordCallback(.unreachable(note: note ?? ""))) }
            guard let resolved else { throw .invalid(field: "resolved", message: "已接通的回访须填写是否解决") }
            guard let satisfaction else { throw .invalid(field: "satisfaction", message: "已接通的回访须填写满意度") }
            return .transition(.recordCallback(.reached(resolved: resolved, satisfaction: satisfaction, stars: stars, note: note ?? "")))
        }
    }
    public struct Close: ActionInput {
        public var note: String
        public func command() -> OrderCommand { .transition(.close(note: note)) }
    }
    public struct CloseUnsatisfied: ActionInput {
        public var reason: String
        public func command() -> OrderCommand { .transition(.closeUnsatisfied(reason: reason)) }
    }
    public struct Reclassify: ActionInput {
        public var categoryCode: String
        public var reason: String
        public func command() -> OrderCommand { .transition(.reclassify(categoryCode: categoryCode, reason: reason)) }
    }
    public struct Redo: ActionInput {
        public var reason: String
        public func command() -> OrderCommand { .transition(.redo(reason: reason)) }
    }
    public struct Merge: ActionInput {
        public var target: String
        public var note: String?
        public func command() throws(LifecycleError) -> OrderCommand {
            guard let number = OrderNumber(target.trimmingCharacters(in: .whitespaces)) else {
                throw .invalid(field: "target", message: "工单编号格式不正确")
            }
            return .merge(into: number, note: note)
        }
    }
    public struct FinalReply: ActionInput {
        public var note: String
        public func command() -> OrderCommand { .transition(.markFinalReply(note: note)) }
    }
    public struct Urge: ActionInput {
        public var note: String
        public func command() -> OrderCommand { .transition(.urge(note: note)) }
    }
    public struct Card: ActionInput {
        public var colour: CardColour
        public var reason: String
        public func command() -> OrderCommand { .transition(.issueCard(colour: colour, reason: reason)) }
    }
    public struct Escalate: ActionInput {
        public var reason: String
        public func command() -> OrderCommand { .transition(.escalate(reason: reason)) }
    }
    /// 会商: `{"units": [...], "meeting_at": "2026-03-02T10:00", "lead_unit": "...", "assisting_units": [...],
    /// "due_by": "YYYY-MM-DD", "decision": "..."}`; a meeting time without a zone is China Standard Time.
    public struct Consult: ActionInput {
        public var units: [UnitID]?
        public var meetingAt: String?
        public var leadUnit: UnitID?
        public var assistingUnits: [UnitID]?
        public var dueBy: String?
        public var decision: String?
        public func command() throws(LifecycleError) -> OrderCommand {
            let listed = (units ?? []).filter { !$0.isEmpty }
            guard !listed.isEmpty else { throw .invalid(field: "units", message: "请选择参会单位（至少2个）") }
            guard let text = meetingAt?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
                throw .invalid(field: "meeting_at", message: "请填写会商时间")
            }
            guard let meeting = ISOTime.parse(text), CivilDay(iso: text) == nil else {
                throw .invalid(field: "meeting_at", message: "会商时间应为日期和时间，例如 2026-03-02T10:00")
            }
            guard let lead = leadUnit?.trimmingCharacters(in: .whitespaces), !lead.isEmpty else {
                throw .invalid(field: "lead_unit", message: "请选择主办单位")
            }
            guard let dueText = dueBy?.trimmingCharacters(in: .whitespaces), !dueText.isEmpty else {
                throw .invalid(field: "due_by", message: "请填写办理期限")
            }
            guard let due = CivilDay(iso: dueText) else { throw .invalid(field: "due_by", message: "办理期限应为日期，格式 YYYY-MM-DD") }
            return .transition(.consult(ConsultationInput(
                units: listed, meetingAt: meeting, leadUnit: lead, assistingUnits: (assistingUnits ?? []).filter { !$0.isEmpty }, dueBy: due,
                decision: decision ?? "")))
        }
    }
    /// 已研判: `{"note": "..."}`.
    public struct AcknowledgeSupervision: ActionInput {
        public var note: String
        public func command() -> OrderCommand { .transition(.acknowledgeSupervision(note: note)) }
    }
    /// 市民评价: `{"satisfaction": "satisfied", "stars": 5, "comment": "..."}`, from the citizen portal.
    public struct CitizenRate: ActionInput {
        public var satisfaction: Satisfaction
        public var stars: Int?
        public var comment: String?
        public init(satisfaction: Satisfaction, stars: Int?, comment: String?) {
            self.satisfaction = satisfaction
            self.stars = stars
            self.comment = comment
        }
        public func command() -> OrderCommand { .transition(.rateByCitizen(satisfaction: satisfaction, stars: stars, comment: comment ?? "")) }
    }
}

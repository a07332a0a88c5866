import Foundation
import HotlineDomain
import HotlineStorage
import Hummingbird

/// Reads the body each action takes and builds the domain transition.
enum ActionDecoding {
    static func transition(for action: Action, from request: Request) async throws -> Transition {
        switch action {
        case .create, .merge:
            throw APIError.notFound("操作 \(action.rawValue) ")
        case .reject:
            let b = try await APIBody.decode(ActionRequest.Reject.self, from: request)
            return .reject(reason: b.reason, note: b.note ?? "")
        case .answerDirectly:
            return .answerDirectly(answer: try await APIBody.decode(ActionRequest.Answer.self, from: request).answer)
        case .dispatch, .redispatch:
            let b = try await APIBody.decode(ActionRequest.Dispatch.self, from: request)
            return action == .dispatch
                ? .dispatch(lead: b.leadUnit, assisting: b.assistingUnits ?? [], note: b.note)
                : .redispatch(lead: b.leadUnit, assisting: b.assistingUnits ?? [], note: b.note)
        case .sign:
            return .sign
        case .returnOrder:
            return .returnOrder(reason: try await APIBody.decode(ActionRequest.Reason.self, from: request).reason)
        case .subDispatch:
            let b = try await APIBody.decode(ActionRequest.SubDispatch.self, from: request)
            return .subDispatch(unit: b.unit, note: b.note)
        case .requestExtension:
            let b = try await APIBody.decode(ActionRequest.Extension.self, from: request)
            return .requestExtension(workingDays: b.workingDays, reason: b.reason)
        case .approveExtension:
            return .approveExtension(note: try await optionalNote(request))
        case .denyExtension:
            return .denyExtension(reason: try await APIBody.decode(ActionRequest.Reason.self, from: request).reason)
        case .reply:
            let b = try await APIBody.decode(ActionRequest.Reply.self, from: request)
            // Files travel with the reply as multipart/form-data; a JSON reply cannot claim files it does not carry.
            guard b.attachments?.isEmpty ?? true else {
                throw APIError.invalid("attachments", "附件须随答复以 multipart/form-data 上传（字段 text 与 files）")
            }
            return .reply(text: b.text, attachments: [])
        case .passReview:
            return .passReview(note: try await optionalNote(request))
        case .sendBack:
            return .sendBack(reason: try await APIBody.decode(ActionRequest.Reason.self, from: request).reason)
        case .recordCallback:
            let b = try await APIBody.decode(ActionRequest.Callback.self, from: request)
            let reached = b.reached ?? true
            if reached {
                guard let satisfaction = b.satisfaction else { throw APIError.invalid("satisfaction", "已接通的回访须填写满意度") }
                guard let resolved = b.resolved else { throw APIError.invalid("resolved", "已接通的回访须填写是否解决") }
                return .recordCallback(reached: true, resolved: resolved, satisfaction: satisfaction, note: b.note ?? "")
            }
            return .recordCallback(reached: false, resolved: false, satisfaction: .unsatisfied, note: b.note ?? "")
        case .close:
            return .close(note: try await APIBody.decode(ActionRequest.RequiredNote.self, from: request).note)
        case .redo:
            return .redo(reason: try await APIBody.decode(ActionRequest.Reason.self, from: request).reason)
        case .archive:
            return .archive
        case .markFinalReply:
            return .markFinalReply(note: try await APIBody.decode(ActionRequest.RequiredNote.self, from: request).note)
        case .urge:
            return .urge(note: try await APIBody.decode(ActionRequest.RequiredNote.self, from: request).note)
        case .issueCard:
            let b = try await APIBody.decode(ActionRequest.Card.self, from: request)
            return .issueCard(colour: b.colour, reason: b.reason)
        case .escalate:
            return .escalate(reason: try await APIBody.decode(ActionRequest.Reason.self, from: request).reason)
        }
    }

    /// Actions whose note is optional accept an empty body too.
    static func optionalNote(_ request: Request) async throws -> String? {
        try await APIBody.decode(ActionRequest.Note.self, from: request, ifEmpty: ActionRequest.Note(note: nil)).note
    }

    /// A reply sent as `multipart/form-data`: the `text` field and the files of `files`, each checked.
    static func replyUpload(_ form: MultipartForm) throws -> (text: String, files: [AttachmentUpload]) {
        let files = try form.files.filter { $0.field == "files" }.map { try AttachmentUpload(name: $0.filename, data: $0.data) }
        try AttachmentUpload.checkSet(files)
        return (form.fields["text"] ?? "", files)
    }
}

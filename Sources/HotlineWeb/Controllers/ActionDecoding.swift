import Foundation
import HotlineDomain
import HotlineStorage
import Hummingbird

/// Reads a reply's files: the one action whose input is not a JSON object or a urlencoded form.
enum ActionDecoding {
    /// A reply sent as `multipart/form-data`: the `text` field and the files of `files`, each checked.
    static func replyUpload(_ form: MultipartForm) throws -> (text: String, files: [AttachmentUpload]) {
        let files = try form.files.filter { $0.field == "files" }.map { try AttachmentUpload(name: $0.filename, data: $0.data) }
        try AttachmentUpload.checkSet(files)
        return (form.fields["text"] ?? "", files)
    }
}

import Foundation
import HotlineDomain
import MultipartKit
import NIOCore

/// Collects the parts multipart-kit's `MultipartParser` finds, within ``MultipartForm``'s limits: the number of
/// parts and files, the size of each header, field and file, and the files' total. The first limit passed is
/// kept and thrown after the chunk in hand; nothing more is copied after it. Every step is linear in the bytes.
final class MultipartReader {
    private let parser: MultipartParser
    private var headers: [(name: String, value: String)] = []
    private var headerBytes = 0
    private var body = ByteBuffer()
    /// The part being read: its field name and, for a file, its file name (known once its headers are in).
    private var part: (name: String, filename: String?)?
    private var started = false
    private var parts = 0
    private var fileBytes = 0
    private var fields: [String: [String]] = [:]
    private var files: [MultipartForm.File] = []
    private var refusal: (any Error)?

    init(boundary: String) {
        parser = MultipartParser(boundary: boundary)
        parser.onHeader = { [unowned self] name, value in header(name, value) }
        parser.onBody = { [unowned self] buffer in bodyBytes(&buffer) }
        parser.onPartComplete = { [unowned self] in complete() }
    }

    /// Parses the next bytes of the body.
    func feed(_ chunk: ByteBuffer) throws {
        do {
            try parser.execute(chunk)
        } catch {
            throw APIError.malformed("表单格式不正确")
        }
        if let refusal { throw refusal }
    }

    /// The form, once the whole body has been fed.
    func finish() throws -> MultipartForm {
        if let refusal { throw refusal }
        guard !started else { throw APIError.malformed("表单未正常结束") }
        guard parts > 0 else { throw APIError.malformed("表单缺少分隔符或内容") }
        return MultipartForm(fields: fields.mapValues { $0.joined(separator: ",") }, files: files)
    }

    private func refuse(_ error: any Error) {
        if refusal == nil { refusal = error }
    }

    private func header(_ name: String, _ value: String) {
        started = true
        headerBytes += name.utf8.count + value.utf8.count
        guard refusal == nil else { return }
        guard headerBytes <= MultipartForm.maximumHeaderBytes else { return refuse(APIError.malformed("表单部分的头部过长")) }
        headers.append((name, value))
    }

    /// The part's field and file name from its Content-Disposition header.
    private func currentPart() -> (name: String, filename: String?)? {
        if let part { return part }
        guard let disposition = headers.first(where: { $0.name.lowercased() == "content-disposition" }) else {
            refuse(APIError.malformed("表单部分缺少 Content-Disposition"))
            return nil
        }
        let parameters = MultipartForm.parameters(disposition.value)
        guard let name = parameters["name"], !name.isEmpty else {
            refuse(APIError.malformed("表单部分缺少字段名"))
            return nil
        }
        part = (name, parameters["filename"])
        return part
    }

    private func bodyBytes(_ buffer: inout ByteBuffer) {
        started = true
        guard refusal == nil, let part = currentPart() else { return }
        let size = body.readableBytes + buffer.readableBytes
        if let filename = part.filename {
            guard size <= AttachmentPolicy.maxFileBytes else {
                return refuse(AttachmentPolicy.Refusal.tooLarge(name: (try? AttachmentPolicy.cleanName(filename)) ?? "附件"))
            }
            guard fileBytes + buffer.readableBytes <= AttachmentPolicy.maxTotalBytes else { return refuse(AttachmentPolicy.Refusal.totalTooLarge) }
            fileBytes += buffer.readableBytes
        } else {
            guard size <= MultipartForm.maximumFieldBytes else {
                return refuse(APIError(.contentTooLarge, code: "too_large", message: "字段 \(part.name) 超过\(MultipartForm.maximumFieldBytes / 1024)KB"))
            }
        }
        body.writeBuffer(&buffer)
    }

    private func complete() {
        defer {
            headers = []
            headerBytes = 0
            body.clear()
            part = nil
            started = false
        }
        guard refusal == nil, let part = currentPart() else { return }
        parts += 1
        guard parts <= MultipartForm.maximumParts else { return refuse(APIError.malformed("表单部分超过\(MultipartForm.maximumParts)个")) }
        let data = Data(buffer: body)
        if let filename = part.filename {
            // A file input left empty still sends a part with an empty name and no bytes.
            guard !filename.isEmpty || !data.isEmpty else { return }
            guard files.count < AttachmentPolicy.maxFiles else { return refuse(AttachmentPolicy.Refusal.tooMany) }
            files.append(MultipartForm.File(field: part.name, filename: filename, data: data))
        } else {
            fields[part.name, default: []].append(String(decoding: data, as: UTF8.self))
        }
    }
}

import Foundation
import HotlineDomain
import Hummingbird
import MultipartKit
import NIOCore

/// A `multipart/form-data` body (RFC 7578): the text fields and the files of a form that uploads.
///
/// multipart-kit's streaming parser splits the parts as the body arrives; ``MultipartReader`` keeps them within
/// the limits below and refuses the request as soon as one is passed. Callers read a form only after they have
/// checked who is asking and what for: parsing is work a stranger must not be able to cause.
struct MultipartForm: Sendable {
    struct File: Sendable {
        var field: String
        var filename: String
        var data: Data
    }

    var fields: [String: String] = [:]
    var files: [File] = []

    /// The most bytes an upload request may carry: the attachments' total plus room for the text fields.
    static let maximumBytes = 31 * 1024 * 1024
    /// The most bytes of one text field.
    static let maximumFieldBytes = 64 * 1024
    /// The most parts of one form: a reply's files, an empty file input, and a few text fields.
    static let maximumParts = AttachmentPolicy.maxFiles + 8
    /// The most bytes of one part's headers.
    static let maximumHeaderBytes = 4 * 1024

    /// The boundary of a `multipart/form-data` content type, or nil for any other type.
    static func boundary(of contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value = pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2 ? String(pair[1].dropFirst().dropLast()) : pair[1]
            return (1...70).contains(value.count) ? value : nil
        }
        return nil
    }

    /// Reads the request body as a multipart form, part by part as it arrives; a body over `maximumBytes` is a
    /// 413, a file over its limit a 413 (`attachment_too_large`), too many files a 422, a broken form a 400.
    static func read(_ request: Request) async throws -> MultipartForm {
        guard let boundary = boundary(of: request.headers[.contentType]) else { throw APIError.malformed("应为 multipart/form-data 表单") }
        let reader = MultipartReader(boundary: boundary)
        var received = 0
        for try await chunk in request.body {
            received += chunk.readableBytes
            guard received <= maximumBytes else {
                throw APIError(.contentTooLarge, code: "too_large", message: "上传内容超过\(maximumBytes / 1024 / 1024)MB上限")
            }
            try reader.feed(chunk)
        }
        return try reader.finish()
    }

    /// Parses a whole body held in memory (tests).
    static func parse(_ body: Data, boundary: String) throws -> MultipartForm {
        let reader = MultipartReader(boundary: boundary)
        try reader.feed(ByteBuffer(data: body))
        return try reader.finish()
    }

    /// `name="..."` and `filename="..."` of a Content-Disposition header; browsers escape a quote as `%22`.
    static func parameters(_ header: String) -> [String: String] {
        var result: [String: String] = [:]
        var rest = Substring(header)
        while let eq = rest.firstIndex(of: "=") {
            let key = rest[..<eq].split(whereSeparator: { $0 == ";" || $0 == " " }).last.map { $0.lowercased() } ?? ""
            var after = rest[rest.index(after: eq)...]
            let value: Substring
            if after.first == "\"" {
                after = after.dropFirst()
                let end = after.firstIndex(of: "\"") ?? after.endIndex
                value = after[..<end]
                rest = end < after.endIndex ? after[after.index(after: end)...] : ""
            } else {
                let end = after.firstIndex(of: ";") ?? after.endIndex
                value = after[..<end]
                rest = after[end...]
            }
            result[key] = String(value).replacingOccurrences(of: "%22", with: "\"")
        }
        return result
    }
}

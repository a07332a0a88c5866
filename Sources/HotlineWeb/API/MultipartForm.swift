import Foundation
import Hummingbird
import NIOCore

/// A `multipart/form-data` body (RFC 7578): the text fields and the files of a form that uploads.
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

    /// Reads the request body as a multipart form; a body over `maximumBytes` is a 413, a broken one a 400.
    static func read(_ request: Request) async throws -> MultipartForm {
        guard let boundary = boundary(of: request.headers[.contentType]) else { throw APIError.malformed("应为 multipart/form-data 表单") }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBytes)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, code: "too_large", message: "上传内容超过\(maximumBytes / 1024 / 1024)MB上限")
        }
        return try parse(Data(buffer: buffer), boundary: boundary)
    }

    static func parse(_ body: Data, boundary: String) throws -> MultipartForm {
        let bytes = [UInt8](body)
        let delimiter = Array(("--" + boundary).utf8)
        let crlf: [UInt8] = [13, 10]
        var form = MultipartForm()
        guard var cursor = find(delimiter, in: bytes, from: 0) else { throw APIError.malformed("表单缺少分隔符") }
        cursor += delimiter.count
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if bytes.count >= cursor + 2, bytes[cursor] == 45, bytes[cursor + 1] == 45 { return form }
            guard bytes.count >= cursor + 2, bytes[cursor] == 13, bytes[cursor + 1] == 10 else { throw APIError.malformed("表单分隔符格式不正确") }
            cursor += 2
            guard let headerEnd = find(crlf + crlf, in: bytes, from: cursor) else { throw APIError.malformed("表单部分缺少头部") }
            let headers = String(decoding: bytes[cursor..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let next = find(crlf + delimiter, in: bytes, from: contentStart) else { throw APIError.malformed("表单未正常结束") }
            let content = Data(bytes[contentStart..<next])
            cursor = next + 2 + delimiter.count
            guard let disposition = headers.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }) else {
                throw APIError.malformed("表单部分缺少 Content-Disposition")
            }
            let parameters = Self.parameters(String(disposition))
            guard let name = parameters["name"], !name.isEmpty else { throw APIError.malformed("表单部分缺少字段名") }
            if let filename = parameters["filename"] {
                // A file input left empty still sends a part with an empty name and no bytes.
                if !filename.isEmpty || !content.isEmpty { form.files.append(File(field: name, filename: filename, data: content)) }
            } else {
                guard content.count <= 64 * 1024 else { throw APIError(.contentTooLarge, code: "too_large", message: "字段 \(name) 超过64KB") }
                let value = String(decoding: content, as: UTF8.self)
                form.fields[name] = form.fields[name].map { $0 + "," + value } ?? value
            }
        }
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

    /// The first position of `needle` in `haystack` at or after `start`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        let last = haystack.count - needle.count
        var i = start
        return haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                while i <= last {
                    if h[i] == first {
                        var j = 1
                        while j < n.count && h[i + j] == n[j] { j += 1 }
                        if j == n.count { return i }
                    }
                    i += 1
                }
                return nil
            }
        }
    }
}

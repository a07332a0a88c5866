import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// Serves reply attachments (附件) to those who may see the order, and to no one else: an order outside the
/// viewer's data scope and an unknown file get the same 404.
struct AttachmentResponder: Sendable {
    let desk: WorkOrderDesk

    func response(number text: String, sha256: String, for actor: Actor) async throws -> Response {
        guard let number = OrderNumber(text), let file = try await desk.attachment(of: number, sha256: sha256, for: actor) else {
            throw APIError.notFound("附件")
        }
        let type = AttachmentPolicy.accepted.first { $0.contentType == file.info.contentType }
        var headers = HTTPFields()
        headers[.contentType] = file.info.contentType
        headers[.contentDisposition] = Self.disposition(name: file.info.name, inline: type?.inline ?? false)
        // The file is never a page of this site: no scripts, no plugins, no same-origin rights.
        headers[.contentSecurityPolicy] = "default-src 'none'; img-src 'self'; sandbox"
        headers[.cacheControl] = "private, no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: file.data)))
    }

    /// `inline` or `attachment`, with the UTF-8 name (RFC 6266 / RFC 5987) and an ASCII fallback.
    static func disposition(name: String, inline: Bool) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~")).subtracting(CharacterSet(charactersIn: "%"))
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" && $0 != ";" ? Character($0) : "_" })
        let encoded = name.unicodeScalars.map { scalar -> String in
            if scalar.isASCII, allowed.contains(scalar) { return String(scalar) }
            return String(scalar).utf8.map { String(format: "%%%02X", $0) }.joined()
        }.joined()
        return (inline ? "inline" : "attachment") + "; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}

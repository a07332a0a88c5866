import Foundation

/// What a reply may carry as evidence (附件): images and office documents, each recognised by its first bytes
/// rather than by the name or type the browser claims, within size and count limits.
public enum AttachmentPolicy {
    /// The largest single file.
    public static let maxFileBytes = 10 * 1024 * 1024
    /// The most bytes one reply may carry in all.
    public static let maxTotalBytes = 30 * 1024 * 1024
    /// The most files one reply may carry (the lifecycle's own limit).
    public static let maxFiles = TextLimits.attachments
    public static let maxNameLength = 120

    /// A file type the hotline accepts, with its canonical content type and the name endings it may carry.
    public struct FileType: Sendable, Equatable {
        public var contentType: String
        public var extensions: [String]
        /// Shown in the browser (images); everything else is downloaded.
        public var inline: Bool
    }

    public static let jpeg = FileType(contentType: "image/jpeg", extensions: ["jpg", "jpeg"], inline: true)
    public static let png = FileType(contentType: "image/png", extensions: ["png"], inline: true)
    public static let gif = FileType(contentType: "image/gif", extensions: ["gif"], inline: true)
    public static let webp = FileType(contentType: "image/webp", extensions: ["webp"], inline: true)
    public static let pdf = FileType(contentType: "application/pdf", extensions: ["pdf"], inline: false)
    public static let docx = FileType(
        contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", extensions: ["docx"], inline: false)
    public static let xlsx = FileType(contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", extensions: ["xlsx"], inline: false)
    /// 版式文档 OFD, the national standard for fixed-layout documents.
    public static let ofd = FileType(contentType: "application/ofd", extensions: ["ofd"], inline: false)
    public static let doc = FileType(contentType: "application/msword", extensions: ["doc"], inline: false)
    public static let xls = FileType(contentType: "application/vnd.ms-excel", extensions: ["xls"], inline: false)
    public static let text = FileType(contentType: "text/plain; charset=utf-8", extensions: ["txt"], inline: false)

    public static let accepted: [FileType] = [jpeg, png, gif, webp, pdf, docx, xlsx, ofd, doc, xls, text]

    /// The `accept` attribute of a file input.
    public static var acceptAttribute: String { accepted.flatMap(\.extensions).map { "." + $0 }.joined(separator: ",") }

    public enum Refusal: Error, Equatable, Sendable {
        case empty(name: String)
        case tooLarge(name: String)
        case tooMany
        case totalTooLarge
        case unsupported(name: String)
        case badName

        public var message: String {
            switch self {
            case .empty(let name): "附件“\(name)”是空文件"
            case .tooLarge(let name): "附件“\(name)”超过\(AttachmentPolicy.maxFileBytes / 1024 / 1024)MB"
            case .tooMany: "附件不能超过\(AttachmentPolicy.maxFiles)个"
            case .totalTooLarge: "附件合计不能超过\(AttachmentPolicy.maxTotalBytes / 1024 / 1024)MB"
            case .unsupported(let name): "附件“\(name)”的类型不受支持（仅限图片 JPG/PNG/GIF/WEBP 和文档 PDF/OFD/DOC/DOCX/XLS/XLSX/TXT）"
            case .badName: "附件文件名不正确"
            }
        }
    }

    /// The file name as stored: the last path component, without control characters, at most `maxNameLength`.
    public static func cleanName(_ raw: String) throws(Refusal) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && $0 != "\"" }.map(Character.init))
            .trimmingCharacters(in: .whitespaces)
        guard !clean.isEmpty, clean != ".", clean != ".." else { throw .badName }
        return String(clean.prefix(maxNameLength))
    }

    /// The accepted type of a file: its first bytes must match the type its name ends with.
    public static func type(of bytes: [UInt8], name: String) throws(Refusal) -> FileType {
        guard !bytes.isEmpty else { throw .empty(name: name) }
        guard bytes.count <= maxFileBytes else { throw .tooLarge(name: name) }
        let ext = name.split(separator: ".").count > 1 ? name.split(separator: ".").last.map { $0.lowercased() } ?? "" : ""
        guard let claimed = accepted.first(where: { $0.extensions.contains(ext) }) else { throw .unsupported(name: name) }
        guard sniff(bytes, matches: claimed) else { throw .unsupported(name: name) }
        return claimed
    }

    /// Checks the count and total size of a reply's files.
    public static func checkSet(sizes: [Int]) throws(Refusal) {
        guard sizes.count <= maxFiles else { throw .tooMany }
        guard sizes.reduce(0, +) <= maxTotalBytes else { throw .totalTooLarge }
    }

    static func starts(_ bytes: [UInt8], _ prefix: [UInt8], at offset: Int = 0) -> Bool {
        bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
    }

    static func sniff(_ b: [UInt8], matches type: FileType) -> Bool {
        let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
        let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        switch type.contentType {
        case jpeg.contentType: return starts(b, [0xFF, 0xD8, 0xFF])
        case png.contentType: return starts(b, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        case gif.contentType: return starts(b, Array("GIF87a".utf8)) || starts(b, Array("GIF89a".utf8))
        case webp.contentType: return starts(b, Array("RIFF".utf8)) && starts(b, Array("WEBP".utf8), at: 8)
        case pdf.contentType: return starts(b, Array("%PDF-".utf8))
        case docx.contentType, xlsx.contentType, ofd.contentType: return starts(b, zip)
        case doc.contentType, xls.contentType: return starts(b, ole)
        case text.contentType: return !b.contains(0) && String(validating: b, as: UTF8.self) != nil
        default: return false
        }
    }
}

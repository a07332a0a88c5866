import Foundation
import Hummingbird
import NIOCore

/// One Open311 answer as a tree, written as JSON or as XML from the same values: the two formats cannot say
/// different things. Objects keep their fields in the order the specification lists them; a list names the element
/// each of its items becomes in XML (`<services><service>…`).
indirect enum Open311Document: Sendable, Equatable {
    case text(String)
    case number(Double)
    case integer(Int)
    case bool(Bool)
    /// A field without a value: JSON `null`, an empty XML element.
    case null
    case object([(String, Open311Document)])
    case list(item: String, [Open311Document])

    static func == (lhs: Open311Document, rhs: Open311Document) -> Bool {
        switch (lhs, rhs) {
        case (.text(let a), .text(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        case (.object(let a), .object(let b)): a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
        case (.list(let i, let a), .list(let j, let b)): i == j && a == b
        default: false
        }
    }

    static func optional(_ text: String?) -> Open311Document { text.map(Open311Document.text) ?? .null }
    static func optional(_ number: Double?) -> Open311Document { number.map(Open311Document.number) ?? .null }
    static func optional(_ date: Date?) -> Open311Document { date.map { .text($0.chinaISO8601) } ?? .null }
}

/// A value an Open311 answer is made of.
protocol Open311Encodable {
    var document: Open311Document { get }
}

extension Open311Document {
    /// The answer in `format`: a list at the top is the root (`[…]` in JSON, `<services>…</services>` in XML); an object
    /// at the top is the XML root element `root`.
    func rendered(_ format: Open311Format, root: String) -> String {
        switch format {
        case .json: return json
        case .xml:
            var out = #"<?xml version="1.0" encoding="utf-8"?>"# + "\n"
            Self.writeXML(self, named: root, into: &out)
            return out + "\n"
        }
    }

    func response(_ format: Open311Format, root: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: rendered(format, root: root))))
    }

    // MARK: JSON

    var json: String {
        var out = ""
        writeJSON(into: &out)
        return out
    }

    private func writeJSON(into out: inout String) {
        switch self {
        case .text(let s): Self.writeJSONString(s, into: &out)
        case .number(let n): out += n.isFinite ? Self.shortest(n) : "null"
        case .integer(let n): out += String(n)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .object(let fields):
            out += "{"
            for (index, (key, value)) in fields.enumerated() {
                if index > 0 { out += "," }
                Self.writeJSONString(key, into: &out)
                out += ":"
                value.writeJSON(into: &out)
            }
            out += "}"
        case .list(_, let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.writeJSON(into: &out)
            }
            out += "]"
        }
    }

    /// `30.123`, `120`: the shortest text that reads back as the same number, without a trailing `.0`.
    static func shortest(_ n: Double) -> String {
        if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        return String(n)
    }

    static func writeJSONString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            // U+2028 and U+2029 are escaped too, so that the text is also safe inside a script.
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    // MARK: XML

    private static func writeXML(_ value: Open311Document, named name: String, into out: inout String) {
        switch value {
        case .null: out += "<\(name)/>"
        case .text(let s): out += "<\(name)>" + escapeXML(s) + "</\(name)>"
        case .number(let n): out += "<\(name)>" + (n.isFinite ? shortest(n) : "") + "</\(name)>"
        case .integer(let n): out += "<\(name)>\(n)</\(name)>"
        case .bool(let b): out += "<\(name)>" + (b ? "true" : "false") + "</\(name)>"
        case .object(let fields):
            out += "<\(name)>"
            for (key, field) in fields { writeXML(field, named: key, into: &out) }
            out += "</\(name)>"
        case .list(let item, let items):
            out += "<\(name)>"
            for element in items { writeXML(element, named: item, into: &out) }
            out += "</\(name)>"
        }
    }

    /// Text as XML 1.0 character data: markup characters escaped, and the characters XML 1.0 cannot carry at all
    /// (control characters other than tab and line breaks, lone surrogates cannot occur in Swift strings, U+FFFE/U+FFFF)
    /// left out.
    static func escapeXML(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case "\r": out += "&#13;"
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

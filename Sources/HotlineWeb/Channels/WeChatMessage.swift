import Crypto
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The WeChat official account's server protocol in plain-text mode (明文模式): the signature of a request, the XML
/// message it posts, and the passive text reply (被动回复).
enum WeChatProtocol {
    /// A request's signature: the hex SHA-1 of the token, the timestamp and the nonce, sorted and joined.
    static func signature(token: String, timestamp: String, nonce: String) -> String {
        Insecure.SHA1.hash(data: Data([token, timestamp, nonce].sorted().joined().utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `signature` is the request's, compared in constant time.
    static func verify(_ signature: String, token: String, timestamp: String, nonce: String) -> Bool {
        let expected = Array(Self.signature(token: token, timestamp: timestamp, nonce: nonce).utf8)
        let given = Array(signature.lowercased().utf8)
        guard given.count == expected.count else { return false }
        return zip(given, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// A message as WeChat posts it: `<xml><ToUserName/><FromUserName/><CreateTime/><MsgType/><Content/><MsgId/></xml>`.
    struct Message: Equatable {
        var toUser: String
        var fromUser: String
        var createTime: String
        var msgType: String
        var content: String?
        var msgID: String?
    }

    /// Parses a message; nil when the body is not WeChat's XML (no root `xml`, or no sender or type).
    static func parse(_ data: Data) -> Message? {
        let reader = FlatXMLReader()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        guard parser.parse(), reader.root == "xml" else { return nil }
        let f = reader.fields
        guard let from = f["FromUserName"], !from.isEmpty, let type = f["MsgType"], !type.isEmpty else { return nil }
        return Message(
            toUser: f["ToUserName"] ?? "", fromUser: from, createTime: f["CreateTime"] ?? "", msgType: type, content: f["Content"],
            msgID: f["MsgId"])
    }

    /// The passive text reply to `message`: from the account to the sender.
    static func reply(to message: Message, text: String, at now: Date) -> String {
        func cdata(_ s: String) -> String { "<![CDATA[" + s.replacingOccurrences(of: "]]>", with: "]]]]><![CDATA[>") + "]]>" }
        return "<xml><ToUserName>\(cdata(message.fromUser))</ToUserName><FromUserName>\(cdata(message.toUser))</FromUserName>"
            + "<CreateTime>\(Int64(now.timeIntervalSince1970))</CreateTime><MsgType>\(cdata("text"))</MsgType>"
            + "<Content>\(cdata(text))</Content></xml>"
    }
}

/// Reads the child elements of a flat XML document's root into a dictionary (text and CDATA alike).
private final class FlatXMLReader: NSObject, XMLParserDelegate {
    var root: String?
    var fields: [String: String] = [:]
    private var depth = 0
    private var current: String?
    private var text = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        depth += 1
        if depth == 1 { root = name } else if depth == 2 { current = name; text = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if depth == 2 { text += string } }

    func parser(_ parser: XMLParser, foundCDATA block: Data) { if depth == 2 { text += String(decoding: block, as: UTF8.self) } }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if depth == 2, let current { fields[current] = text.trimmingCharacters(in: .whitespacesAndNewlines) }
        if depth == 2 { current = nil }
        depth -= 1
    }
}

import Foundation
import Hummingbird
import Mustache

/// Renders pages: Mustache templates bundled with the module, HTML escaped by default, each page under a
/// Content-Security-Policy that allows only this site's own styles and forms.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary

    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    public init() throws {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else { throw PageError.templatesMissing }
        var templates: [String: MustacheTemplate] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            templates[String(file.dropLast(".mustache".count))] = try MustacheTemplate(string: text)
        }
        library = MustacheLibrary(templates: templates)
    }

    /// The page as HTML text.
    public func html(_ template: String, _ model: some Any) throws -> String {
        guard let text = library.render(model, withTemplate: template) else { throw PageError.unknownTemplate(template) }
        return text
    }

    func response(_ template: String, _ model: some Any, status: HTTPResponse.Status = .ok) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        // Browsers send `Origin: null` on form posts from a no-referrer page; the CSRF check needs the real origin.
        headers[.referrerPolicy] = "same-origin"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: try html(template, model))))
    }

    /// A bundled asset (CSS), if it exists.
    static func asset(_ name: String) -> (data: Data, type: String)? {
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }), !name.hasPrefix("."),
              let url = Bundle.module.url(forResource: "Assets/" + name, withExtension: nil), let data = try? Data(contentsOf: url) else { return nil }
        let type = name.hasSuffix(".css") ? "text/css; charset=utf-8" : name.hasSuffix(".js") ? "text/javascript; charset=utf-8" : "application/octet-stream"
        return (data, type)
    }

    enum PageError: Error {
        case templatesMissing
        case unknownTemplate(String)
    }
}

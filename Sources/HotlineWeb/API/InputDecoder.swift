import Foundation
import HotlineApp
import HotlineDomain
import Hummingbird
import NIOCore

/// Reads a use case's input from a request body, one way for every front end: a JSON object (the API) or a
/// urlencoded form (the console) both decode into the same `Decodable` input type, with the same refusals —
/// 400 for a body that is not JSON or not a form, 422 naming the field that is missing or of the wrong type.
///
/// Form fields use the API's snake_case names; an empty field counts as not given, a name ending in `[]` is a list,
/// and fields starting with `_` (the CSRF token) belong to the page, not to the input.
enum InputDecoder {
    enum Format {
        case json, form
    }

    /// Reads an API request's body (at most `APIBody.maximumBytes`), which must be declared JSON when it is not
    /// empty: a cross-site form or `text/plain` post cannot pass as one (415).
    static func readJSON(_ request: Request) async throws -> ByteBuffer {
        let contentType = request.headers[.contentType]
        if let contentType, !APIBody.isJSON(contentType) { throw APIBody.unsupportedMediaType }
        let body = try await request.body.collect(upTo: APIBody.maximumBytes)
        if body.readableBytes > 0, contentType == nil { throw APIBody.unsupportedMediaType }
        return body
    }

    /// Decodes `T` from a body already read; an empty body is `{}` when `emptyAllowed`, else a 400.
    static func decode<T: Decodable>(_ type: T.Type, body: ByteBuffer, format: Format, emptyAllowed: Bool = false) throws -> T {
        let data = Data(buffer: body)
        if data.isEmpty && !emptyAllowed { throw APIError.malformed(format == .json ? "请求体为空，应为JSON对象" : "表单为空") }
        do {
            switch format {
            case .json:
                let json = data.isEmpty ? Data("{}".utf8) : data
                guard (try? JSONSerialization.jsonObject(with: json)) is [String: Any] else { throw APIError.malformed("不是合法的JSON对象") }
                return try APIJSON.decoder().decode(T.self, from: json)
            case .form:
                guard let text = String(data: data, encoding: .utf8) else { throw APIError.malformed("表单不是UTF-8文本") }
                return try URLEncodedFormDecoder().decode(T.self, from: try formForDecoding(text))
            }
        } catch let DecodingError.keyNotFound(key, context) {
            throw APIError.invalid(APIBody.path(context.codingPath + [key]), "缺少必填字段")
        } catch let DecodingError.typeMismatch(_, context) {
            throw APIError.invalid(APIBody.path(context.codingPath), "类型不正确")
        } catch let DecodingError.valueNotFound(_, context) {
            throw APIError.invalid(APIBody.path(context.codingPath), "不能为空")
        } catch let DecodingError.dataCorrupted(context) {
            throw APIError.invalid(APIBody.path(context.codingPath), "取值无效")
        } catch is URLEncodedFormError {
            throw APIError.malformed("表单格式不正确")
        }
    }

    /// Reads an API request's JSON body and decodes `T` from it.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, emptyAllowed: Bool = false) async throws -> T {
        try decode(type, body: try await readJSON(request), format: .json, emptyAllowed: emptyAllowed)
    }

    /// The command an order action's input asks for.
    static func command(for action: Action, body: ByteBuffer, format: Format) throws -> OrderCommand {
        guard let type = ActionInputs.type(of: action) else { throw APIError.notFound("操作 \(action.rawValue) ") }
        return try decode(type, body: body, format: format, emptyAllowed: ActionInputs.acceptsEmpty(action)).command()
    }

    /// A urlencoded form rewritten for `URLEncodedFormDecoder`: snake_case names to the inputs' camelCase, empty
    /// fields and page fields (`_csrf`) left out, and a repeated name or a `name[]` made a list.
    static func formForDecoding(_ text: String) throws -> String {
        var pairs: [(String, String)] = []
        for (key, value) in FormFields.pairs(text) {
            guard let key else { throw APIError.malformed("表单格式不正确") }
            guard !key.hasPrefix("_"), !value.isEmpty else { continue }
            pairs.append((key, value))
        }
        var counts: [String: Int] = [:]
        for (key, _) in pairs { counts[key, default: 0] += 1 }
        func encoded(_ key: String) -> String {
            var name = key
            var list = counts[key, default: 0] > 1
            if name.hasSuffix("[]") {
                name.removeLast(2)
                list = true
            }
            let camel = camelCase(name)
            return (camel.addingPercentEncoding(withAllowedCharacters: keyCharacters) ?? camel) + (list ? "[]" : "")
        }
        return pairs.map { encoded($0.0) + "=" + $0.1 }.joined(separator: "&")
    }

    /// Letters, digits and the brackets of nested names (`caller[name]`) stay as they are in a rewritten key.
    static let keyCharacters = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "[]"))

    /// `lead_unit` → `leadUnit`.
    static func camelCase(_ snake: String) -> String {
        let parts = snake.split(separator: "_", omittingEmptySubsequences: true)
        guard let first = parts.first else { return snake }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}

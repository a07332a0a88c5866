import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Every request gets an id: the `X-Request-Id` a load balancer sent (letters, digits, `.`, `_`, `-`, at most 64), else a
/// new one. Every log line written while the request is handled carries it (`request_id`), the response returns it,
/// and one access line per request records its method, path (without the query), status and time.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    static var header: HTTPField.Name { HTTPField.Name("X-Request-Id")! }

    static func id(from request: Request) -> String {
        if let given = request.headers[header], (1...64).contains(given.utf8.count),
            given.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) })
        {
            return given
        }
        return String(UInt64.random(in: 1...UInt64.max), radix: 16)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = Self.id(from: request)
        var context = context
        context.logger[metadataKey: "request_id"] = .string(id)
        let started = ContinuousClock.now
        let path = request.uri.path
        do {
            var response = try await next(request, context)
            response.headers[Self.header] = id
            let status = response.status.code
            context.logger.log(level: status >= 500 ? .error : .info, "request", metadata: [
                "method": .string(request.method.rawValue), "path": .string(path), "status": .stringConvertible(status),
                "ms": .string(String(format: "%.1f", Self.milliseconds(since: started))),
            ])
            return response
        } catch {
            context.logger.error("request failed", metadata: [
                "method": .string(request.method.rawValue), "path": .string(path), "error": .string(String(describing: error)),
                "ms": .string(String(format: "%.1f", Self.milliseconds(since: started))),
            ])
            throw error
        }
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }
}

import AsyncHTTPClient
import Foundation
import HotlineApp
import HotlineStorage
import Logging
import NIOCore
import ServiceLifecycle

/// Posts webhook requests with async-http-client (the shared client: no redirects followed beyond its defaults, each
/// try bounded by the policy's timeout), and reads only the status of the answer.
public struct HTTPWebhookTransport: WebhookTransport {
    let client: HTTPClient

    public init(client: HTTPClient = .shared) { self.client = client }

    public func post(_ request: WebhookRequest, timeout: Duration) async throws -> Int {
        guard let url = URL(string: request.url), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
            throw WebhookTransportError.invalidURL
        }
        var r = HTTPClientRequest(url: request.url)
        r.method = .POST
        for (name, value) in request.headers { r.headers.replaceOrAdd(name: name, value: value) }
        r.body = .bytes(ByteBuffer(bytes: request.body))
        let millis = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        do {
            let response = try await client.execute(r, timeout: .milliseconds(millis))
            // The answer's body is not needed; read at most a little of it so the connection can be reused.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return Int(response.status.code)
        } catch let error as HTTPClientError {
            if [.deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout].contains(error) {
                throw WebhookTransportError.timedOut
            }
            throw WebhookTransportError.unreachable
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw WebhookTransportError.unreachable
        }
    }
}

/// Runs the webhook sender (消息推送) every `interval` beside the server. Several instances may run it against one
/// PostgreSQL database at once: each row is claimed by one sender at a time (see ``WebhookStore``).
public struct WebhookService: Service {
    let sender: WebhookSender
    let interval: Duration
    let clock: @Sendable () -> Date
    let logger: Logger
    let leadership: Leadership

    public init(
        services: HotlineServices, interval: Duration = .seconds(15), policy: WebhookPolicy = WebhookPolicy(),
        transport: any WebhookTransport = HTTPWebhookTransport(), clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger
    ) {
        sender = WebhookSender(services: services, transport: transport, policy: policy)
        leadership = services.database.leadership
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        await runPeriodically(every: interval, logger: logger, service: "webhook_sender", failure: "webhook pass failed", leadership: leadership) {
            let s = try await sender.sendOnce(at: clock())
            if s.delivered + s.retrying + s.dead > 0 {
                logger.info("webhooks", metadata: ["delivered": "\(s.delivered)", "retrying": "\(s.retrying)", "dead": "\(s.dead)"])
            }
        }
    }
}

import Foundation
import HotlineDomain
import HotlineStorage
import Hummingbird
import Logging

/// How to run the web server.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}

/// The composition root: builds every route from the platform's services.
public func buildRouter(services: HotlineServices, clock: @escaping @Sendable () -> Date = { Date() }) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: APIErrorMiddleware())
    let actors = ActorResolver(accounts: services.accounts, clock: clock)
    AuthController(accounts: services.accounts, actors: actors, clock: clock).register(on: router)
    OrderController(desk: services.desk, actors: actors, clock: clock).register(on: router)
    ReferenceController(directory: services.directory, reference: services.reference, actors: actors).register(on: router)
    return router
}

public func buildApplication(
    services: HotlineServices, server: ServerConfiguration, clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(services: services, clock: clock),
        configuration: .init(address: .hostname(server.host, port: server.port), serverName: "hotline"),
        logger: logger)
}

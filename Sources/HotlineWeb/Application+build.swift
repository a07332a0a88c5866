import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// How to run the web server.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Behind a reverse proxy: take the client address from `X-Forwarded-For` and TLS from `X-Forwarded-Proto`.
    public var trustForwardedFor: Bool
    /// Mark session cookies Secure regardless of the request (the site is only served over HTTPS).
    public var secureCookies: Bool
    /// A connection that sends nothing for this long while no request is being answered — a request header or
    /// body that stops half-way, or a kept-alive connection left open — is closed. Live streams are answers, so
    /// they are not cut.
    public var idleTimeout: Duration
    /// The map's shapes, tile server and Leaflet (地图).
    public var map = MapSettings()
    /// 演示短信收件箱: the demo's stand-in SMS receiver at `/demo/sms` (only with `serve --demo`).
    public var demoSMSInbox = false
    /// Open311 GeoReport v2: the jurisdiction served and what discovery says.
    public var open311 = Open311Settings()

    public init(
        host: String = "127.0.0.1", port: Int = 8080, trustForwardedFor: Bool = false, secureCookies: Bool = false,
        idleTimeout: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.trustForwardedFor = trustForwardedFor
        self.secureCookies = secureCookies
        self.idleTimeout = idleTimeout
    }
}

/// The composition root: builds every route from the platform's services.
public func buildRouter(
    services: HotlineServices, server: ServerConfiguration = ServerConfiguration(), clock: @escaping @Sendable () -> Date = { Date() }
) throws -> Router<AppRequestContext> {
    let app = HotlineApp(services: services)
    let desk = app.desk
    let pages = try PageRenderer()
    let router = Router(context: AppRequestContext.self)
    HotlineMetrics.bootstrap()
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: APIErrorMiddleware())
    let actors = ActorResolver(accounts: services.accounts, clock: clock)
    let limiter = RateLimiter(clock: clock, shared: services.database.kind == .postgres ? SharedRateBuckets(database: services.database) : nil)
    let clients = ClientAddress(trustForwardedFor: server.trustForwardedFor)
    router.add(middleware: OriginCheckMiddleware { [secure = server.secureCookies] request in secure || clients.isSecure(request) })
    let auth = AuthController(accounts: services.accounts, audit: services.audit, actors: actors, limiter: limiter, clients: clients,
                              secureCookies: server.secureCookies, clock: clock)
    auth.register(on: router)
    let pageController = PageController(services: services, app: app, auth: auth, pages: pages, clock: clock)
    pageController.register(on: router)
    let map = try MapSetup(server.map)
    MapController(map: app.map(shapes: map.shapes), setup: map, actors: actors, clock: clock).register(on: router)
    MapPages(controller: pageController, map: app.map(shapes: map.shapes), setup: map).register(on: router)
    PortalController(portal: app.portal, directory: services.directory, pages: pages, limiter: limiter, clients: clients, map: map,
                     secureCookies: server.secureCookies, demoSMSInbox: server.demoSMSInbox, clock: clock, checkpoints: app.checkpoints).register(on: router)
    CheckpointController(checkpoints: app.checkpoints, actors: actors).register(on: router)
    if server.demoSMSInbox { DemoSMSInbox(clock: clock).register(on: router, pages: pages) }
    CallerProfileController(callers: app.callers, reference: services.reference, actors: actors, clock: clock).register(on: router)
    OrderController(
        desk: desk, actors: actors,
        attachments: AttachmentResponder(desk: desk), clock: clock).register(on: router)
    PrivacyController(desk: desk, directory: services.directory, actors: actors, clients: clients, clock: clock)
        .register(on: router)
    ReferenceController(directory: services.directory, reference: services.reference, administration: app.admin, actors: actors, clients: clients,
                        clock: clock).register(on: router)
    AdminController(app: app, actors: actors, clients: clients, clock: clock).register(on: router)
    WebhookController(app: app, actors: actors, clients: clients, clock: clock).register(on: router)
    CatalogueController(catalogue: services.catalogue, reference: services.reference, administration: app.admin, actors: actors, clients: clients,
                        clock: clock).register(on: router)
    AuditController(audit: services.audit, actors: actors).register(on: router)
    RestrictionController(restrictions: app.restrictions, actors: actors, clients: clients, clock: clock).register(on: router)
    KnowledgeController(knowledge: services.knowledge, desk: app.knowledge, actors: actors, clock: clock)
        .register(on: router)
    AssistController(services: services, desk: desk, scripts: app.scripts, actors: actors, clock: clock).register(on: router)
    ScriptController(scripts: app.scripts, reference: services.reference, actors: actors, clock: clock).register(on: router)
    CaseController(cases: app.cases, reference: services.reference, actors: actors, clients: clients, clock: clock).register(on: router)
    QualityController(quality: app.quality, actors: actors, clients: clients, clock: clock).register(on: router)
    PublicController(desk: desk, limiter: limiter, clients: clients, clock: clock).register(on: router)
    Open311Controller(desk: desk, accounts: services.accounts, limiter: limiter, clients: clients, settings: server.open311,
                      isSecure: { [secure = server.secureCookies] request in secure || clients.isSecure(request) }, clock: clock).register(on: router)
    ChannelController(channels: app.channels, limiter: limiter, clients: clients, clock: clock).register(on: router)
    CallCentreController(desk: app.callCentre, actors: actors, clock: clock).register(on: router)
    HealthController(database: services.database).register(on: router)
    MetricsController(services: services, desk: desk, actors: actors).register(on: router)
    PerformanceController(desk: app.performance, actors: actors, clients: clients, clock: clock).register(on: router)
    ExpertController(desk: app.experts, directory: services.directory, reference: services.reference, actors: actors, clients: clients, clock: clock)
        .register(on: router)
    ScheduleController(schedules: app.schedules, staffing: app.staffing, actors: actors, clients: clients, clock: clock).register(on: router)
    ChannelAdminController(app: app, actors: actors, clients: clients, clock: clock).register(on: router)
    NoticeController(notices: app.notices, actors: actors, clock: clock).register(on: router)
    InsightController(insight: app.insight, actors: actors, clock: clock).register(on: router)
    SpecialistController(desk: app.specialists, actors: actors, clock: clock).register(on: router)
    TopicController(app: app, actors: actors, clients: clients, clock: clock).register(on: router)
    ReportController(reports: app.reports, pages: pages, actors: actors, clock: clock).register(on: router)
    return router
}

/// The web application with its background services (model refresh).
public func buildApplication(
    services: HotlineServices, server: ServerConfiguration, clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger,
    background: [any Service] = []
) throws -> some ApplicationProtocol {
    Application(
        router: try buildRouter(services: services, server: server, clock: clock),
        server: .http1(configuration: .init(idleTimeout: TimeAmount(server.idleTimeout))),
        configuration: .init(address: .hostname(server.host, port: server.port), serverName: "hotline"),
        services: background,
        logger: logger)
}

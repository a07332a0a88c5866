import HotlineApp
import ArgumentParser
import Foundation
import HotlineStorage
import HotlineWeb
import Hummingbird
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the web server (JSON API).")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on.") var port: Int = 8080
    @Flag(help: "Seed the demo city first when the database is empty.") var demo = false
    @Flag(help: "Behind a reverse proxy: take the client address from X-Forwarded-For and HTTPS from X-Forwarded-Proto.")
    var trustProxy = false
    @Flag(help: "Mark session cookies Secure (the site is served only over HTTPS).") var secureCookies = false
    @Option(help: "Seconds between two passes of the SLA sweeper (时限监控); 0 turns it off.") var sweepEvery: Int = 60
    @Option(help: "Seconds between two passes of the webhook sender (消息推送); 0 turns it off.") var webhookEvery: Int = 15
    @Option(help: "Milliseconds between two passes of the channels' outbound sender (渠道回复: progress notices, one-time codes); 0 turns it off.")
    var channelOutboxEvery: Int = 1000
    @Option(help: "Seconds between two hot-topic refreshes (热点预警); 0 turns them off.") var topicsEvery: Int = 900
    @Option(help: "Seconds between two checks for last month's report (月度报告); 0 turns them off.") var reportsEvery: Int = 3600
    @OptionGroup var webhook: WebhookOptions
    @Option(help: "The checkpoint key file (hotline checkpoint-key): make signed checkpoints (存证) periodically. On several instances, one makes them at a time.")
    var checkpointKey: String?
    @Option(help: "Seconds between two signed checkpoints when --checkpoint-key is given; 0 turns them off.") var checkpointEvery: Int = 3600
    @Option(help: "GeoJSON of the city's districts and streets for the map (地图); the demo city's when not given.") var mapShapes: String?
    @Option(help: "A tile server's URL template for the map, e.g. https://tiles.example.gov.cn/{z}/{x}/{y}.png; without one the shapes are the base map.")
    var mapTiles: String?

    func run() async throws {
        var logger = Logger(label: "hotline")
        logger.logLevel = .info
        let checkpointSigner = try checkpointKey.map { try CheckpointKey(file: $0) }
        try await db.withServices(logger: logger, creating: true) { services in
            if demo { _ = try await DemoSeed.run(services, orders: 300, days: 30) }
            try await services.loadIndexes(now: Date())
            var server = ServerConfiguration(host: host, port: port, trustForwardedFor: trustProxy, secureCookies: secureCookies)
            server.map = MapSettings(shapesFile: mapShapes, tileURL: mapTiles)
            if demo {
                // The demo has no SMS provider: its SMS gateway sends to the demo's own inbox (/demo/sms), unless one is set.
                server.demoSMSInbox = true
                let gateways = ChannelGatewayStore(database: services.database)
                let sms = try await gateways.gateway(of: .sms)
                if sms == nil || sms!.outboundURL.isEmpty || !sms!.hasOutboundSecret {
                    let url = "http://127.0.0.1:\(port)/demo/sms"
                    // Secrets of this demo alone (the sender signs every message; the inbox does not check).
                    func secret() -> String { (0..<32).map { _ in String("abcdefghijkmnpqrstuvwxyz23456789".randomElement()!) }.joined() }
                    try await gateways.setGateway(
                        .sms, enabled: true, outboundURL: url, inboundSecret: secret(), outboundSecret: secret(), by: "system", at: Date(),
                        audit: AuditEntry(at: Date(), actor: .system, action: .channelGatewayChanged, target: "sms",
                                          detail: "demo: outbound_url=\(url)", client: nil))
                }
            }
            let app = try buildApplication(
                services: services, server: server,
                logger: logger,
                background: [CoordinationService(services: services), IndexSyncService(services: services, logger: logger),
                             ModelRefreshService(services: services, logger: logger), ReferenceSyncService(services: services, logger: logger)]
                    + (sweepEvery > 0 ? [SLASweepService(services: services, interval: .seconds(sweepEvery), logger: logger)] : [])
                    + (webhookEvery > 0
                        ? [WebhookService(services: services, interval: .seconds(webhookEvery), policy: webhook.policy, logger: logger)] : [])
                    + (channelOutboxEvery > 0
                        ? [ChannelOutboxService(services: services, interval: .milliseconds(channelOutboxEvery), policy: webhook.policy, logger: logger)] : [])
                    + (topicsEvery > 0 ? [TopicRefreshService(services: services, interval: .seconds(topicsEvery), policy: webhook.policy, logger: logger)] : [])
                    + (reportsEvery > 0 ? [ReportScheduleService(services: services, interval: .seconds(reportsEvery), logger: logger)] : [])
                    + (checkpointSigner != nil && checkpointEvery > 0
                        ? [CheckpointService(services: services, key: checkpointSigner!, interval: .seconds(checkpointEvery), logger: logger)] : []))
            say("hotline serving \(db.locationDescription)")
            say("citizen portal: http://\(host):\(port)/portal" + (demo ? "   (demo SMS inbox with the one-time codes: http://\(host):\(port)/demo/sms)" : ""))
            say("console: http://\(host):\(port)/login   (sign in with a login below)")
            say("API: http://\(host):\(port)\(APIRoutes.base)   (log in: POST \(APIRoutes.login) {\"username\", \"password\"}, then Authorization: Bearer <token>;")
            say("     browsers: POST \(APIRoutes.session) sets the session cookie and returns the CSRF token for X-CSRF-Token)")
            let users = try await services.directory.users()
            if !users.isEmpty {
                say(demo ? "logins (demo password for each: \(DemoSeeder.demoPassword)):" : "logins:")
                for user in users { say("  \(user.id.padding(toLength: 18, withPad: " ", startingAt: 0)) \(user.role.chineseName)  \(user.displayName)") }
            }
            try await app.runService()
        }
    }
}

/// Writes a line to standard output at once, even when output is a pipe (print buffers there).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

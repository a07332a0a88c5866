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

    func run() async throws {
        var logger = Logger(label: "hotline")
        logger.logLevel = .info
        let services = try await db.openServices(logger: logger)
        let app = buildApplication(services: services, server: ServerConfiguration(host: host, port: port), logger: logger)
        print("hotline serving \(db.locationDescription) at http://\(host):\(port)\(APIRoutes.base)")
        do {
            try await app.runService()
        } catch {
            await services.close()
            throw error
        }
        await services.close()
    }
}

import Foundation
import HotlineStorage
import HotlineTestSupport
import HotlineWeb
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A connection that stops sending half-way through its request header is closed by the server, instead of
/// holding a connection (and a file descriptor) for as long as the client likes.
@Suite struct IdleConnectionTests {
    /// Sends a partial request header to 127.0.0.1:`port` and waits for the server's answer to it: true when the
    /// server closed the connection, false when the wait (20 s, far beyond the server's timeout) ran out first.
    static func serverClosesAPartialHeader(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return false }
        var wait = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        let partial = Array("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".utf8)
        guard send(fd, partial, partial.count, 0) == partial.count else { return false }
        var buffer = [UInt8](repeating: 0, count: 512)
        while true {
            let received = recv(fd, &buffer, buffer.count, 0)
            if received == 0 { return true }  // closed by the server
            if received < 0 { return errno == ECONNRESET }
        }
    }

    @Test func aHalfSentHeaderIsClosed() async throws {
        try await TestDatabase.sqlite.withServices(seedCity: false) { services in
            var logger = Logger(label: "idle-test")
            logger.logLevel = .warning
            let server = ServerConfiguration(host: "127.0.0.1", port: 0, idleTimeout: .seconds(1))
            let app = try buildApplication(services: services, server: server, logger: logger)
            try await app.test(.live) { client in
                let port = try #require(client.port)
                let closed = await Task.detached { Self.serverClosesAPartialHeader(port: port) }.value
                #expect(closed)
            }
        }
    }
}

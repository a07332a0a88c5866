import Foundation

/// Renders an HTML page to PDF with a real browser engine: Debian's Chromium, headless, printing to a file
/// (`--print-to-pdf`). The page is self-contained (inline styles and SVG charts, no network), so what prints is
/// what the console shows. Chinese text needs a CJK font on the machine (Debian's `fonts-noto-cjk`).
public struct PDFRenderer: Sendable {
    /// The browser's executable.
    public let browser: String
    /// How long one page may take to print before the renderer gives up.
    public let timeout: Duration

    public init(browser: String, timeout: Duration = .seconds(60)) {
        self.browser = browser
        self.timeout = timeout
    }

    /// The first Chromium found on the usual paths (nil: none installed, PDF unavailable).
    public static func located(in paths: [String] = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"])
        -> PDFRenderer?
    {
        paths.first { FileManager.default.isExecutableFile(atPath: $0) }.map { PDFRenderer(browser: $0) }
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case browserFailed(status: Int32, output: String)
        case timedOut
        case noOutput

        public var description: String {
            switch self {
            case .browserFailed(let status, let output): "the browser exited with status \(status): \(output.suffix(500))"
            case .timedOut: "the browser did not finish printing in time"
            case .noOutput: "the browser wrote no PDF"
            }
        }
    }

    /// The PDF of `html` (A4, backgrounds printed, no browser header or footer).
    public func render(html: String) async throws -> Data {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("page.html")
        let output = directory.appendingPathComponent("page.pdf")
        try Data(html.utf8).write(to: page)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--user-data-dir=" + directory.appendingPathComponent("profile").path,
            "--no-pdf-header-footer", "--print-to-pdf=" + output.path, page.absoluteString,
        ]
        let log = Pipe()
        process.standardOutput = log
        process.standardError = log
        let status = try await run(process, log: log)
        guard status.code == 0 else { throw Failure.browserFailed(status: status.code, output: status.output) }
        guard let pdf = try? Data(contentsOf: output), pdf.starts(with: Array("%PDF".utf8)) else { throw Failure.noOutput }
        return pdf
    }

    /// Runs the browser, reading its output as it comes (so a full pipe never blocks it), and kills it on timeout.
    private func run(_ process: Process, log: Pipe) async throws -> (code: Int32, output: String) {
        try await withThrowingTaskGroup(of: (code: Int32, output: String)?.self) { group in
            group.addTask {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(code: Int32, output: String), any Error>) in
                    let reader = Task.detached { log.fileHandleForReading.readDataToEndOfFile() }
                    process.terminationHandler = { finished in
                        Task {
                            let text = String(decoding: await reader.value, as: UTF8.self)
                            continuation.resume(returning: (finished.terminationStatus, text))
                        }
                    }
                    do { try process.run() } catch { continuation.resume(throwing: error) }
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next()!
            group.cancelAll()
            guard let finished = first else {
                process.terminate()
                throw Failure.timedOut
            }
            return finished
        }
    }
}

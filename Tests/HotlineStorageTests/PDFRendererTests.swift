import Foundation
import HotlineApp
import Testing

/// The PDF renderer prints with Debian's Chromium; the text is read back with `pdftotext` (poppler-utils). The test
/// command installs both and sets `HOTLINE_REQUIRE_BROWSER=1`, so there a missing tool fails the test instead of
/// skipping it.
struct PDFRendererTests {
    static let required = ProcessInfo.processInfo.environment["HOTLINE_REQUIRE_BROWSER"] == "1"
    static let pdftotext = ["/usr/bin/pdftotext"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let available = PDFRenderer.located() != nil && pdftotext != nil

    @Test(.enabled(if: available || required, "Chromium and pdftotext are not installed"))
    func aChinesePagePrintsToAPDFWhoseTextReadsBack() async throws {
        let renderer = try #require(PDFRenderer.located(), "Chromium is not installed")
        let tool = try #require(Self.pdftotext, "pdftotext (poppler-utils) is not installed")
        let html = """
            <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>月度报告</title></head>
            <body><h1>江州市12345热线月度报告</h1><p>满意率 93.28%</p>
            <svg width="200" height="40"><rect width="120" height="20" fill="#1f6feb"/></svg></body></html>
            """
        let pdf = try await renderer.render(html: html)
        #expect(pdf.starts(with: Array("%PDF".utf8)))

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pdf-test-\(UUID().uuidString).pdf")
        try pdf.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = [file.path, "-"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(text.contains("江州市12345热线月度报告"))
        #expect(text.contains("满意率 93.28%"))
    }

    @Test func aBrowserThatFailsIsReportedNotHidden() async throws {
        // `false` exits with status 1 without printing: the renderer says the browser failed.
        let renderer = PDFRenderer(browser: "/bin/false")
        await #expect(throws: PDFRenderer.Failure.self) { _ = try await renderer.render(html: "<p>x</p>") }
    }
}

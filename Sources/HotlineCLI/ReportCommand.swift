import ArgumentParser
import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import HotlineWeb

/// `hotline report --month YYYY-MM [--out FILE.xlsx|.pdf|.html|.csv]`: the monthly report (月度报告) of a month, stored
/// once (as the scheduler would) and written to a file, with its progress on standard error.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Generate (once) and write the monthly report (月度报告) of a month: XLSX, PDF, HTML or CSV of its measures.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "The month, YYYY-MM.") var month: String
    @Option(help: "Where to write it: a .xlsx, .pdf, .html or .csv file; without it a summary is printed.") var out: String?

    func run() async throws {
        let format = out.map { URL(fileURLWithPath: $0).pathExtension.lowercased() }
        if let format, !["xlsx", "pdf", "html", "csv"].contains(format) { throw ValidationError("--out: the file must end in .xlsx, .pdf, .html or .csv") }
        try await db.withServices { services in
            let desk = ReportDesk(services: services)
            let now = Date()
            let spec: ReportDesk.Spec
            do { spec = try desk.monthlySpec(month, today: CivilDay(containing: now)) } catch { throw ValidationError("--month: expected YYYY-MM, e.g. 2026-01") }
            let step: @Sendable (String) -> Void = { text in FileHandle.standardError.write(Data(("… " + text + "\n").utf8)) }
            step("生成 \(spec.title)")
            if let id = try await desk.generateMonthly(month, at: now, by: "cli", progress: step) {
                step("已保存（报告 \(id)）")
            } else {
                step("已有保存的报告，直接读取")
            }
            guard let found = try await desk.storedMonthly(month, today: CivilDay(containing: now)) else { throw ValidationError("the report was not stored") }
            let report = found.report
            guard let out, let format else {
                print("\(report.title)：受理 \(report.accepted) 件，排名 \(report.ranking.count) 个单位，热点 \(report.topics.count) 个，典型案例 \(report.cases.count) 件")
                return
            }
            let data: Data
            switch format {
            case "xlsx": data = try report.xlsx()
            case "csv": data = Data(report.table("measures")!.csv().utf8)
            case "html": data = Data(try ReportPrint.html(report).utf8)
            default:
                guard let renderer = PDFRenderer.located() else { throw ValidationError("PDF needs Chromium (Debian's chromium package); none is installed") }
                step("打印 PDF")
                data = try await renderer.render(html: try ReportPrint.html(report))
            }
            try data.write(to: URL(fileURLWithPath: out))
            step("已写入 \(out)（\(data.count) 字节）")
        }
    }
}

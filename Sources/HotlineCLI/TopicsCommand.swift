import ArgumentParser
import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import HotlineText
import HotlineWeb

/// `hotline topics`: the hot topics of a window of days in a CSV file of messages, against the baseline before it.
struct TopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics", abstract: "Rank the hot topics of a window of days in a CSV file against the baseline before it.")

    @Option(help: "CSV file (RFC 4180, UTF-8, header line).") var input: String
    @Option(help: "Column holding each row's id.") var idColumn: String
    @Option(help: "Column(s) holding the text; several are joined with a space (e.g. subject,detail).") var textColumn: String
    @Option(help: "Column holding the date (YYYY-MM-DD, optionally followed by a time).") var timeColumn: String
    @Option(help: "First day of the window (YYYY-MM-DD).") var from: String
    @Option(help: "Last day of the window (YYYY-MM-DD), inclusive.") var to: String
    @Option(help: "How many topics to print.") var top: Int = 10
    @Flag(help: "Print {\"topics\": [{\"label\", \"terms\", \"size\", \"baseline\", \"ids\"}]} instead of text.") var json = false
    @OptionGroup var settings: TopicSettings

    func run() throws {
        guard let first = TopicDay.parse(from), let last = TopicDay.parse(to) else { throw ValidationError("--from and --to take YYYY-MM-DD") }
        guard first <= last else { throw ValidationError("--from is after --to") }
        guard top > 0 else { throw ValidationError("--top must be positive") }
        let started = Date()
        let messages = try TopicInput(path: input, idColumn: idColumn, textColumn: textColumn, timeColumn: timeColumn).messages()
        let detector = try settings.detector(limit: top)
        let topics = Array(detector.detect(messages, window: first...last, scoped: false, progress: { progress($0) }).prefix(top))
        progress(String(format: "%d messages, %d topics in %.2f s", messages.count, topics.count, Date().timeIntervalSince(started)))
        if json {
            print(try TopicReport(topics).json())
        } else {
            for (n, t) in topics.enumerated() { print(TopicReport.text(t, rank: n + 1)) }
            if topics.isEmpty { print("no topic rises in \(from)…\(to)") }
        }
    }
}

/// The detector's thresholds as options.
struct TopicSettings: ParsableArguments {
    @Option(help: "Fewest messages in the window that make a topic.") var minSize: Int = TopicThresholds().minSize
    @Option(help: "How many times its baseline expectation a topic must reach.") var minRatio: Double = TopicThresholds().minRatio
    @Option(help: "Share of a topic's term weight a message must hold to belong to it (0.1-1).") var coverage: Double = TopicThresholds().coverage
    @Option(help: "Days before the window that make the baseline (default: every earlier message).") var baselineDays: Int?

    func detector(limit: Int) throws -> TopicDetector {
        let t = TopicThresholds(minSize: minSize, minRatio: minRatio, coverage: coverage, baselineDays: baselineDays)
        if let p = t.problem { throw ValidationError("--\(p.field.replacingOccurrences(of: "_", with: "-")) is out of range (min-size 2…10000, min-ratio 1…1000, coverage 0.1…1, baseline-days 1…3650)") }
        return TopicDetector(thresholds: t, limit: limit)
    }
}

/// Reads messages from a CSV file.
struct TopicInput {
    var path: String
    var idColumn: String
    var textColumn: String
    var timeColumn: String

    func messages() throws -> [TopicMessage] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch { throw ValidationError("cannot read \(path): \(error.localizedDescription)") }
        progress("reading \(path)")
        let table = try CSVTable(parsing: text)
        let ids = try table.column(idColumn), times = try table.column(timeColumn)
        let texts = try textColumn.split(separator: ",").map { try table.column(String($0)) }
        var out: [TopicMessage] = []
        out.reserveCapacity(ids.count)
        var skipped = 0
        for i in ids.indices {
            guard let day = TopicDay.parse(times[i][...]) else { skipped += 1; continue }
            out.append(TopicMessage(id: ids[i], text: texts.map { $0[i] }.joined(separator: " "), day: day))
        }
        if skipped > 0 { progress("skipped \(skipped) rows without a YYYY-MM-DD date in \(timeColumn)") }
        return out
    }
}

/// Topics as the command prints them.
struct TopicReport: Encodable {
    struct Topic: Encodable {
        var label: String
        var terms: [String]
        var size: Int
        var baseline: Double
        var ids: [String]
        var baseline_count: Int
        var score: Double
    }

    var topics: [Topic]

    init(_ topics: [HotTopic]) {
        self.topics = topics.map {
            Topic(label: $0.label, terms: $0.terms, size: $0.size, baseline: (($0.baseline * 100).rounded() / 100), ids: $0.ids,
                  baseline_count: $0.baselineCount, score: ($0.score * 10).rounded() / 10)
        }
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    static func text(_ t: HotTopic, rank: Int) -> String {
        let shownIds = t.ids.prefix(30).joined(separator: " ") + (t.ids.count > 30 ? " … (\(t.ids.count - 30) more)" : "")
        return String(format: "%2d. %@  size %d, baseline %.2f (%d of %d earlier messages), score %.1f\n    terms: %@\n    ids: %@",
                      rank, t.label, t.size, t.baseline, t.baselineCount, t.baselineTotal, t.score, t.terms.joined(separator: " "), shownIds)
    }
}

/// `hotline topics-refresh --once [--at]`: one refresh of the stored hot topics from the recent orders (serve runs it
/// every `--topics-every` seconds), then one pass of their alerts to the centre's receiver.
struct TopicsRefresh: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics-refresh", abstract: "Refresh the stored hot topics from the recent orders (serve runs it every 15 minutes).")
    @OptionGroup var db: DatabaseOptions
    @Flag(help: "Run one refresh and exit (the only mode).") var once = false
    @Option(help: "The refresh's time (ISO 8601); defaults to now.") var at: String?
    @OptionGroup var webhook: WebhookOptions

    func run() async throws {
        guard once else { throw ValidationError("hotline topics-refresh runs once: give --once (serve refreshes every --topics-every seconds)") }
        var now = Date()
        if let at {
            guard let parsed = ISOTime.parse(at) else { throw ValidationError("--at: expected an ISO 8601 time, e.g. 2025-02-05T09:00:00+08:00") }
            now = parsed
        }
        try await db.withServices { services in
            let started = Date()
            let r = try await TopicDesk(services: services).refresh(at: now)
            let sent = try await TopicAlertSender(services: services, transport: HTTPWebhookTransport(), policy: webhook.policy).sendOnce(at: now)
            let topics = try await services.hotTopics.current(limit: 20)
            for t in topics { print("\(t.label)  \(t.size) 件，基线约 \(String(format: "%.1f", t.baseline)) 件  \(t.scopeKind) \(t.scopeValue)") }
            print(String(format: "risen=%d continued=%d ended=%d alerts_sent=%d seconds=%.3f", r.risen.count, r.continued, r.ended, sent, Date().timeIntervalSince(started)))
        }
    }
}

import ArgumentParser
import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import HotlineText
import Logging

/// `hotline bench-assist`: latency of the agent's assistant call (category, unit, knowledge and similar orders
/// for a 300-character message) with a large knowledge base and many stored orders, and training times.
struct BenchAssist: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-assist", abstract: "Measure the intake assistant's latency and model training time.")

    @Option(help: "Orders stored.") var orders: Int = 1_000_000
    @Option(help: "Knowledge entries stored.") var knowledge: Int = 40_000
    @Option(help: "Assistant calls measured.") var queries: Int = 2_000
    @Option(help: "Characters per query message.") var length: Int = 300
    @Option(help: "Labelled messages (CSV with text and category) for the category model and as query texts.")
    var messages: String = "../shared/data/messages_train.csv"
    @Option(help: "Further CSV files whose texts become knowledge entries (subject/detail/reply columns where present).")
    var corpus: [String] = ["../shared/data/replies_train.csv", "../shared/data/messages_with_votes.csv", "../shared/data/messages_unlabeled.csv"]
    @Option(help: "Where the benchmark's SQLite file goes.") var sqlitePath: String = "data/bench-assist.sqlite"

    func run() async throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) }
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) } }
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let calendar = try DatabaseOptions.parse([]).calendar()
        let table = try CSVTable(parsing: try String(contentsOfFile: messages, encoding: .utf8))
        let texts = try table.column("text")
        let labels = try table.column("category")
        try await HotlineServices.with(.sqlite(path: sqlitePath), calendar: calendar, logger: logger) { s in
            let clock = ContinuousClock()
            let now = Date()
            _ = try await DemoSeeder(services: s).seed(orders: 0, now: now)
            let city = try DemoCity.bundled()
            let generator = OrderGenerator(city: city, context: s.reference.context, seed: 11)
            try await BenchRun.bulkLoad(s, count: orders, generator: generator, now: now)

            // Knowledge: real public texts as entries, repeated with a version mark up to the size asked.
            var pool: [KnowledgeContent] = []
            for file in corpus {
                guard let text = try? String(contentsOfFile: file, encoding: .utf8), let t = try? CSVTable(parsing: text) else { continue }
                let subjects = (try? t.column("subject")) ?? []
                let bodies = (try? t.column("reply")) ?? (try? t.column("detail")) ?? []
                for (subject, body) in zip(subjects, bodies) where !subject.isEmpty && !body.isEmpty {
                    pool.append(KnowledgeContent(title: String(subject.prefix(100)), questions: [subject], answer: String(body.prefix(1000))))
                }
            }
            if pool.isEmpty { pool = texts.map { KnowledgeContent(title: String($0.prefix(20)), answer: String($0.prefix(1000))) } }
            var entries: [KnowledgeContent] = []
            entries.reserveCapacity(knowledge)
            while entries.count < knowledge {
                let round = entries.count / pool.count
                for var c in pool.prefix(knowledge - entries.count) {
                    if round > 0 { c.title += "（\(round + 1)）" }
                    entries.append(c)
                }
            }
            for start in stride(from: 0, to: entries.count, by: 2_000) {
                try await s.knowledge.store.insertPublished(
                    Array(entries[start..<min(start + 2_000, entries.count)]), by: .system, at: now, note: "benchmark")
                progress("knowledge", min(start + 2_000, entries.count), entries.count)
            }
            let kbLoad = try await clock.measure { try await s.knowledge.reload() }

            // Training: the category model on the labelled messages; the unit model from finished orders.
            var categoryModel: TextClassifier?
            let categoryTraining = clock.measure { categoryModel = TextClassifier.train(texts: texts, labels: labels) }
            try await s.models.save(TextModels.categoryModel, categoryModel!, examples: texts.count, detail: "benchmark", at: now)
            var trainSummary: ModelTrainer.Summary?
            let orderTraining = try await clock.measure { trainSummary = try await ModelTrainer(services: s).train(now: now) }
            // The trainer replaced the category model with one learned from the orders; serve the messages one.
            try await s.models.save(TextModels.categoryModel, categoryModel!, examples: texts.count, detail: "benchmark", at: now)
            var indexed = 0
            let similarLoad = try await clock.measure { indexed = try await s.similar.load(now: now) }

            // Queries: real messages cut or repeated to the length asked.
            let districts = ["江城区", "湖滨区", "高新区", "青山县"]
            var rng = SplitMix64(seed: 5)
            let requests = (0..<queries).map { i -> IntakeAssistant.Request in
                var text = texts[Int.random(in: 0..<texts.count, using: &rng)]
                while text.count < length { text += texts[Int.random(in: 0..<texts.count, using: &rng)] }
                return IntakeAssistant.Request(title: String(text.prefix(20)), content: String(text.prefix(length)), district: districts[i % districts.count],
                                               callerPhone: "13800000000")
            }
            for r in requests.prefix(20) { _ = try await s.assistant.assist(r, now: now) }
            var samples: [Double] = []
            var parts: [String: [Double]] = [:]
            for (i, r) in requests.enumerated() {
                samples.append(milliseconds(try await clock.measure { _ = try await s.assistant.assist(r, now: now) }))
                if i % 100 == 0 { progress("assist", i, requests.count) }
            }
            progress("assist", requests.count, requests.count)
            // Where the time goes, on the same requests.
            let loaded = s.models.current
            for r in requests.prefix(500) {
                let text = IntakeAssistant.text(title: r.title, content: r.content, district: r.district)
                parts["category model", default: []].append(milliseconds(clock.measure { _ = loaded.category?.rank(text) }))
                parts["unit model", default: []].append(milliseconds(clock.measure { _ = loaded.unit?.rank(text) }))
                parts["knowledge search", default: []].append(milliseconds(clock.measure { _ = s.knowledge.search(r.title + " " + r.content, limit: 5, now: now) }))
                parts["similar-order search", default: []].append(milliseconds(clock.measure { _ = s.similar.search(r.title + " " + r.content, limit: 5) }))
            }

            let total = Latency(samples)
            print("")
            print("hotline bench-assist — \(ProcessInfo.processInfo.activeProcessorCount) cores, SQLite")
            print("| measure | value |")
            print("|---|---:|")
            print("| orders stored | \(orders) |")
            print("| knowledge entries served | \(s.knowledge.count) |")
            print("| orders in the similar-order index (open + last \(SimilarOrders.windowDays) days) | \(indexed) |")
            print(String(format: "| assistant call, %d-character message: p50 / p95 / p99 (ms) | %.2f / %.2f / %.2f |", length, total.p50, total.p95, total.p99))
            for name in ["category model", "unit model", "knowledge search", "similar-order search"] {
                let l = Latency(parts[name] ?? [0])
                print(String(format: "| … %@ p50 / p99 (ms) | %.2f / %.2f |", name, l.p50, l.p99))
            }
            print(String(format: "| category model training, %d messages (s) | %.1f |", texts.count, milliseconds(categoryTraining) / 1000))
            if let t = trainSummary {
                print(String(format: "| category, detailed and unit models from %d finished orders (s) | %.1f |", t.orders, milliseconds(orderTraining) / 1000))
            }
            print(String(format: "| knowledge index build, %d entries (s) | %.1f |", s.knowledge.count, milliseconds(kbLoad) / 1000))
            print(String(format: "| similar-order index build (s) | %.1f |", milliseconds(similarLoad) / 1000))
        }
    }
}

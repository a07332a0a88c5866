import ArgumentParser
import Foundation
import HotlineDomain
import HotlineStorage

/// `hotline train`: retrains the category and unit models from the database's finished orders and
/// knowledge base, and stores them for every server instance.
struct Train: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Retrain the category and unit models from finished orders and the knowledge base.")
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await db.withServices { services in
            let s = try await ModelTrainer(services: services).train(now: Date())
            say(String(format: "trained in %.1f s on %d finished orders and %d knowledge entries: %d categories, %d detailed categories, %d units",
                       s.seconds, s.orders, s.knowledgeEntries, s.categoryLabels, s.detailedLabels, s.unitLabels))
        }
    }
}

/// `hotline knowledge import --file F`: loads knowledge entries from CSV.
struct KnowledgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "knowledge", abstract: "Knowledge base tools.", subcommands: [KnowledgeImportCommand.self])
}

struct KnowledgeImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import entries from CSV (title, questions, answer, category, unit, keywords, effective_from, expires_at).")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "CSV file.") var file: String
    @Flag(help: "Publish at once instead of submitting for review.") var publish = false

    func run() async throws {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try await db.withServices { services in
            let summary = try await KnowledgeImport(services: services).run(
                csv: text, by: Actor(userID: "import", role: .knowledgeEditor), publish: publish, at: Date())
            say("imported \(summary.created) entries, \(summary.published) published")
        }
    }
}

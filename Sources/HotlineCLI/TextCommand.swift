import ArgumentParser
import Foundation
import HotlineText

/// `hotline text …`: train, apply and measure the text models on CSV files, so that anyone can reproduce
/// the figures.
struct TextCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text", abstract: "Train, apply and evaluate the text models on CSV files.",
        subcommands: [TextTrain.self, TextPredict.self, TextEvaluate.self, TextCrossValidate.self, TextRetrieval.self])
}

/// Where the examples come from.
struct CSVInput: ParsableArguments {
    @Option(help: "CSV file (RFC 4180, UTF-8, header line).") var input: String
    @Option(help: "Column(s) holding the text; several are joined with a space (e.g. subject,detail).") var textColumn: String = "text"

    func table() throws -> CSVTable {
        let text: String
        do { text = try String(contentsOfFile: input, encoding: .utf8) } catch { throw ValidationError("cannot read \(input): \(error.localizedDescription)") }
        return try CSVTable(parsing: text)
    }

    func texts(_ table: CSVTable) throws -> [String] {
        let columns = try textColumn.split(separator: ",").map { try table.column(String($0)) }
        return (0..<table.rows.count).map { i in columns.map { $0[i] }.joined(separator: " ") }
    }
}

/// Model settings (defaults are the tuned ones).
struct ModelOptions: ParsableArguments {
    @Option(help: "SVM regularisation C.") var svmC: Float = TextClassifier.Options().svm.c
    @Option(help: "Longest character n-gram (1-3).") var ngramMax: Int = TextClassifier.Options().tokenizer.maxGram
    @Option(help: "Keep terms seen in at least this many training texts.") var minDf: Int = TextClassifier.Options().minDocumentFrequency
    @Option(help: "Weight classes inversely to their size (true/false).") var balanced: Bool = TextClassifier.Options().balanced
    @Option(help: "Weight of the nearest-neighbour votes (0 turns them off).") var neighbourWeight: Double = TextClassifier.Options().neighbourWeight
    @Option(help: "Opening characters with features of their own (0 turns them off).") var headLength: Int = TextClassifier.Options().headLength
    @Flag(help: "Add place-name evidence from a gazetteer derived from the label names (for units: 洛南县人民政府 → 洛南县).")
    var gazetteer = false

    var options: TextClassifier.Options {
        var o = TextClassifier.Options()
        o.svm.c = svmC
        o.tokenizer = Tokenizer(minGram: 1, maxGram: ngramMax)
        o.minDocumentFrequency = minDf
        o.balanced = balanced
        o.neighbourWeight = neighbourWeight
        o.headLength = headLength
        return o
    }

    func options(labels: [String]) -> TextClassifier.Options {
        var o = options
        if gazetteer { o.gazetteer = Gazetteer.fromLabels(Array(Set(labels))) }
        return o
    }
}

/// Whether a report is printed for people or as JSON.
struct ReportFormat: ParsableArguments {
    @Flag(help: "Print the report as JSON.") var json = false
}

struct TextTrain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "Train a classifier and write the model file.")
    @OptionGroup var source: CSVInput
    @Option(help: "Column holding the label (category, unit).") var labelColumn: String = "category"
    @Option(help: "Model file to write.") var out: String
    @OptionGroup var settings: ModelOptions

    func run() throws {
        let table = try source.table()
        let texts = try source.texts(table)
        let labels = try table.column(labelColumn)
        let started = Date()
        progress("training on \(texts.count) examples, \(Set(labels).count) labels…")
        let model = TextClassifier.train(texts: texts, labels: labels, options: settings.options(labels: labels))
        let data = model.serialized()
        try data.write(to: URL(fileURLWithPath: out))
        say(String(format: "trained in %.1f s: %d labels, %d features; wrote %@ (%.1f MB)",
                   Date().timeIntervalSince(started), model.labels.count, model.features.dimension, out, Double(data.count) / 1_048_576))
    }
}

struct TextPredict: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "predict", abstract: "Write the top-3 labels and scores for each row.")
    @OptionGroup var source: CSVInput
    @Option(help: "Model file from `hotline text train`.") var model: String
    @Option(help: "Column holding the row id.") var idColumn: String = "id"
    @Option(help: "CSV file to write (id, label_1, score_1 … label_3, score_3).") var out: String

    func run() throws {
        let classifier = try loadModel(model)
        let table = try source.table()
        let texts = try source.texts(table)
        let ids = (try? table.column(idColumn)) ?? (1...max(1, texts.count)).map(String.init)
        var lines = [CSVTable.line(["id", "label_1", "score_1", "label_2", "score_2", "label_3", "score_3"])]
        for (id, text) in zip(ids, texts) {
            let top = classifier.predict(text, top: 3)
            lines.append(CSVTable.line([id] + top.flatMap { [$0.label, String(format: "%.4f", $0.score)] }))
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: out, atomically: true, encoding: .utf8)
        say("wrote \(texts.count) predictions to \(out)")
    }
}

struct TextEvaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evaluate", abstract: "Measure a model on labelled rows.")
    @OptionGroup var source: CSVInput
    @Option(help: "Model file from `hotline text train`.") var model: String
    @Option(help: "Column holding the true label.") var labelColumn: String = "category"
    @OptionGroup var format: ReportFormat

    func run() throws {
        let classifier = try loadModel(model)
        let table = try source.table()
        let texts = try source.texts(table)
        let truth = try table.column(labelColumn)
        let report = ClassificationReport(truth: truth, ranked: texts.map { classifier.rank($0).map(\.label) })
        try printReport(report, json: format.json)
    }
}

struct TextCrossValidate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cv", abstract: "Stratified k-fold cross-validation.")
    @OptionGroup var source: CSVInput
    @Option(help: "Column holding the label.") var labelColumn: String = "category"
    @Option(help: "Number of folds.") var folds: Int = 5
    @Option(help: "Seed of the fold split.") var seed: UInt64 = 2024
    @OptionGroup var settings: ModelOptions
    @OptionGroup var format: ReportFormat

    func validate() throws { guard (2...20).contains(folds) else { throw ValidationError("--folds must be 2…20") } }

    func run() throws {
        let table = try source.table()
        let texts = try source.texts(table)
        let labels = try table.column(labelColumn)
        let fold = Folds.stratified(labels: labels, k: folds, seed: seed)
        var ranked = [[String]](repeating: [], count: texts.count)
        var trainSeconds: [Double] = []
        for f in 0..<folds {
            let train = texts.indices.filter { fold[$0] != f }
            let started = Date()
            let model = TextClassifier.train(texts: train.map { texts[$0] }, labels: train.map { labels[$0] }, options: settings.options(labels: labels))
            trainSeconds.append(Date().timeIntervalSince(started))
            for i in texts.indices where fold[i] == f { ranked[i] = model.rank(texts[i]).map(\.label) }
            progress("fold \(f + 1)/\(folds) trained on \(train.count) in \(String(format: "%.1f", trainSeconds.last!)) s")
        }
        let report = ClassificationReport(truth: labels, ranked: ranked)
        try printReport(report, json: format.json)
        if !format.json { say(String(format: "mean training time per fold: %.1f s", trainSeconds.reduce(0, +) / Double(folds))) }
    }
}

struct TextRetrieval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrieval", abstract: "Find each message's own reply among all replies (recall@1, recall@5, MRR).")
    @OptionGroup var source: CSVInput
    @Option(help: "Column(s) holding the reply.") var answerColumn: String = "reply"
    @Option(help: "Most query terms scored (the most selective ones).") var maxQueryTerms: Int = BM25Index().maxQueryTerms
    @Option(help: "Shortest character n-gram indexed (1 or 2).") var minGram: Int = Tokenizer.retrieval.minGram
    @OptionGroup var format: ReportFormat

    func run() throws {
        let table = try source.table()
        let queries = try source.texts(table)
        let answers = try answerColumn.split(separator: ",").map { try table.column(String($0)) }
        var index = BM25Index(tokenizer: Tokenizer(minGram: minGram, maxGram: 2))
        index.maxQueryTerms = maxQueryTerms
        for i in queries.indices { index.add(id: Int64(i), text: answers.map { $0[i] }.joined(separator: " ")) }
        let started = Date()
        let ranks: [Int?] = queries.enumerated().map { i, q in
            index.search(q, limit: 100).firstIndex { $0.id == Int64(i) }.map { $0 + 1 }
        }
        let seconds = Date().timeIntervalSince(started)
        let report = RetrievalReport(ranks: ranks)
        if format.json {
            say(String(decoding: try JSONEncoder().encode(report), as: UTF8.self))
        } else {
            say("\(report.count) queries against \(index.count) replies in \(String(format: "%.2f", seconds)) s")
            say(String(format: "recall@1 %.4f   recall@5 %.4f   MRR %.4f", report.recallAt1, report.recallAt5, report.meanReciprocalRank))
        }
    }
}

func loadModel(_ path: String) throws -> TextClassifier {
    do { return try TextClassifier(serialized: try Data(contentsOf: URL(fileURLWithPath: path))) } catch {
        throw ValidationError("cannot read model \(path): \(error)")
    }
}

func progress(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }

func printReport(_ r: ClassificationReport, json: Bool) throws {
    if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        say(String(decoding: try encoder.encode(r), as: UTF8.self))
        return
    }
    say(String(format: "%d items   accuracy %.4f   macro-F1 %.4f   top-3 accuracy %.4f", r.count, r.accuracy, r.macroF1, r.top3Accuracy))
    let width = max(4, r.labels.map(\.count).max() ?? 4)
    say("label".padding(toLength: width * 2, withPad: " ", startingAt: 0) + "  support  precision  recall     F1")
    for c in r.classes {
        let bar = String(repeating: "█", count: Int((c.f1 * 20).rounded()))
        say(c.label.padding(toLength: width * 2 - c.label.count, withPad: " ", startingAt: 0)
            + String(format: "  %7d  %9.3f  %6.3f  %5.3f ", c.support, c.precision, c.recall, c.f1) + bar)
    }
    say("confusion matrix (rows: truth, columns: predicted, in label order)")
    for (i, row) in r.confusion.enumerated() { say(String(format: "%3d ", i + 1) + row.map { String(format: "%5d", $0) }.joined()) }
}

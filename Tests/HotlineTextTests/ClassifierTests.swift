import Foundation
import Testing
@testable import HotlineText

@Suite struct ClassifierTests {
    static let examples: [(String, String)] = [
        ("小区路灯坏了晚上很黑", "市政"), ("路灯不亮已经一周", "市政"), ("道路破损积水严重", "市政"), ("井盖丢失很危险", "市政"),
        ("社保卡丢了怎么补办", "社保"), ("养老保险怎么缴费", "社保"), ("医保报销比例是多少", "社保"), ("失业保险金如何申领", "社保"),
        ("工地夜间施工噪音扰民", "环保"), ("饭店油烟污染严重", "环保"), ("河道有人排放污水", "环保"), ("垃圾焚烧气味刺鼻", "环保"),
    ]

    static func model(_ options: TextClassifier.Options = TextClassifier.Options()) -> TextClassifier {
        var o = options
        o.minDocumentFrequency = 1
        return TextClassifier.train(texts: examples.map(\.0), labels: examples.map(\.1), options: o)
    }

    @Test func learnsTheLabelsAndRanksAllOfThemWithConfidences() {
        let m = Self.model()
        #expect(m.labels == ["市政", "环保", "社保"], "sorted by code point")
        #expect(m.predict("我家门口的路灯坏了", top: 1).first?.label == "市政")
        #expect(m.predict("想问一下社保卡补办流程", top: 1).first?.label == "社保")
        #expect(m.predict("晚上施工太吵了噪音很大", top: 1).first?.label == "环保")
        let ranked = m.rank("路灯")
        #expect(ranked.count == 3)
        #expect(abs(ranked.map(\.score).reduce(0, +) - 1) < 1e-9)
        #expect(ranked == ranked.sorted { $0.score > $1.score })
    }

    @Test func aSavedModelScoresExactlyAsTheTrainedOne() throws {
        var options = TextClassifier.Options()
        options.gazetteer = Gazetteer(places: [("城关", "市政")])
        let m = Self.model(options)
        let restored = try TextClassifier(serialized: m.serialized())
        for text in ["城关镇路灯", "社保卡", "噪音扰民", "完全无关的话"] {
            #expect(restored.scores(text) == m.scores(text))
        }
        #expect(throws: TextClassifier.FileError.self) { try TextClassifier(serialized: Data("not a model".utf8)) }
        #expect(throws: TextClassifier.FileError.self) { try TextClassifier(serialized: m.serialized().prefix(100)) }
    }

    @Test func gazetteerEvidenceMovesTheRanking() {
        var without = TextClassifier.Options()
        without.neighbourWeight = 0
        var with = without
        with.gazetteer = Gazetteer(places: [("幸福社区", "环保")])
        let text = "幸福社区路灯不亮"
        #expect(Self.model(without).predict(text, top: 1).first?.label == "市政")
        let green = Self.model(with).labels.firstIndex(of: "环保")!
        #expect(Self.model(with).scores(text)[green] > Self.model(without).scores(text)[green] + 0.5)
    }
}

@Suite struct EvaluationTests {
    @Test func reportCountsAccuracyMacroF1AndTopThree() {
        let truth = ["a", "a", "b", "b", "c"]
        let ranked = [["a", "b"], ["b", "a"], ["b"], ["b"], ["a", "b", "c"]]
        let r = ClassificationReport(truth: truth, ranked: ranked)
        #expect(r.accuracy == 0.6)
        #expect(r.top3Accuracy == 1.0)
        #expect(r.confusion == [[1, 1, 0], [0, 2, 0], [1, 0, 0]])
        // a: P 1/2 R 1/2 F 0.5; b: P 2/3 R 1 F 0.8; c: F 0.
        #expect(abs(r.macroF1 - (0.5 + 0.8 + 0) / 3) < 1e-9)
    }

    @Test func retrievalReportFromRanks() {
        let r = RetrievalReport(ranks: [1, 2, nil, 6])
        #expect(r.recallAt1 == 0.25)
        #expect(r.recallAt5 == 0.5)
        #expect(abs(r.meanReciprocalRank - (1 + 0.5 + 0 + 1.0 / 6) / 4) < 1e-9)
    }

    @Test func foldsAreStratifiedAndReproducible() {
        let labels = Array(repeating: "a", count: 50) + Array(repeating: "b", count: 10)
        let folds = Folds.stratified(labels: labels, k: 5, seed: 1)
        #expect(folds == Folds.stratified(labels: labels, k: 5, seed: 1))
        for f in 0..<5 {
            #expect(folds.indices.filter { folds[$0] == f && labels[$0] == "a" }.count == 10)
            #expect(folds.indices.filter { folds[$0] == f && labels[$0] == "b" }.count == 2)
        }
    }
}

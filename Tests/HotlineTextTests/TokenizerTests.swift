import Foundation
import Testing
@testable import HotlineText

@Suite struct NormalizerAndTokenizerTests {
    @Test func fullWidthBecomesHalfWidthAndPunctuationSeparates() {
        #expect(TextNormalizer.normalize("ＡＢＣ１２３，路灯！！ 不亮") == "abc123 路灯 不亮")
        #expect(TextNormalizer.normalize("“社保卡”丢了？") == "社保卡 丢了")
    }

    @Test func oneAndTwoCharacterTermsAreIndexedAndPairsDoNotCrossSeparators() {
        let t = Tokenizer.retrieval
        let terms = t.terms("路灯，噪音")
        let expected: [Term] = [0x8DEF, 0x8DEF << 21 | 0x706F, 0x706F, 0x566A, 0x566A << 21 | 0x97F3, 0x97F3]
        #expect(terms == expected)
        #expect(Tokenizer.characters(of: 0x8DEF << 21 | 0x706F).map { String(String.UnicodeScalarView($0)) } == "路灯")
    }

    @Test func latinAndDigitRunsAreWords() {
        let t = Tokenizer.retrieval
        #expect(t.terms("WiFi密码").count == 1 + 2 + 1)
        #expect(t.terms("12345热线") == t.terms("１２３４５热线"))
        #expect(t.terms("abc")[0] >> 63 == 1)
    }

    @Test func longGramsAreHashedApartFromPackedOnes() {
        let t = Tokenizer(minGram: 4, maxGram: 5)
        let terms = t.terms("城市管理局")
        #expect(terms.count == 3)
        #expect(terms.allSatisfy { $0 >> 62 == 1 })
    }
}

@Suite struct CSVTableTests {
    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let table = try CSVTable(parsing: "\u{FEFF}id,text\r\n1,\"a,b\"\r\n2,\"第一行\n第二行 \"\"引号\"\"\"\n3,plain\n")
        #expect(table.header == ["id", "text"])
        #expect(try table.column("text") == ["a,b", "第一行\n第二行 \"引号\"", "plain"])
        #expect(throws: CSVTable.ReadError.self) { try table.column("missing") }
        #expect(CSVTable.line(["a", "b,c", "d\"e"]) == "a,\"b,c\",\"d\"\"e\"")
    }
}

@Suite struct BM25IndexTests {
    func index() -> BM25Index {
        var index = BM25Index()
        index.add(id: 1, text: "小区路灯不亮，晚上出行不便")
        index.add(id: 2, text: "工地夜间施工噪音扰民")
        index.add(id: 3, text: "社保卡丢失如何补办")
        index.add(id: 4, text: "路面破损积水")
        return index
    }

    @Test func rankedByTheTermsAQueryShares() {
        let hits = index().search("路灯坏了不亮", limit: 3)
        #expect(hits.first?.id == 1)
        #expect(index().search("噪音", limit: 3).map(\.id) == [2])
        #expect(index().search("补办社保卡", limit: 3).first?.id == 3)
    }

    @Test func aSingleCharacterQueryMatches() {
        #expect(index().search("灯", limit: 3).map(\.id) == [1])
    }

    @Test func replacedAndRemovedDocumentsAreNotFound() {
        var index = index()
        index.add(id: 1, text: "垃圾分类投放点设置不合理")
        #expect(!index.search("路灯", limit: 3).contains { $0.id == 1 })
        #expect(index.search("垃圾分类", limit: 3).map(\.id) == [1])
        index.remove(id: 3)
        #expect(index.search("社保卡", limit: 3).isEmpty)
        #expect(index.count == 3)
        #expect(index.search("积水", limit: 3) { $0 != 4 }.isEmpty, "the filter applies")
    }

    @Test func compactionKeepsTheLiveDocuments() {
        var index = BM25Index()
        for i in 0..<2000 { index.add(id: Int64(i), text: "第\(i)号 路灯不亮 编号\(i)") }
        for i in 0..<1000 { index.remove(id: Int64(i)) }
        let before = index.search("路灯不亮 编号1500", limit: 1)
        index.compactIfWorthIt()
        #expect(index.count == 1000)
        #expect(index.search("路灯不亮 编号1500", limit: 1) == before)
    }
}

@Suite struct SnippetTests {
    @Test func marksTheQueryWordsAndEscapesHTML() {
        let s = Snippet.make("办理社保卡需要携带身份证<原件>。", query: "社保卡 身份证")
        #expect(s == "办理<mark>社保卡</mark>需要携带<mark>身份证</mark>&lt;原件&gt;。")
    }

    @Test func windowsAroundTheMatchesInALongText() {
        let text = String(repeating: "无关内容。", count: 40) + "供暖期为每年11月15日至次年3月15日。" + String(repeating: "其他说明。", count: 40)
        let s = Snippet.make(text, query: "供暖期", length: 30)
        #expect(s.hasPrefix("…") && s.hasSuffix("…"))
        #expect(s.contains("<mark>供暖期</mark>"))
    }
}

@Suite struct GazetteerTests {
    @Test func placeNamesComeFromUnitNames() {
        #expect(Gazetteer.placeNames(of: "洛南县人民政府") == ["洛南县", "洛南"])
        #expect(Gazetteer.placeNames(of: "江城区滨江街道办事处") == ["江城区滨江街道", "江城区滨江"])
        #expect(Gazetteer.placeNames(of: "望江社区居委会") == ["望江社区", "望江"])
        #expect(Gazetteer.placeNames(of: "市公安局") == [])
        let g = Gazetteer.fromLabels(["洛南县人民政府", "商州区人民政府", "市公安局"])
        #expect(g.evidence(in: "洛南县城关镇的路灯，洛南县") == ["洛南县人民政府": 1 + log(2.0)])
        #expect(g.evidence(in: "市区道路") == [:])
    }
}

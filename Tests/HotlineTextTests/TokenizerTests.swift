import Testing
@testable import HotlineText
@Suite struct TokenizerTests {
    @Test func placeholder() { #expect(Tokenizer.retrieval.terms("路灯").count == 3) }
}

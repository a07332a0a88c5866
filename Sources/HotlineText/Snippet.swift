/// A short excerpt of a text around the words a query shares with it, with those words marked (摘要高亮).
/// The result is HTML-safe: the text is escaped and matches are wrapped in `<mark>…</mark>`.
public enum Snippet {
    public static func make(_ text: String, query: String, length: Int = 80) -> String {
        let chars = Array(text)
        guard !chars.isEmpty else { return "" }
        let wanted = queryPairs(query)
        // Each character as the one scalar the index would see (full-width folded, Latin lower-cased).
        let folded = chars.map { c -> UInt32 in
            guard let v = c.unicodeScalars.first?.value else { return 0 }
            return TextNormalizer.fold(v)
        }
        // Mark each character covered by a query pair (or a query character when the query is one character).
        var marked = [Bool](repeating: false, count: chars.count)
        for i in chars.indices {
            if i + 1 < chars.count, wanted.pairs.contains(UInt64(folded[i]) << 32 | UInt64(folded[i + 1])) {
                marked[i] = true
                marked[i + 1] = true
            } else if wanted.singles.contains(folded[i]) {
                marked[i] = true
            }
        }
        // The window with the most marked characters.
        let window = min(length, chars.count)
        var best = 0, bestCount = -1, count = 0
        for i in chars.indices {
            if marked[i] { count += 1 }
            if i >= window, marked[i - window] { count -= 1 }
            if i >= window - 1, count > bestCount {
                bestCount = count
                best = i - window + 1
            }
        }
        var out = best > 0 ? "…" : ""
        var open = false
        for i in best..<(best + window) {
            if marked[i] != open {
                out += marked[i] ? "<mark>" : "</mark>"
                open = marked[i]
            }
            out += escape(chars[i])
        }
        if open { out += "</mark>" }
        if best + window < chars.count { out += "…" }
        return out
    }

    /// Character pairs of the query; single characters only when the query is one character long.
    static func queryPairs(_ query: String) -> (pairs: Set<UInt64>, singles: Set<UInt32>) {
        let scalars = TextNormalizer.scalars(query)
        var pairs: Set<UInt64> = []
        var singles: Set<UInt32> = []
        for word in scalars.split(separator: 0) {
            let w = Array(word)
            if w.count == 1 { singles.insert(w[0]) }
            for i in 0..<max(0, w.count - 1) { pairs.insert(UInt64(w[i]) << 32 | UInt64(w[i + 1])) }
        }
        return (pairs, singles)
    }

    static func escape(_ c: Character) -> String {
        switch c {
        case "<": "&lt;"
        case ">": "&gt;"
        case "&": "&amp;"
        case "\"": "&quot;"
        case "'": "&#39;"
        case "\n", "\r": " "
        default: String(c)
        }
    }
}

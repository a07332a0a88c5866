/// A short excerpt of a text around the words a query shares with it, with those words marked (摘要高亮).
/// The result is HTML-safe: the text is escaped and matches are wrapped in `<mark>…</mark>`.
public enum Snippet {
    public static func make(_ text: String, query: String, length: Int = 80) -> String {
        let chars = Array(text)
        guard !chars.isEmpty else { return "" }
        let wanted = queryPairs(query)
        // Mark each character covered by a query pair (or a query character when the query is one character).
        var marked = [Bool](repeating: false, count: chars.count)
        let normalized = chars.map { c -> Character in
            let s = TextNormalizer.normalize(String(c))
            return s.count == 1 ? s.first! : c
        }
        for i in chars.indices {
            if i + 1 < chars.count, wanted.pairs.contains(String([normalized[i], normalized[i + 1]])) {
                marked[i] = true
                marked[i + 1] = true
            } else if wanted.singles.contains(normalized[i]) {
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
    static func queryPairs(_ query: String) -> (pairs: Set<String>, singles: Set<Character>) {
        let words = TextNormalizer.normalize(query).split(separator: " ")
        var pairs: Set<String> = []
        var singles: Set<Character> = []
        for w in words {
            let c = Array(w)
            if c.count == 1 { singles.insert(c[0]) }
            for i in 0..<max(0, c.count - 1) { pairs.insert(String([c[i], c[i + 1]])) }
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

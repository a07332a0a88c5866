/// A urlencoded form body split into its fields, one way for every reader of forms (the console's admin and login
/// forms, the CSRF token of an action form, and ``InputDecoder``).
enum FormFields {
    /// Each `key=value` pair in order: the key percent-decoded (nil when it cannot be), the value as sent.
    static func pairs(_ text: String) -> [(key: String?, value: String)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decoded(parts.first.map(String.init) ?? ""), parts.count > 1 ? String(parts[1]) : "")
        }
    }

    /// `+` as a space, then percent-decoding.
    static func decoded(_ text: String) -> String? { text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }

    /// The fields by name, values decoded; a repeated field (a multiple select) comma-joined.
    static func dictionary(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for (key, raw) in pairs(text) {
            guard let key, !key.isEmpty else { continue }
            let value = decoded(raw) ?? ""
            fields[key] = fields[key].map { $0 + "," + value } ?? value
        }
        return fields
    }

    /// One field's decoded value, e.g. the CSRF token.
    static func value(_ name: String, in text: String) -> String? {
        pairs(text).first { $0.key == name }.flatMap { decoded($0.value) }
    }
}

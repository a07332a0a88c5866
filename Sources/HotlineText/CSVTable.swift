/// An RFC 4180 CSV table (quoted fields may hold commas, quotes and line breaks), read whole.
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [[String]]

    public enum ReadError: Error, Equatable, CustomStringConvertible {
        case empty
        case unknownColumn(String, available: [String])

        public var description: String {
            switch self {
            case .empty: "the CSV file is empty"
            case .unknownColumn(let c, let available): "no column \(c) (columns: \(available.joined(separator: ", ")))"
            }
        }
    }

    public init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    public init(parsing text: String) throws {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        var fieldStarted = false
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = n }
                    } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where !fieldStarted:
                quoted = true
                fieldStarted = true
            case ",":
                record.append(field)
                field = ""
                fieldStarted = false
            case "\r":
                continue
            case "\n":
                record.append(field)
                if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
                record = []
                field = ""
                fieldStarted = false
            default:
                field.unicodeScalars.append(c)
                fieldStarted = true
            }
        }
        if fieldStarted || !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        guard var first = records.first else { throw ReadError.empty }
        if let f = first.first, f.hasPrefix("\u{FEFF}") { first[0] = String(f.dropFirst()) }
        header = first
        rows = Array(records.dropFirst())
    }

    /// The values of one column (empty where a row is short).
    public func column(_ name: String) throws -> [String] {
        guard let i = header.firstIndex(of: name) else { throw ReadError.unknownColumn(name, available: header) }
        return rows.map { i < $0.count ? $0[i] : "" }
    }

    /// Text written back as CSV, quoting where needed.
    public static func line(_ fields: [String]) -> String {
        fields.map { f in
            f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }.joined(separator: ",")
    }
}

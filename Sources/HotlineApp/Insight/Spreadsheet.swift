import Foundation
import ZIPFoundation

/// A table to hand out as a file (导出): CSV for any tool, XLSX for spreadsheet users. The XLSX is SpreadsheetML written
/// here (one worksheet, inline strings, numbers as numbers) inside a ZIP that ZIPFoundation makes.
public struct Spreadsheet: Sendable {
    public enum Cell: Sendable, Equatable {
        case text(String)
        case number(Double)
        case empty
    }

    public var sheetName: String
    public var rows: [[Cell]]

    public init(sheetName: String, rows: [[Cell]]) {
        self.sheetName = sheetName
        self.rows = rows
    }

    /// RFC 4180 CSV with a UTF-8 byte-order mark, so spreadsheet programs read the Chinese right.
    public func csv() -> String {
        func field(_ cell: Cell) -> String {
            let text: String
            switch cell {
            case .text(let s): text = s
            case .number(let x): text = Self.plain(x)
            case .empty: text = ""
            }
            // A leading =, +, - or @ would be read as a formula (CSV injection).
            let safe = text.first.map { "=+-@".contains($0) && Double(text) == nil } == true ? "'" + text : text
            guard safe.contains(where: { ",\"\n\r".contains($0) }) else { return safe }
            return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return "\u{FEFF}" + rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func plain(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }

    /// The workbook as an XLSX file.
    public func xlsx() throws -> Data { try Self.workbook([self]) }

    /// Several tables as one XLSX file, a worksheet each (named by `sheetName`, made unique).
    public static func workbook(_ sheets: [Spreadsheet]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        var names: [String] = []
        for sheet in sheets {
            var name = String(sheet.sheetName.prefix(31))
            if name.isEmpty { name = "Sheet" }
            var n = 2
            while names.contains(name) {
                name = String(sheet.sheetName.prefix(27)) + "(\(n))"
                n += 1
            }
            names.append(name)
        }
        let indices = sheets.indices.map { $0 + 1 }
        let overrides = indices.map {
            "<Override PartName=\"/xl/worksheets/sheet\($0).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }.joined()
        let sheetList = zip(indices, names).map { "<sheet name=\"\(escape($1))\" sheetId=\"\($0)\" r:id=\"rId\($0)\"/>" }.joined()
        let relations = indices.map {
            "<Relationship Id=\"rId\($0)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0).xml\"/>"
        }.joined()
        let parts: [(String, String)] = [
            ("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            \(overrides)</Types>
            """),
            ("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """),
            ("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheets>\(sheetList)</sheets></workbook>
            """),
            ("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(relations)</Relationships>
            """),
        ] + zip(indices, sheets).map { ("xl/worksheets/sheet\($0).xml", $1.sheetXML()) }
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    func sheetXML() -> String {
        var xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
            """
        for (r, row) in rows.enumerated() {
            xml += "<row r=\"\(r + 1)\">"
            for (c, cell) in row.enumerated() {
                let ref = Self.column(c) + String(r + 1)
                switch cell {
                case .text(let s): xml += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(Self.escape(s))</t></is></c>"
                case .number(let x): xml += "<c r=\"\(ref)\"><v>\(Self.plain(x))</v></c>"
                case .empty: break
                }
            }
            xml += "</row>"
        }
        return xml + "</sheetData></worksheet>"
    }

    /// The column letters of a 0-based index: A…Z, AA….
    static func column(_ index: Int) -> String {
        var n = index + 1
        var letters = ""
        while n > 0 {
            let r = (n - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + r))) + letters
            n = (n - 1) / 26
        }
        return letters
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            // Characters XML 1.0 does not allow are dropped.
            case _ where ch.value < 0x20 && ch != "\t" && ch != "\n" && ch != "\r": continue
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}

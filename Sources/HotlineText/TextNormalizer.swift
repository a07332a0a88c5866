/// Puts text into the one form every index and model sees (文本规范化): full-width letters, digits and
/// punctuation become half-width, Latin letters lower-case, and every punctuation mark, symbol or space a
/// single separator.
public enum TextNormalizer {
    /// The normalised text as Unicode scalars, with `0` standing for a separator.
    public static func scalars(_ text: String) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(text.unicodeScalars.count)
        var lastWasSeparator = true
        for scalar in text.unicodeScalars {
            let v = fold(scalar.value)
            if isTextual(v) {
                out.append(v)
                lastWasSeparator = false
            } else if !lastWasSeparator {
                out.append(0)
                lastWasSeparator = true
            }
        }
        if out.last == 0 { out.removeLast() }
        return out
    }

    /// One scalar folded: full-width ASCII to half-width, the ideographic space to a space, A–Z to a–z.
    @inline(__always)
    public static func fold(_ value: UInt32) -> UInt32 {
        var v = value
        if v == 0x3000 { v = 0x20 }
        if (0xFF01...0xFF5E).contains(v) { v -= 0xFEE0 }
        if (0x41...0x5A).contains(v) { v += 0x20 }
        return v
    }

    /// The normalised text as a string, separators as single spaces.
    public static func normalize(_ text: String) -> String {
        var s = String.UnicodeScalarView()
        for v in scalars(text) { s.append(Unicode.Scalar(v == 0 ? 0x20 : v) ?? " ") }
        return String(s)
    }

    /// Letters, digits and CJK ideographs carry meaning; everything else separates.
    @inline(__always)
    static func isTextual(_ v: UInt32) -> Bool {
        if v < 0x80 { return (0x30...0x39).contains(v) || (0x61...0x7A).contains(v) }
        if isCJK(v) { return true }
        guard let scalar = Unicode.Scalar(v) else { return false }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    @inline(__always)
    static func isCJK(_ v: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0xF900...0xFAFF).contains(v) || (0x20000...0x2FA1F).contains(v)
    }

    /// Latin letters and digits group into words; CJK characters stand alone.
    @inline(__always)
    static func isWordCharacter(_ v: UInt32) -> Bool { v != 0 && !isCJK(v) }
}

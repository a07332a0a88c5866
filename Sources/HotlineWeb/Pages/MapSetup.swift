import Foundation
import HotlineDomain
import HotlineResources

/// Where the map (地图) gets its pieces: the city's district and street shapes (GeoJSON; the demo city's when no file
/// is given), an optional tile server for deployments that have one, and Leaflet from Debian's `libjs-leaflet`.
public struct MapSettings: Sendable {
    /// A GeoJSON FeatureCollection of the city's districts and streets (`level`, `name`, `district`, `unit`).
    public var shapesFile: String?
    /// A tile URL template (`https://tiles.example.gov.cn/{z}/{x}/{y}.png`); without one the shapes are the base map.
    public var tileURL: String?
    /// Where `libjs-leaflet` puts Leaflet.
    public var leafletDirectory: String

    public init(shapesFile: String? = nil, tileURL: String? = nil, leafletDirectory: String = "/usr/share/javascript/leaflet") {
        self.shapesFile = shapesFile
        self.tileURL = tileURL
        self.leafletDirectory = leafletDirectory
    }
}

/// The map's pieces, read once when the server starts.
struct MapSetup: Sendable {
    let settings: MapSettings
    let shapes: MapShapes
    /// The shapes as served to the browser.
    let geoJSON: Data

    init(_ settings: MapSettings) throws {
        self.settings = settings
        let text = try settings.shapesFile.map { try String(contentsOfFile: $0, encoding: .utf8) } ?? BundledData.text("demo/map.geojson")
        geoJSON = Data(text.utf8)
        shapes = try MapShapes(geoJSON: geoJSON)
    }

    /// Whether Leaflet is installed (the page says so in Chinese when it is not).
    var leafletInstalled: Bool { FileManager.default.fileExists(atPath: settings.leafletDirectory + "/leaflet.js") }

    /// The tile server's origin, for the map page's Content-Security-Policy (`img-src`).
    var tileOrigin: String? {
        guard let url = settings.tileURL.flatMap({ URL(string: $0.replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "")) }),
              let scheme = url.scheme, ["http", "https"].contains(scheme), let host = url.host else { return nil }
        return scheme + "://" + host + (url.port.map { ":\($0)" } ?? "")
    }

    /// A file of Leaflet (`leaflet.js`, `leaflet.css`, `images/marker-icon.png` …), if installed.
    func leafletFile(_ name: String) -> (data: Data, type: String)? {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.count == 1 || parts[0] == "images",
              parts.allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") } }),
              let data = FileManager.default.contents(atPath: settings.leafletDirectory + "/" + name) else { return nil }
        let type = name.hasSuffix(".css") ? "text/css; charset=utf-8" : name.hasSuffix(".js") ? "text/javascript; charset=utf-8"
            : name.hasSuffix(".png") ? "image/png" : "application/octet-stream"
        return (data, type)
    }
}

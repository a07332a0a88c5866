/// Every Open311 GeoReport v2 path, in one place. Each resource ends in its format (`services.json`,
/// `requests/20250303000001.xml`); the route templates capture the name with its format, which ``Open311Format``
/// splits at the last dot (category codes have dots of their own: `services/01.01.01.json`).
public enum Open311Routes {
    public static let base = "/open311/v2"

    static let discoveryTemplate = base + "/discovery.{format}"
    static let servicesTemplate = base + "/services.{format}"
    static let serviceTemplate = base + "/services/{resource}"
    static let requestsTemplate = base + "/requests.{format}"
    static let requestTemplate = base + "/requests/{resource}"
    static let tokenTemplate = base + "/tokens/{resource}"

    public static func discovery(_ format: Open311Format) -> String { base + "/discovery." + format.rawValue }
    public static func services(_ format: Open311Format) -> String { base + "/services." + format.rawValue }
    public static func service(_ code: String, _ format: Open311Format) -> String { base + "/services/" + code + "." + format.rawValue }
    public static func requests(_ format: Open311Format) -> String { base + "/requests." + format.rawValue }
    public static func request(_ id: String, _ format: Open311Format) -> String { base + "/requests/" + id + "." + format.rawValue }
    public static func token(_ token: String, _ format: Open311Format) -> String { base + "/tokens/" + token + "." + format.rawValue }

    /// The routes anyone may call without a key: every read. `POST requests` takes its key as `api_key` in the body or
    /// the query string, not a session or a bearer token, so it is neither open nor in a scoped group of the API.
    public static let open: Set<String> = Set(
        [discoveryTemplate, servicesTemplate, serviceTemplate, requestsTemplate, requestTemplate, tokenTemplate]
            .map { "GET " + $0 })
    /// Every Open311 route: the reads and `POST requests`.
    public static let all: Set<String> = open.union(["POST " + requestsTemplate])
}

/// The two formats GeoReport v2 defines, named by a resource's extension.
public enum Open311Format: String, Sendable, CaseIterable {
    case json, xml

    public var contentType: String {
        switch self {
        case .json: "application/json; charset=utf-8"
        case .xml: "text/xml; charset=utf-8"
        }
    }

    /// The media type as discovery lists it.
    var mediaType: String {
        switch self {
        case .json: "application/json"
        case .xml: "text/xml"
        }
    }

    /// A resource name with its format (`01.01.01.json`) split at the last dot; nil format for an unknown extension.
    static func split(_ resource: String) -> (name: String, format: Open311Format?) {
        guard let dot = resource.lastIndex(of: ".") else { return (resource, nil) }
        return (String(resource[..<dot]), Open311Format(rawValue: resource[resource.index(after: dot)...].lowercased()))
    }
}

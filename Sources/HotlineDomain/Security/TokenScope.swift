/// What an access token may be used for (令牌权限范围). Web sessions and interactive logins carry
/// ``all``; API keys for integrations (channels, Open311, call-centre events) carry only what they need.
/// A scope narrows what the token's user could do; it never widens it.
public enum TokenScope: String, Sendable, Codable, CaseIterable {
    /// Everything the user's role allows.
    case all = "*"
    /// Read orders, their details and statistics.
    case ordersRead = "orders:read"
    /// Take new orders (intake from a channel).
    case ordersCreate = "orders:create"
    /// Move orders through the loop.
    case ordersAct = "orders:act"
    /// Restrict callers (限制呼入) and lift restrictions.
    case callersRestrict = "callers:restrict"
    /// Reveal a caller's full phone or ID number (an audited action).
    case contactsReveal = "contacts:reveal"
    /// Read units, categories, time limits, the calendar and the dispatch catalogue.
    case referenceRead = "reference:read"
    /// Administration: units, users, catalogue, time limits, keys, audit, restrictions.
    case admin
    /// Send telephony events from the call-centre system (`POST /api/v1/cti/events`).
    case ctiEvents = "cti:events"
    /// Open311 GeoReport v2: report requests through `/open311/v2` (the key is the `api_key` there); nothing in `/api/v1`.
    case open311
    /// Scrape the Prometheus metrics (`GET /metrics`); nothing else.
    case metrics = "metrics:read"

    /// The capability a key's holder must have for the key to carry this scope (nil: any role may hold it).
    public var requiredCapability: Capability? {
        switch self {
        case .callersRestrict: .restrictCallers
        case .contactsReveal: .revealContact
        case .ctiEvents: .ingestCallEvents
        case .metrics: .viewMetrics
        case .all, .ordersRead, .ordersCreate, .ordersAct, .referenceRead, .admin, .open311: nil
        }
    }

    /// The order action a key's holder must be allowed for the key to carry this scope (nil: none).
    public var requiredAction: Action? {
        switch self {
        case .open311: .create
        case .all, .ordersRead, .ordersCreate, .ordersAct, .callersRestrict, .contactsReveal, .referenceRead, .admin, .ctiEvents, .metrics: nil
        }
    }

    /// Parses a space-separated scope list; nil when any scope is unknown.
    public static func parse(_ text: String) -> Set<TokenScope>? {
        var scopes: Set<TokenScope> = []
        for part in text.split(separator: " ") {
            guard let scope = TokenScope(rawValue: String(part)) else { return nil }
            scopes.insert(scope)
        }
        return scopes
    }
}

extension Set where Element == TokenScope {
    /// Whether a token holding these scopes may be used for `needed`.
    public func permits(_ needed: TokenScope) -> Bool { contains(.all) || contains(needed) }
}

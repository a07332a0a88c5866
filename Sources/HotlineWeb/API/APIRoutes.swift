/// Every API path, in one place, so that routes and links agree.
public enum APIRoutes {
    public static let base = "/api/v1"
    public static let health = base + "/health"
    public static let me = base + "/me"
    public static let orders = base + "/orders"
    public static func order(_ number: String) -> String { orders + "/" + number }
    public static func action(_ number: String, _ action: String) -> String { order(number) + "/" + action }
    public static let units = base + "/units"
    public static let categories = base + "/categories"
    public static let timeLimits = base + "/time-limits"
    public static let overdueByUnit = base + "/stats/overdue-by-unit"
    public static let calendarWorkdays = base + "/calendar/workdays"
    public static let calendarDeadline = base + "/calendar/deadline"
    public static let login = base + "/auth/login"
    public static let logout = base + "/auth/logout"
    public static let password = base + "/auth/password"
}

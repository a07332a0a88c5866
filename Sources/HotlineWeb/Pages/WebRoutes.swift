/// Every page path of the web console, in one place.
public enum WebRoutes {
    public static let home = "/"
    public static let login = "/login"
    public static let logout = "/logout"
    public static let assets = "/assets"
    public static func asset(_ name: String) -> String { assets + "/" + name }

    /// Pages anyone may open without signing in; every other page sends the browser to the login page.
    public static let open: Set<String> = ["GET " + login, "POST " + login, "GET " + assets + "/{name}"]

    /// Where to go after logging in: only a path of this site, never another origin.
    public static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), next.count <= 200 else { return home }
        return next
    }
}

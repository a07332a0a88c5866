/// The page paths of administration (系统管理).
extension WebRoutes {
    public static let admin = "/admin"
    public static let adminUnits = admin + "/units"
    public static let adminUsers = admin + "/users"
    public static let adminCategories = admin + "/categories"
    public static let adminCatalogue = admin + "/catalogue"
    public static let adminTimeLimits = admin + "/time-limits"
    public static let adminCallbackRule = admin + "/callback-rule"
    public static let adminEscalationRule = admin + "/escalation-rule"
    public static let adminCalendar = admin + "/calendar"
    public static let adminReplyRules = admin + "/review-rules"
    public static let adminWebhooks = admin + "/webhooks"
    public static func adminWebhookRequeue(_ id: String) -> String { adminWebhooks + "/deliveries/" + id + "/requeue" }
    public static let adminSLARule = admin + "/sla-rule"
    /// 渠道接入: each gateway's settings (POST `/admin/channels/{channel}`), the portal's anonymous setting, the outbox.
    public static let adminChannels = admin + "/channels"
    public static func adminChannel(_ channel: String) -> String { adminChannels + "/" + channel }
    public static let adminPortalSettings = adminChannels + "/portal-settings"
    public static func adminChannelRequeue(_ id: String) -> String { adminChannels + "/deliveries/" + id + "/requeue" }

    public static func adminUnit(_ id: String) -> String { adminUnits + "/" + id }
    public static func adminUser(_ id: String) -> String { adminUsers + "/" + id }
    public static func adminUserPassword(_ id: String) -> String { adminUser(id) + "/password" }
    public static func adminUserUnlock(_ id: String) -> String { adminUser(id) + "/unlock" }
    public static let adminTimeLimitRemoval = adminTimeLimits + "/remove"
    public static let adminRestrictions = admin + "/restrictions"
    public static func adminCategory(_ code: String) -> String { adminCategories + "/" + code }
    public static func adminCategoryRetirement(_ code: String) -> String { adminCategory(code) + "/retire" }
    public static func adminCategoryRestoration(_ code: String) -> String { adminCategory(code) + "/restore" }
    public static func adminRestrictionLift(_ id: String) -> String { adminRestrictions + "/" + id + "/lift" }
    public static func adminCalendar(year: Int) -> String { adminCalendar + "?year=" + String(year) }
    public static let adminCalendarSchedule = adminCalendar + "/schedule"
    public static func adminCalendarOverrideRemoval(_ id: String) -> String { adminCalendar + "/" + id + "/delete" }
}

/// Every API path, in one place, so that routes and links agree.
public enum APIRoutes {
    public static let base = "/api/v1"
    public static let health = base + "/health"
    /// Liveness (the process answers) and readiness (the database answers and has this build's schema), for a load
    /// balancer or an orchestrator.
    public static let healthLive = health + "/live"
    public static let healthReady = health + "/ready"
    public static let me = base + "/me"
    public static let orders = base + "/orders"
    public static let ordersExport = base + "/orders-export"
    public static func order(_ number: String) -> String { orders + "/" + number }
    /// 转为知识草稿: a finished order becomes a knowledge draft.
    public static func knowledgeDraft(_ number: String) -> String { order(number) + "/knowledge-draft" }
    public static func action(_ number: String, _ action: String) -> String { order(number) + "/" + action }
    public static func reveal(_ number: String) -> String { order(number) + "/reveal" }
    public static func similar(_ number: String) -> String { order(number) + "/similar" }
    /// 存证: the order's inclusion proof against the latest signed checkpoint.
    public static func checkpointProof(_ number: String) -> String { order(number) + "/checkpoint-proof" }
    public static func attachment(_ number: String, _ sha256: String) -> String { order(number) + "/attachments/" + sha256 }
    /// 消息提醒: the caller's notices, and marking them read.
    public static let notices = base + "/notices"
    public static let noticesRead = notices + "/read"
    public static let units = base + "/units"
    public static func unit(_ id: String) -> String { units + "/" + id }
    /// 消息推送: a unit's webhook, the outbox's deliveries and requeueing a dead letter.
    public static func unitWebhook(_ id: String) -> String { unit(id) + "/webhook" }
    public static let webhookDeliveries = base + "/webhook-deliveries"
    public static func requeueWebhookDelivery(_ id: String) -> String { webhookDeliveries + "/" + id + "/requeue" }
    public static let users = base + "/users"
    public static func user(_ id: String) -> String { users + "/" + id }
    public static let apiKeys = base + "/api-keys"
    public static func revokeAPIKey(_ id: String) -> String { apiKeys + "/" + id + "/revoke" }
    public static let categories = base + "/categories"
    public static let timeLimits = base + "/time-limits"
    public static let callbackRule = base + "/callback-rule"
    public static let returnReasons = base + "/return-reasons"
    public static let replyRules = base + "/review-rules"
    public static let slaRule = base + "/sla-rule"
    /// 热点预警: the current topics, one topic with its orders, a refresh now, the thresholds.
    public static let topics = base + "/topics"
    public static func topic(_ id: String) -> String { topics + "/" + id }
    public static let topicsRefresh = topics + "/refresh"
    public static let topicSettings = base + "/topic-settings"
    /// GET (any signed-in user) and PUT (admins): the escalation rule (提级规则).
    public static let escalationRule = base + "/escalation-rule"
    public static let catalogue = base + "/dispatch-catalogue"
    public static let catalogueHistory = catalogue + "/history"
    public static let catalogueRecommend = catalogue + "/recommend"
    public static let audit = base + "/audit"
    public static let restrictions = base + "/restrictions"
    /// 工单地图: counts by district and street, points and hot spots; the shapes as GeoJSON.
    public static let map = base + "/map"
    public static let mapShapes = map + "/shapes"
    /// 来电人画像 by `phone` or `order`.
    public static let callerProfile = base + "/callers/profile"
    public static func liftRestriction(_ id: String) -> String { restrictions + "/" + id + "/lift" }
    public static let knowledge = base + "/knowledge"
    public static let knowledgeSearch = knowledge + "/search"
    public static let knowledgeImport = knowledge + "/import"
    public static func knowledgeEntry(_ id: String) -> String { knowledge + "/" + id }
    public static func knowledgeAction(_ id: String, _ action: String) -> String { knowledgeEntry(id) + "/" + action }
    public static let assist = base + "/intake/assist"
    /// 话术: the scripts (GET a page, POST a new one), one script (GET with its history, PUT new wording), retire and restore.
    public static let scripts = base + "/scripts"
    public static func script(_ id: String) -> String { scripts + "/" + id }
    public static func scriptAction(_ id: String, _ action: String) -> String { script(id) + "/" + action }
    /// 典型案例: the library (GET a page, POST marks an order), one case, retiring it.
    public static let cases = base + "/cases"
    public static func typicalCase(_ id: String) -> String { cases + "/" + id }
    public static func retireCase(_ id: String) -> String { typicalCase(id) + "/retire" }
    /// 质检: scoring forms, batches (POST draws one), the agent's own, the appeals to decide, trends, one inspection and
    /// its steps (`score`, `acknowledge`, `appeal`, `decide`).
    public static let quality = base + "/quality"
    public static let qualityForms = quality + "/forms"
    public static func qualityForm(_ id: String) -> String { qualityForms + "/" + id }
    public static let qualityBatches = quality + "/batches"
    public static func qualityBatch(_ id: String) -> String { qualityBatches + "/" + id }
    public static let qualityMine = quality + "/mine"
    public static let qualityAppeals = quality + "/appeals"
    public static let qualityTrends = quality + "/trends"
    public static let qualityInspections = quality + "/inspections"
    public static func qualityInspection(_ id: String) -> String { qualityInspections + "/" + id }
    public static func qualityAction(_ id: String, _ action: String) -> String { qualityInspection(id) + "/" + action }
    public static let models = base + "/models"
    public static let modelsTrain = models + "/train"
    public static let overdueByUnit = base + "/stats/overdue-by-unit"
    /// 考评指标: the measures of a period by a grouping; 考评排名 with its exports; the measures' settings.
    public static let measures = base + "/measures"
    /// 驻场分析: `GET ?from&to` the analysis; `POST` records a stationing.
    public static let specialists = base + "/specialists"
    public static let ranking = base + "/ranking"
    /// 报告: the stored reports, a special one (POST), one report with `?format=xlsx|pdf|csv&table=…`.
    public static let reports = base + "/reports"
    public static func report(_ id: String) -> String { reports + "/" + id }
    public static let measureSettings = base + "/measure-settings"
    public static let calendarWorkdays = base + "/calendar/workdays"
    public static let calendarDeadline = base + "/calendar/deadline"
    public static let calendarOverrides = base + "/calendar/overrides"
    public static func calendarOverride(_ id: String) -> String { calendarOverrides + "/" + id }
    public static let calendarSchedules = base + "/calendar/schedules"
    public static let login = base + "/auth/login"
    public static let logout = base + "/auth/logout"
    public static let password = base + "/auth/password"
    /// Browser sessions: POST logs in and sets the cookie, GET shows the session and its CSRF token, DELETE logs out.
    public static let session = base + "/auth/session"
    /// A citizen follows their own order with its number and their phone number.
    public static let publicTrack = base + "/public/track"
    /// 话务事件: a call-centre system's telephony events (an API key of the `cti:events` scope).
    public static let ctiEvents = base + "/cti/events"
    /// 话务大屏: the big screen's figures.
    public static let screen = base + "/screen"
    /// 坐席绩效: a week's figures per agent and team with the service stars (`?week=`); the targets.
    public static let performance = base + "/performance"
    public static let performanceTargets = performance + "/targets"
    /// 我的绩效: an agent's own week, their team's and the service stars.
    public static let performanceMine = performance + "/me"
    /// 专家坐席: the seats, and one seat (managers edit it).
    public static let expertSeats = base + "/expert-seats"
    public static func expertSeat(_ id: String) -> String { expertSeats + "/" + id }
    /// 专家会商: questions to the seats, one question, its answer and its knowledge draft.
    public static let expertConsultations = base + "/expert-consultations"
    public static func expertConsultation(_ id: String) -> String { expertConsultations + "/" + id }
    public static func answerConsultation(_ id: String) -> String { expertConsultation(id) + "/answer" }
    public static func consultationDraft(_ id: String) -> String { expertConsultation(id) + "/knowledge-draft" }
    /// 排班: teams and shift templates (GET the list, POST a new one, PUT one), the roster of a week (`?week=`), a day's
    /// coverage (`?day=`), saving cells (PUT), copying a week, calling a standby agent in.
    public static let schedules = base + "/schedules"
    public static let scheduleTeams = schedules + "/teams"
    public static func scheduleTeam(_ id: String) -> String { scheduleTeams + "/" + id }
    public static let scheduleShifts = schedules + "/shifts"
    public static func scheduleShift(_ id: String) -> String { scheduleShifts + "/" + id }
    public static let scheduleRoster = schedules + "/roster"
    public static let scheduleCoverage = schedules + "/coverage"
    public static let scheduleAssignments = schedules + "/assignments"
    public static let scheduleCopyWeek = schedules + "/copy-week"
    public static let scheduleCallIn = schedules + "/call-in"
    /// 人力预测: a day's forecast, requirement and roster per half hour.
    public static let staffing = base + "/staffing"

    /// 渠道接入: a channel gateway's inbound webhook (`sms`, `wechat`, `app`, `mailbox`), checked by its signature instead
    /// of a session; its settings (admins) and the channels' outbox with requeueing a dead letter.
    public static let channels = base + "/channels"
    public static func channel(_ name: String) -> String { channels + "/" + name }
    public static func channelGateway(_ name: String) -> String { channel(name) + "/gateway" }
    public static let channelOutbox = base + "/channel-outbox"
    public static func requeueChannelMessage(_ id: String) -> String { channelOutbox + "/" + id + "/requeue" }

    /// The routes anyone may call without signing in; every other route requires a token or a session. The channel
    /// gateways' webhooks are checked by their signatures (``ChannelController``).
    public static let open = Set(["GET " + health, "GET " + healthLive, "GET " + healthReady, "POST " + login, "POST " + session, "POST " + publicTrack])
        .union(["sms", "wechat", "app", "mailbox"].map { "POST " + channel($0) }).union(["GET " + channel("wechat")])
}

import Foundation
import HotlineApp
import HotlineDomain

/// The citizen portal's paths (市民门户), in one place.
public enum PortalRoutes {
    public static let home = "/portal"
    public static let verify = home + "/verify"
    public static let submit = home + "/submit"
    public static let track = home + "/track"
    /// The short address citizens are told (进度查询), leading to `track`.
    public static let shortTrack = "/track"
    public static let scope = home + "/scope"
    public static let logout = home + "/logout"
    public static let shapes = home + "/shapes.geojson"
    public static func order(_ number: String) -> String { home + "/orders/" + number }
    public static func rate(_ number: String) -> String { order(number) + "/rate" }
    public static func photo(_ number: String, _ sha256: String) -> String { order(number) + "/photos/" + sha256 }

    /// Every portal route (method and template): open to visitors, since the portal proves the citizen itself (a phone
    /// session, and a CSRF token derived from it on each form that changes something).
    public static let all: Set<String> = [
        "GET " + home, "GET " + scope, "GET " + verify, "POST " + verify, "GET " + track, "POST " + track, "GET " + submit, "POST " + submit,
        "GET " + order("{number}"), "POST " + rate("{number}"), "GET " + photo("{number}", "{sha256}"), "POST " + logout, "GET " + shapes, "GET " + shortTrack,
    ]

    /// The form token the portal's forms carry for a citizen session (benchmarks and integration clients that hold a
    /// session opened by a code).
    public static func formToken(forSession token: String) -> String { SessionCookie.csrfToken(forSession: token) }

    /// A `next` that stays on the portal, or the portal's home.
    static func safeNext(_ next: String?) -> String {
        let path = WebRoutes.safeNext(next)
        return path.hasPrefix(home) ? path : home
    }
}

/// What every portal page shows in its header: the verified phone (masked), or nothing.
struct PortalFrame: Sendable {
    var title: String
    /// 138****5678 when a phone is verified in this browser.
    var citizen: String?
    /// The form token of the citizen's session.
    var csrf: String?
    /// The nav entry that is the current page (stored: the templates read stored properties only).
    var isHome = false
    var isSubmit = false
    var isTrack = false
    var isScope = false

    func section(_ section: String, _ title: String) -> PortalFrame {
        var copy = self
        copy.title = title
        (copy.isHome, copy.isSubmit, copy.isTrack, copy.isScope) = (section == "home", section == "submit", section == "track", section == "scope")
        return copy
    }
}

struct PortalOption: Sendable {
    var value: String
    var label: String
    var selected = false
}

/// 首页: what the hotline does, the three ways in, and the citizen's own requests once verified.
struct PortalHomePage: Sendable {
    var frame: PortalFrame
    var orders: [PortalOrderRow]
    var hasOrders: Bool

    init(frame: PortalFrame, orders: [PortalOrderRow]) {
        self.frame = frame
        self.orders = orders
        hasOrders = !orders.isEmpty
    }
}

struct PortalOrderRow: Sendable {
    var number: String
    var title: String
    var status: String
    var acceptedAt: String
    var href: String

    init(_ v: PublicOrderView) {
        number = v.number.description
        title = v.title
        status = v.statusName
        acceptedAt = v.acceptedAt.chinaShort
        href = PortalRoutes.order(v.number.description)
    }
}

/// 手机验证 and 进度查询: the phone, then the code sent to it; with the order number when tracking.
struct PortalVerifyPage: Sendable {
    var frame: PortalFrame
    var action: String
    var next: String
    var tracking: Bool
    var number: String
    var phone: String
    var codeSent: Bool
    var message: String?
    var error: String?
    var heading: String
    /// The demo's SMS inbox, where the code can be read (demo only).
    var demoInbox: String?
}

/// 我要反映: the request form (or, before a phone is verified, the two ways to go on).
struct PortalSubmitPage: Sendable {
    var frame: PortalFrame
    var anonymous: Bool
    var anonymousAllowed: Bool
    /// Whether the form is shown: a verified phone, or an anonymous request the city allows.
    var showForm: Bool
    var kinds: [PortalOption]
    var districts: [PortalOption]
    var content: String
    var name: String
    var address: String
    var latitude: String
    var longitude: String
    var error: String?
    var leaflet: Bool
    var tileURL: String
    var contentLimit: Int
    var maxFiles: Int
    var maxFileMB: Int
    var accept: String
}

/// 提交成功: the order number, and what happens next.
struct PortalDonePage: Sendable {
    var frame: PortalFrame
    var number: String
    var anonymous: Bool
    var href: String
}

/// One order as its citizen sees it, with the rating form when the loop is closed.
struct PortalOrderPage: Sendable {
    struct Step: Sendable {
        var name: String
        var at: String
    }
    var frame: PortalFrame
    var number: String
    var status: String
    var closed: Bool
    var kind: String
    var title: String
    var content: String
    var address: String
    var channel: String
    var acceptedAt: String
    var agency: String?
    var expectedAt: String?
    var steps: [Step]
    var answer: String?
    var note: String?
    var ratable: Bool
    var rating: String?
    var ratingComment: String?
    var rateAction: String
    var satisfactions: [PortalOption]
    var stars: [PortalOption]
    var error: String?
    var message: String?
    /// 存证: whether the order is in the latest signed checkpoint, with its inclusion proof.
    var checkpoint: CheckpointPanel? = nil
    struct Photo: Sendable {
        var name: String
        var href: String
    }
    var photos: [Photo]
    var hasPhotos: Bool

    init(frame: PortalFrame, _ v: PublicOrderView, error: String? = nil, message: String? = nil) {
        self.frame = frame
        number = v.number.description
        status = v.statusName
        closed = v.isClosed
        kind = v.kindName
        title = v.title
        content = v.content
        address = v.address
        channel = v.channelName
        acceptedAt = v.acceptedAt.chinaShort
        agency = v.agency
        expectedAt = v.expectedAt?.chinaShort
        steps = v.steps.map { Step(name: $0.name, at: $0.at.chinaShort) }
        answer = v.answer
        note = v.note
        ratable = v.ratable
        rating = v.rating.map { $0.satisfaction.chineseName + ($0.stars.map { "，\($0)星" } ?? "") }
        ratingComment = v.rating.flatMap { $0.comment.isEmpty ? nil : $0.comment }
        rateAction = PortalRoutes.rate(v.number.description)
        satisfactions = Satisfaction.allCases.map { PortalOption(value: $0.rawValue, label: $0.chineseName) }
        stars = CitizenRating.starsRange.reversed().map { PortalOption(value: String($0), label: String(repeating: "★", count: $0)) }
        self.error = error
        self.message = message
        photos = v.photos.compactMap { p in p.sha256.map { Photo(name: p.name, href: PortalRoutes.photo(v.number.description, $0)) } }
        hasPhotos = !photos.isEmpty
    }
}

/// 受理范围: what 12345 takes, and where the rest belongs.
struct PortalScopePage: Sendable {
    struct Route: Sendable {
        var matter: String
        var whereTo: String
    }
    var frame: PortalFrame
    var accepted: [String]
    var elsewhere: [Route]

    init(frame: PortalFrame) {
        self.frame = frame
        accepted = [
            "咨询：政策法规、办事流程、公共服务信息",
            "求助：生产生活中遇到的困难，如停水停电停气停暖、道路积水、公共设施损坏",
            "投诉：对行政机关、公共服务单位及其工作人员的服务或作风不满",
            "举报：违反法律法规、损害公共利益的行为，如违章搭建、环境污染、食品安全",
            "建议：对城市管理和公共服务的意见建议",
            "表扬：对为您提供优质服务的单位和个人",
        ]
        elsewhere = [
            Route(matter: "刑事、治安案件，正在发生的违法犯罪", whereTo: "请立即拨打 110 报警"),
            Route(matter: "火灾及其他灾害事故", whereTo: "请立即拨打 119 火警"),
            Route(matter: "急危重症病人", whereTo: "请立即拨打 120 急救"),
            Route(matter: "交通事故", whereTo: "请立即拨打 122 交通事故报警"),
            Route(matter: "已进入诉讼、仲裁、行政复议程序的事项，及对法院判决的异议", whereTo: "请通过法院、仲裁机构或行政复议机关依法办理"),
            Route(matter: "信访事项（对信访处理意见不服等）", whereTo: "请向信访部门反映，按《信访工作条例》办理"),
            Route(matter: "涉及国家秘密、商业秘密、个人隐私的事项，以及党政机关内部人事管理事项", whereTo: "不属于热线受理范围，请通过相应法定渠道反映"),
            Route(matter: "纪检监察举报", whereTo: "请向纪检监察机关举报（12388）"),
        ]
    }
}

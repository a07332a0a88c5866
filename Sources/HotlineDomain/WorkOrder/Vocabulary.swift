/// How a request reached the centre (来源渠道).
public enum Channel: String, Sendable, Codable, CaseIterable {
    case phone, web, app, wechat, sms, mailbox, open311, other

    public var chineseName: String {
        switch self {
        case .phone: "电话"
        case .web: "网站"
        case .app: "App"
        case .wechat: "微信"
        case .sms: "短信"
        case .mailbox: "市长信箱"
        case .open311: "Open311"
        case .other: "其他"
        }
    }

    /// Whether citizens send requests through this channel themselves, without an agent (自助渠道): such a request may
    /// arrive unclassified, for the centre to classify.
    public var isSelfService: Bool {
        switch self {
        case .web, .app, .wechat, .sms, .mailbox, .open311: true
        case .phone, .other: false
        }
    }
}

/// What the caller asks for (诉求类型).
public enum RequestKind: String, Sendable, Codable, CaseIterable {
    case consultation, help, complaint, report, suggestion, praise

    public var chineseName: String {
        switch self {
        case .consultation: "咨询"
        case .help: "求助"
        case .complaint: "投诉"
        case .report: "举报"
        case .suggestion: "建议"
        case .praise: "表扬"
        }
    }
}

/// Whether the caller is a person or a business (个人 / 企业).
public enum CallerType: String, Sendable, Codable, CaseIterable {
    case individual, enterprise
}

/// Lanes that change how an order is handled (绿色通道, 营商环境).
public enum Lane: String, Sendable, Codable, CaseIterable, Comparable {
    /// 绿色通道: urgent livelihood matters such as water, power, gas or heating outages.
    case urgentLivelihood = "urgent_livelihood"
    /// 营商环境: requests from enterprises about the business environment.
    case businessEnvironment = "business_environment"

    public var chineseName: String {
        switch self {
        case .urgentLivelihood: "绿色通道"
        case .businessEnvironment: "营商环境"
        }
    }

    public static func < (lhs: Lane, rhs: Lane) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A unit's identifier in the unit tree, e.g. `dept-housing` or `dist-jiangcheng`.
public typealias UnitID = String

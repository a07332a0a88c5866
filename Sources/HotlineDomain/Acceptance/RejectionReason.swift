/// Why a request is not accepted (不予受理), from the closed list in the hotline regulations.
public enum RejectionReason: String, Sendable, Codable, CaseIterable {
    /// Crimes and threats to public order: call 110.
    case emergencyPolice = "emergency_110"
    /// Fire: call 119.
    case emergencyFire = "emergency_119"
    /// Medical emergency: call 120.
    case emergencyMedical = "emergency_120"
    /// Traffic accident: call 122.
    case emergencyTraffic = "emergency_122"
    /// 已进入诉讼程序.
    case litigation
    /// 已进入仲裁程序.
    case arbitration
    /// 纪检监察.
    case disciplineInspection = "discipline_inspection"
    /// 行政复议.
    case administrativeReview = "administrative_review"
    /// 政府信息公开.
    case informationDisclosure = "information_disclosure"
    /// 已通过信访渠道提出.
    case petitionFiled = "petition_filed"
    /// 国家秘密、工作秘密、商业秘密.
    case secrets
    /// 个人隐私.
    case privacy
    /// 涉军事项.
    case military
    /// 已作最终答复的同一事实.
    case finalReplyGiven = "final_reply_given"
    /// Another reason, explained in the note.
    case other

    /// The emergency number the caller should use instead, when there is one.
    public var redirectNumber: String? {
        switch self {
        case .emergencyPolice: "110"
        case .emergencyFire: "119"
        case .emergencyMedical: "120"
        case .emergencyTraffic: "122"
        default: nil
        }
    }

    public var chineseName: String {
        switch self {
        case .emergencyPolice: "属于110受理范围"
        case .emergencyFire: "属于119受理范围"
        case .emergencyMedical: "属于120受理范围"
        case .emergencyTraffic: "属于122受理范围"
        case .litigation: "已进入诉讼程序"
        case .arbitration: "已进入仲裁程序"
        case .disciplineInspection: "属于纪检监察事项"
        case .administrativeReview: "已进入行政复议程序"
        case .informationDisclosure: "属于政府信息公开申请事项"
        case .petitionFiled: "已通过信访渠道提出"
        case .secrets: "涉及国家秘密、工作秘密或商业秘密"
        case .privacy: "涉及个人隐私"
        case .military: "涉及军事事项"
        case .finalReplyGiven: "同一事实已作最终答复"
        case .other: "其他不予受理情形"
        }
    }

    /// What the agent tells the caller.
    public var answer: String {
        if let number = redirectNumber {
            return "您反映的情况属于紧急事项，请立即拨打\(number)。"
        }
        switch self {
        case .litigation, .arbitration, .administrativeReview:
            return "该事项已进入法定程序，请按相应法定途径办理。"
        case .disciplineInspection:
            return "请向纪检监察机关反映。"
        case .informationDisclosure:
            return "请按政府信息公开的规定向相关机关提出申请。"
        case .petitionFiled:
            return "该事项已通过信访渠道提出，请关注信访部门的处理结果。"
        case .finalReplyGiven:
            return "该诉求的同一事实已作最终答复，热线不再重复受理。"
        default:
            return "该事项不属于12345热线受理范围。"
        }
    }
}

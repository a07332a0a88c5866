/// A first screen of a request's text against the acceptance rules (受理范围): cues that suggest an
/// emergency number or a procedure that excludes the hotline. Agents decide; this only warns.
public enum AcceptanceScreen {
    static let cues: [(RejectionReason, [String])] = [
        (.emergencyFire, ["着火", "起火", "火灾", "失火", "冒烟", "燃气泄漏", "煤气泄漏", "天然气泄漏", "闻到煤气", "闻到燃气", "爆炸"]),
        (.emergencyMedical, ["晕倒", "昏迷", "急救", "大出血", "心脏病发", "呼吸困难", "不省人事", "抽搐", "受了重伤"]),
        (.emergencyTraffic, ["车祸", "交通事故", "撞车", "追尾", "被车撞"]),
        (.emergencyPolice, ["抢劫", "打架斗殴", "持刀", "绑架", "正在偷", "有人砍", "入室盗窃", "家暴", "正在打人"]),
        (.litigation, ["已起诉", "已经起诉", "法院已立案", "诉讼中"]),
        (.arbitration, ["仲裁中", "已申请仲裁", "劳动仲裁已"]),
        (.petitionFiled, ["已信访", "已经信访", "信访局已"]),
        (.informationDisclosure, ["申请信息公开", "依申请公开"]),
    ]

    /// Whether a reason is an emergency to hand over at once (119, 120, 110, 122).
    public static func isEmergency(_ reason: RejectionReason) -> Bool { reason.redirectNumber != nil }

    /// Reasons whose cues appear in `text`, in the order of the list above.
    public static func warnings(for text: String) -> [RejectionReason] {
        cues.compactMap { reason, words in words.contains(where: text.contains) ? reason : nil }
    }
}

import Testing

@testable import HotlineText

/// Background requests that come in evenly every day, the same mix before and in the window.
private let everyday = [
    "小区路灯不亮晚上出行不便", "公交车班次太少等车时间长", "咨询社保卡补办需要什么材料", "楼上住户装修噪音太大",
    "路边垃圾无人清运气味难闻", "咨询孩子入学户籍要求", "小区物业收费不合理", "道路井盖破损存在安全隐患",
    "咨询公积金提取流程", "菜市场占道经营影响交通", "医保报销比例咨询", "自来水水压不足高层用不上水",
]

/// Ten requests a day for 60 days, cycling through `everyday`, ids b0, b1, …
private func background(days: ClosedRange<Int>) -> [TopicMessage] {
    var out: [TopicMessage] = []
    for day in days {
        for k in 0..<10 {
            let n = out.count
            out.append(TopicMessage(id: "b\(n)", text: everyday[(day * 7 + k) % everyday.count], day: day, district: k % 2 == 0 ? "东湖区" : "西山区"))
        }
    }
    return out
}

private let start = TopicDay.day(year: 2024, month: 3, day: 1)

@Test func aPlantedBurstIsFoundWithExactlyItsRequests() throws {
    var messages = background(days: start...(start + 59))
    let planted = [
        "翠湖花园旁边工地夜间施工噪音扰民", "投诉翠湖花园附近工地半夜施工", "翠湖花园工地夜间施工严重影响睡眠",
        "翠湖花园附近工地夜间施工噪音太大", "翠湖花园旁工地夜里还在施工", "再次投诉翠湖花园工地夜间施工扰民",
        "翠湖花园小区旁工地夜间施工噪音", "翠湖花园工地施工噪音扰民", "翠湖花园附近夜间施工能不能管管",
    ]
    var ids: [String] = []
    for (k, text) in planted.enumerated() {
        ids.append("p\(k)")
        messages.append(TopicMessage(id: "p\(k)", text: text, day: start + 53 + k % 7, district: "东湖区"))
    }
    let topics = TopicDetector().detect(messages, window: (start + 53)...(start + 59))
    let top = try #require(topics.first)
    #expect(top.label.contains("翠湖花园"))
    #expect(Set(top.ids) == Set(ids))
    #expect(top.scope == .city)
    #expect(top.terms.contains("翠湖花园"))
    #expect(top.baselineCount == 0)
    #expect(top.places == [HotTopic.Place(name: "东湖区", count: 9)])
    #expect(top.trend.reduce(0, +) == 9)
    #expect(topics.count == 1)
}

@Test func nothingRisesWhenTheWindowLooksLikeItsPast() {
    let messages = background(days: start...(start + 59))
    #expect(TopicDetector().detect(messages, window: (start + 53)...(start + 59)).isEmpty)
}

@Test func aBurstBelowTheMinimumSizeIsNoTopic() {
    var messages = background(days: start...(start + 59))
    for k in 0..<4 { messages.append(TopicMessage(id: "p\(k)", text: "翠湖花园工地夜间施工噪音扰民", day: start + 55 + k)) }
    #expect(TopicDetector(thresholds: TopicThresholds(minSize: 5)).detect(messages, window: (start + 53)...(start + 59)).isEmpty)
    #expect(TopicDetector(thresholds: TopicThresholds(minSize: 4)).detect(messages, window: (start + 53)...(start + 59)).count == 1)
}

@Test func aTermAlreadyCommonBeforeTheWindowDoesNotRise() {
    // 路灯 is in the window as often as before it, so three more lamp requests are not a topic at ratio 3.
    var messages = background(days: start...(start + 59))
    for k in 0..<6 { messages.append(TopicMessage(id: "x\(k)", text: "小区路灯不亮晚上出行不便", day: start + 54 + k)) }
    #expect(TopicDetector().detect(messages, window: (start + 53)...(start + 59)).isEmpty)
}

@Test func aDistrictsOwnBurstIsScopedToIt() throws {
    // Parking is an everyday matter in 东湖区 and new in 西山区: city-wide it barely rises, against 西山区's own past it does.
    var messages = background(days: start...(start + 59))
    for day in start...(start + 59) {
        for k in 0..<3 { messages.append(TopicMessage(id: "e\(day)-\(k)", text: "小区停车位紧张停车难", day: day, district: "东湖区")) }
    }
    for k in 0..<6 {
        messages.append(TopicMessage(id: "w\(k)", text: "小区停车位紧张停车难", day: start + 54 + k, district: "西山区"))
    }
    let topics = TopicDetector().detect(messages, window: (start + 53)...(start + 59))
    let west = try #require(topics.first { $0.scope == .district("西山区") })
    #expect(Set(west.ids) == Set((0..<6).map { "w\($0)" }))
    #expect(!topics.contains { $0.scope == .city })
}

@Test func topicDaysRoundTrip() {
    #expect(TopicDay.parse("1970-01-01") == 0)
    #expect(TopicDay.parse("2019-08-23 12:22:00") == TopicDay.day(year: 2019, month: 8, day: 23))
    #expect(TopicDay.format(TopicDay.parse("2024-02-29")!) == "2024-02-29")
    #expect(TopicDay.parse("2019-13-01") == nil)
    #expect(TopicDay.parse("yesterday") == nil)
}

@Test func thresholdsOutOfRangeNameTheirField() {
    #expect(TopicThresholds(minSize: 1).problem?.field == "min_size")
    #expect(TopicThresholds(minRatio: 0.5).problem?.field == "min_ratio")
    #expect(TopicThresholds(coverage: 0).problem?.field == "coverage")
    #expect(TopicThresholds(baselineDays: 0).problem?.field == "baseline_days")
    #expect(TopicThresholds().problem == nil)
}

@Test func oneCallersRepeatedRequestsCountOnce() {
    // Six requests about a new matter: from one caller they are one voice, below the minimum of five; from six callers a topic.
    let texts = ["翠湖花园工地夜间施工噪音扰民", "投诉翠湖花园附近工地半夜施工", "翠湖花园工地夜间施工严重影响睡眠",
                 "翠湖花园附近工地夜间施工噪音太大", "翠湖花园旁工地夜里还在施工", "再次投诉翠湖花园工地夜间施工扰民"]
    func detect(callers: (Int) -> String) -> [HotTopic] {
        var messages = background(days: start...(start + 59))
        for (k, text) in texts.enumerated() {
            messages.append(TopicMessage(id: "p\(k)", text: text, day: start + 54 + k, caller: callers(k)))
        }
        return TopicDetector().detect(messages, window: (start + 53)...(start + 59))
    }
    #expect(detect { _ in "13800000001" }.isEmpty)
    #expect(detect { "1380000000\($0)" }.map(\.ids) == [(0..<6).map { "p\($0)" }])
}

@Test func aLongLetterSentAgainCountsOnce() {
    // With no caller known, the same long letter five times over (only its last words changed) is one voice; five
    // different long letters about the same works are five.
    let same = "尊敬的领导您好我是翠湖花园的业主小区旁边的工地从今年三月开始每天晚上十点以后还在浇筑混凝土搅拌机和运输车辆的声音"
        + "非常大严重影响了周边居民的休息老人和孩子整夜睡不着觉我们多次向施工单位反映但是没有任何改变恳请有关部门依法查处"
    let different = [
        "翠湖花园工地夜间浇筑混凝土，我家孩子今年高考，每天复习到深夜，外面轰隆隆的机器声让他根本没法集中精神，家长心急如焚，请求尽快制止",
        "翠湖花园工地夜间浇筑混凝土，本人是夜班护士，白天需要补觉，现在昼夜都在施工，身体已经吃不消，多次拨打物业电话也没有人理会",
        "翠湖花园工地夜间浇筑混凝土，泵车停在小区门口占用消防通道，救护车进出非常困难，存在很大安全隐患，希望城管和交警到现场查看",
        "翠湖花园工地夜间浇筑混凝土，渣土车沿途撒漏泥浆，马路上全是污泥，下雨天行人经常滑倒，环卫工人扫都扫不过来，请督促文明施工",
        "翠湖花园工地夜间浇筑混凝土，灯光直射居民卧室，窗帘拉上也挡不住刺眼的强光，老人心脏不好受到惊吓住进了医院，请相关部门主持公道",
    ]
    func detect(_ texts: [String]) -> [HotTopic] {
        var messages = background(days: start...(start + 59))
        for (k, text) in texts.enumerated() { messages.append(TopicMessage(id: "p\(k)", text: text, day: start + 54 + k)) }
        return TopicDetector().detect(messages, window: (start + 53)...(start + 59))
    }
    #expect(detect((1...5).map { same + "第\($0)次反映" }).isEmpty)
    #expect(detect(different).map(\.ids) == [(0..<5).map { "p\($0)" }])
}

@Test func aPhraseOfCommonCharactersMakesNoTopic() {
    // Every earlier request closes with 请帮我们解决, so 们 is a common character: six unrelated requests that happen to
    // share 我们的 (never written before) are not a topic, while six that share a new estate's name are.
    let closer = "，请帮我们解决"
    let openings = ["孩子上学难", "楼道很脏没人扫", "电梯坏了三天", "水表走得太快", "路灯晚上不亮", "邻居半夜吵闹"]
    func detect(shared: String) -> [HotTopic] {
        var messages = background(days: start...(start + 59)).map { m in
            var m = m
            m.text += closer
            return m
        }
        for (k, text) in openings.enumerated() {
            messages.append(TopicMessage(id: "p\(k)", text: shared + text + closer, day: start + 54 + k))
        }
        return TopicDetector().detect(messages, window: (start + 53)...(start + 59))
    }
    #expect(detect(shared: "我们的").isEmpty)
    #expect(detect(shared: "锦绣华庭").first?.label.contains("锦绣华庭") == true)
}

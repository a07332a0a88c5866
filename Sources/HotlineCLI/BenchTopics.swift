import ArgumentParser
import Foundation
import HotlineText

/// `hotline bench-topics`: hot-topic detection on generated data with planted bursts. Background messages are real
/// texts drawn at random over `--days` days (so nothing in them rises but chance); each burst is a made-up estate with a
/// made-up nuisance, reported in many wordings during the last week. Prints whether each burst surfaces among the top
/// topics with the share of its rows found (recall) and of the topic's rows that are planted (precision), and the time.
struct BenchTopics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-topics", abstract: "Measure hot-topic detection on generated messages with planted bursts.")

    @Option(help: "CSV file of real messages drawn as the background.") var background: String
    @Option(help: "Column(s) holding the background text.") var textColumn: String = "text"
    @Option(help: "How many background messages to generate.") var messages: Int = 100_000
    @Option(help: "Over how many days (the last 7 are the window).") var days: Int = 120
    @Option(help: "How many bursts to plant in the window.") var bursts: Int = 5
    @Option(help: "Random seed.") var seed: UInt64 = 12345
    @Option(help: "Also write the generated messages as CSV (id,text,created_at) for `hotline topics`.") var write: String?
    @Option(help: "How many topics count as surfaced.") var top: Int = 10
    @OptionGroup var settings: TopicSettings

    static let estates = ["翠湖花园", "金桂苑", "锦绣华庭", "梧桐新村", "望江名邸", "南湖春晓", "枫林雅居", "香樟公馆", "云栖山庄", "鹭岛家园"]
    static let nuisances = [
        ["旁边工地夜间施工", "噪音扰民", "半夜还在打桩"], ["楼下烧烤店油烟", "油烟直排", "熏得没法开窗"],
        ["小区停水", "连续几天没有水", "自来水一直不来"], ["地下车库积水", "车库被淹", "积水排不出去"],
        ["电梯频繁故障", "电梯困人", "电梯停运没人修"], ["垃圾中转站臭味", "臭气熏天", "垃圾站味道太大"],
        ["物业强制收取停车费", "停车费涨价", "不交停车费不让进"], ["开发商延期交房", "迟迟不交房", "交房日期一拖再拖"],
        ["附近KTV深夜噪音", "唱歌到凌晨", "音响声音太大"], ["燃气管道漏气", "闻到燃气味", "燃气泄漏很危险"],
    ]
    static let openers = ["投诉", "反映", "举报", "请求处理", "关于", "强烈要求解决", "", "市民反映"]
    static let closers = ["，请相关部门尽快处理", "，希望政府管一管", "，已经影响正常生活", "", "，多次反映无果", "，请尽快答复"]

    func run() throws {
        guard bursts <= Self.estates.count, days > 14, messages > 0 else { throw ValidationError("--bursts up to 10, --days over 14") }
        let text: String
        do { text = try String(contentsOfFile: background, encoding: .utf8) } catch { throw ValidationError("cannot read \(background)") }
        let table = try CSVTable(parsing: text)
        let columns = try textColumn.split(separator: ",").map { try table.column(String($0)) }
        let pool = (0..<table.rows.count).map { i in columns.map { $0[i] }.joined(separator: " ") }.filter { !$0.isEmpty }
        guard !pool.isEmpty else { throw ValidationError("no background text in \(background)") }

        var random = SplitMix64(seed: seed)
        let first = TopicDay.day(year: 2024, month: 1, day: 1), last = first + days - 1
        var rows: [TopicMessage] = []
        rows.reserveCapacity(messages + bursts * 80)
        for n in 0..<messages {
            // Background messages open and close the way the bursts do, so that only what a burst is about rises.
            let text = Self.openers[Int(random.next() % UInt64(Self.openers.count))] + pool[Int(random.next() % UInt64(pool.count))]
                + Self.closers[Int(random.next() % UInt64(Self.closers.count))]
            rows.append(TopicMessage(id: "m\(n)", text: text, day: first + Int(random.next() % UInt64(days))))
        }
        var planted: [String: Set<String>] = [:]
        for b in 0..<bursts {
            let estate = Self.estates[b], nuisance = Self.nuisances[b]
            let size = 20 + Int(random.next() % 41)
            for k in 0..<size {
                let pick = { (list: [String]) in list[Int(random.next() % UInt64(list.count))] }
                let body = pick(Self.openers) + estate + pick(nuisance) + "，" + pick(nuisance) + pick(Self.closers)
                let id = "burst\(b)-\(k)"
                rows.append(TopicMessage(id: id, text: body, day: last - Int(random.next() % 7)))
                planted[estate, default: []].insert(id)
            }
        }
        if let write {
            var out = "id,text,created_at\n"
            for r in rows { out += CSVTable.line([r.id, r.text, TopicDay.format(r.day)]) + "\n" }
            try out.write(toFile: write, atomically: true, encoding: .utf8)
            progress("wrote \(rows.count) messages to \(write); window \(TopicDay.format(last - 6))…\(TopicDay.format(last))")
        }

        let started = Date()
        let topics = Array(try settings.detector(limit: top).detect(rows, window: (last - 6)...last, scoped: false).prefix(top))
        let seconds = Date().timeIntervalSince(started)
        var found = 0
        for (estate, ids) in planted.sorted(by: { $0.key < $1.key }) {
            let best = topics.enumerated().max { a, b in a.element.ids.filter(ids.contains).count < b.element.ids.filter(ids.contains).count }
            let hits = best.map { $0.element.ids.filter(ids.contains).count } ?? 0
            if best != nil, hits * 5 >= ids.count * 4 { found += 1 }
            print(String(format: "%@ (%d rows): %@", estate, ids.count,
                         best.map { String(format: "rank %d「%@」recall %.2f precision %.2f", $0.offset + 1, $0.element.label, Double(hits) / Double(ids.count), Double(hits) / Double(max($0.element.size, 1))) } ?? "not found"))
        }
        let plantedTopics = topics.filter { t in planted.values.contains { ids in t.ids.filter(ids.contains).count * 2 > t.size } }.count
        print(String(format: "%d messages over %d days: %d of %d bursts surfaced (≥ 80%% of their rows in one topic); %d of the top %d topics are planted; detection %.2f s",
                     rows.count, days, found, bursts, plantedTopics, topics.count, seconds))
        for (n, t) in topics.enumerated() { print(TopicReport.text(t, rank: n + 1).split(separator: "\n").prefix(2).joined(separator: "\n")) }
    }
}

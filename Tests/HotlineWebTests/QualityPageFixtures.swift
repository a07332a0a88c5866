import Foundation
import HotlineDomain

@testable import HotlineWeb

// Fixtures of the quality pages (质检) for the snapshot tests.

extension PageUser {
    static let inspectorFixture = PageUser(
        displayName: "质检员 冯雪", roleName: "质检员", unitName: "江州市12345政务服务便民热线中心", csrf: "fixture-csrf", links: links(for: .qualityInspector))
    static let agentFixture = PageUser(
        displayName: "话务员 王丽", roleName: "话务员", unitName: "江州市12345政务服务便民热线中心", csrf: "fixture-csrf", links: links(for: .agent))
}

extension QualityRow {
    static let scored = QualityRow(
        href: "/quality/inspections/7", kind: "工单", target: "工单 20250303000001", at: "2025-03-03 09:30", agent: "话务员 王丽", inspector: "质检员 冯雪",
        score: "65分", grade: "合格", status: "申诉中", statusStyle: "quality-appealed")
    static let pending = QualityRow(
        href: "/quality/inspections/8", kind: "通话", target: "通话", at: "2025-03-03 10:05", agent: "话务员 李强", inspector: "—", score: "—", grade: "—",
        status: "待评分", statusStyle: "quality-pending")
}

extension QualityBatchesPage {
    static let fixture = QualityBatchesPage(
        user: .inspectorFixture, tabs: QualityTab.tabs(for: .qualityInspector, current: WebRoutes.qualityBatches), notice: nil,
        error: "抽检通话数：应在0到200之间",
        rules: QualitySamplingRule.allCases.map { PageOption(value: $0.rawValue, label: $0.chineseName, selected: $0 == .longCalls) }, calls: "500",
        orders: "0", from: "2025-02-25", to: "2025-03-03", seed: "", threshold: "600",
        agents: [PageOption(value: "", label: "（指定坐席时选择）", selected: true), PageOption(value: "agent", label: "话务员 王丽")],
        rows: [
            .init(
                href: "/quality/batches/2", label: "第2批", created: "2025-03-03 10:00", rule: "长通话（超过600秒）", period: "2025-02-25 至 2025-03-03",
                drawn: "3条", seed: "42", by: "质检员 冯雪"),
            .init(
                href: "/quality/batches/1", label: "第1批", created: "2025-03-02 16:00", rule: "随机抽检", period: "2025-02-24 至 2025-03-02", drawn: "10条",
                seed: "731905", by: "质检员 冯雪"),
        ], page: 1, previous: nil, next: nil)
}

extension QualityBatchPage {
    static let fixture = QualityBatchPage(
        title: "抽检批次", user: .inspectorFixture, tabs: QualityTab.tabs(for: .qualityInspector, current: WebRoutes.qualityBatches),
        notice: "抽检批次已生成，请逐条评分。", heading: "第2批抽检",
        facts: [
            .init(label: "抽检方式", value: "随机抽检"), .init(label: "抽检期间", value: "2025-02-25 至 2025-03-03"), .init(label: "抽取", value: "2条（已评分1条）"),
            .init(label: "随机种子", value: "42"),
        ], rows: [.scored, .pending], hasRows: true)
}

extension QualityInspectionPage {
    static func items(input: Bool) -> [Item] {
        QualityFormContent.standard.items.enumerated().map { n, item in
            Item(
                index: n, number: n + 1, name: item.name, weight: item.weight, guide: item.guide, fatal: item.fatal, score: String(item.weight - 3),
                rescore: input ? nil : String(item.weight), comment: n == 1 ? "政策时限答复有误" : "", input: input ? String(item.weight - 3) : "",
                commentInput: "")
        }
    }

    static let appealedFixture = QualityInspectionPage(
        title: "质检记录", user: .supervisorFixture, tabs: QualityTab.tabs(for: .supervisor, current: ""), notice: nil, error: "理由：驳回申诉须说明理由，不能为空",
        heading: "通话质检 · 2025-03-03 09:30", status: "申诉中", statusStyle: "quality-appealed",
        target: [
            .init(label: "坐席", value: "话务员 王丽"), .init(label: "来电号码", value: "138****5678"), .init(label: "通话时长", value: "12分30秒"),
            .init(label: "转接", value: "无"),
        ], orderHref: nil, formName: "12345热线通话质检评分表（第1版）", items: items(input: true), total: "85分", grade: "合格", fatalMiss: false,
        overall: "答复基本准确，结束语不完整。", rescoreTotal: nil, rescoreGrade: nil, rescoreOverall: nil,
        progress: [
            .init(label: "评分", value: "质检员 冯雪，2025-03-03 11:00"), .init(label: "申诉", value: "话务员 王丽，2025-03-03 15:00：政策依据已更新"),
        ], scoreAction: nil, overallInput: "", acknowledgeAction: nil, appealAction: nil, appealUntil: "2025-03-10 11:00", appealClosed: false,
        decideAction: "/quality/inspections/7", noForm: false)

    static let upheldFixture = QualityInspectionPage(
        title: "质检记录", user: .agentFixture, tabs: QualityTab.tabs(for: .agent, current: ""), notice: "申诉已提交，等待督办员裁定。", error: nil,
        heading: "工单质检 · 2025-03-03 09:30", status: "申诉成立", statusStyle: "quality-upheld",
        target: [
            .init(label: "坐席", value: "话务员 王丽"), .init(label: "工单编号", value: "20250303000001"), .init(label: "标题", value: "幸福路路灯不亮"),
        ], orderHref: "/orders/20250303000001", formName: "12345热线通话质检评分表（第1版）", items: items(input: false), total: "85分", grade: "合格",
        fatalMiss: false, overall: "答复基本准确。", rescoreTotal: "100分", rescoreGrade: "优秀", rescoreOverall: "政策依据核实无误",
        progress: [.init(label: "裁定", value: "督办员 周涛，2025-03-04 09:00：申诉成立，重新评分100分")], scoreAction: nil, overallInput: "",
        acknowledgeAction: nil, appealAction: nil, appealUntil: nil, appealClosed: false, decideAction: nil, noForm: false)

    static let scoringFixture = QualityInspectionPage(
        title: "质检记录", user: .inspectorFixture, tabs: QualityTab.tabs(for: .qualityInspector, current: ""), notice: nil,
        error: "得分：「答复准确性」的得分应在0到30之间", heading: "通话质检 · 2025-03-03 09:30", status: "待评分", statusStyle: "quality-pending",
        target: [.init(label: "坐席", value: "话务员 王丽"), .init(label: "来电号码", value: "138****5678")], orderHref: nil,
        formName: "12345热线通话质检评分表（第1版）", items: items(input: true), total: nil, grade: nil, fatalMiss: false, overall: nil, rescoreTotal: nil,
        rescoreGrade: nil, rescoreOverall: nil, progress: [], scoreAction: "/quality/inspections/8/score", overallInput: "语气平和", acknowledgeAction: nil,
        appealAction: nil, appealUntil: nil, appealClosed: false, decideAction: nil, noForm: false)
}

extension QualityListPage {
    static let fixture = QualityListPage(
        title: "我的质检", user: .agentFixture, tabs: QualityTab.tabs(for: .agent, current: WebRoutes.qualityMine), notice: nil, heading: "我的质检",
        lead: "质检员对你的通话和工单的评分。", rows: [.scored], hasRows: true, emptyText: "还没有你的质检记录。", page: 1, previous: nil, next: nil)
}

extension QualityFormPage {
    static let fixture = QualityFormPage(
        title: "12345热线通话质检评分表", user: .adminFixture, tabs: QualityTab.tabs(for: .admin, current: WebRoutes.qualityForms), notice: nil,
        error: "评分项：各项分值之和应为100分，现为95分", heading: "12345热线通话质检评分表", isEditor: true, action: "/quality/forms/1",
        name: "12345热线通话质检评分表",
        items: QualityFormContent.standard.items.enumerated().map { n, item in
            .init(index: n, number: n + 1, name: item.name, weight: String(item.weight), guide: item.guide, fatal: item.fatal)
        } + [.init(index: 5, number: 6, name: "", weight: "", guide: "", fatal: false)],
        versions: [.init(version: "第1版", at: "2025-03-01 09:00", who: "系统管理员", summary: "开头语和结束语10分、答复准确性30分（致命项）")])
}

extension QualityTrendsPage {
    static let fixture: QualityTrendsPage = {
        var weeks = [QualityFigures](repeating: QualityFigures(), count: 12)
        weeks[10].add(QualityFact(agentID: "agent", scoredAt: Date(), total: 70, appealed: true, upheld: true))
        weeks[11].add(QualityFact(agentID: "agent", scoredAt: Date(), total: 90, appealed: false, upheld: false))
        let labels = ["12-16", "12-23", "12-30", "01-06", "01-13", "01-20", "01-27", "02-03", "02-10", "02-17", "02-24", "03-03"]
        return QualityTrendsPage(
            user: .supervisorFixture, tabs: QualityTab.tabs(for: .supervisor, current: WebRoutes.qualityTrends),
            chart: LineChart(
                title: "近12周质检平均分与合格率", labels: labels,
                series: [.init(name: "平均分", values: weeks.map { $0.averageScore.map { $0 / 100 } }, style: "series-1")]).svg,
            weeks: labels,
            overall: [
                .init(name: "2025-03-03 起", inspections: "1", average: "90.0", passRate: "100.0%", appeals: "0", upheld: "0", weekly: []),
                .init(name: "2025-02-24 起", inspections: "1", average: "70.0", passRate: "100.0%", appeals: "1", upheld: "1", weekly: []),
            ],
            agents: [
                .init(
                    name: "话务员 王丽", inspections: "2", average: "80.0", passRate: "100.0%", appeals: "1", upheld: "1",
                    weekly: Array(repeating: "—", count: 10) + ["70.0", "90.0"])
            ], teams: [], hasTeams: false)
    }()
}

import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import Hummingbird

/// 知识库 list: the search box, the category tree, and the editors' status filter and own drafts.
extension PageController {
    func knowledgeList(_ s: Signed, _ params: Parameters) async throws -> KnowledgeListPage {
        let editor = Capability.manageKnowledge.isAllowed(for: s.user.role)
        let query = (params.get("q") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let category = params.get("category").flatMap { $0.isEmpty ? nil : $0 }
        let status = try params.get("status").flatMap { $0.isEmpty ? nil : $0 }.map { text in
            guard let s = KnowledgeStatus(rawValue: text) else { throw APIError(.unprocessableContent, code: "invalid_field", message: "状态：未知的状态") }
            return s
        }
        let mine = params.get("mine") == "true"
        let page =
            try params.get("page").map { text in
                guard let n = Int(text), n >= 1 else { throw APIError(.unprocessableContent, code: "invalid_field", message: "页码：应为正整数") }
                return n
            } ?? 1
        let listing: KnowledgeDesk.Listing
        do {
            listing = try await app.knowledge.browse(
                .init(query: query, categoryCode: category, status: status, mine: mine, page: page), for: s.user, now: clock())
        } catch {
            let e = APIError.from(error)
            throw e.field == nil ? e : APIError(e.status, code: e.code, message: KnowledgeLabels.message(e))
        }
        let now = clock()
        let paths = categoryPaths()
        let rows = listing.entries.map { item in
            let shown = KnowledgeListPage.status(item.stored, content: item.content, editor: editor, now: now)
            return KnowledgeListPage.Row(
                title: item.content.title, href: WebRoutes.knowledgeEntry(String(item.stored.entry.id)), snippet: item.snippet,
                excerpt: String(item.content.answer.prefix(60)) + (item.content.answer.count > 60 ? "…" : ""),
                category: item.content.categoryCode.map { paths[$0] ?? $0 } ?? "未分类",
                unit: item.content.unitID.map { services.reference.unitName($0) ?? $0 } ?? "—",
                effective: KnowledgeListPage.day(item.content.effectiveFrom, none: "即日起"),
                expires: KnowledgeListPage.day(item.content.expiresAt, none: "长期有效"), status: shown.label, statusStyle: shown.style)
        }
        func link(_ q: String?, _ c: String?, _ st: KnowledgeStatus?, _ m: Bool, page: Int? = nil) -> String {
            WebRoutes.knowledgeList(query: q, category: c, status: st, mine: m, page: page)
        }
        // The category tree: the path down to the chosen category, and the categories one level below it.
        let nodes = services.reference.categories
        var trail: [CategoryNode] = []
        var cursor = category.flatMap { c in nodes.first { $0.code == c } }
        while let n = cursor {
            trail.insert(n, at: 0)
            cursor = n.parentCode.flatMap { p in nodes.first { $0.code == p } }
        }
        let breadcrumb =
            [KnowledgeLink(label: "全部分类", href: link(query, nil, status, mine), current: category == nil)]
            + trail.map { KnowledgeLink(label: $0.name, href: link(query, $0.code, status, mine), current: $0.code == category) }
        let children = nodes.filter { $0.parentCode == category }.map { KnowledgeLink(label: $0.name, href: link(query, $0.code, status, mine)) }
        var tabs: [KnowledgeLink] = []
        var counts: [KnowledgeStatus: Int] = [:]
        if editor {
            counts = try await app.knowledge.statusCounts(for: s.user)
            tabs.append(
                KnowledgeLink(label: "全部 \(counts.values.reduce(0, +))", href: link(nil, category, nil, false), current: status == nil && !mine))
            for st in KnowledgeStatus.allCases {
                tabs.append(
                    KnowledgeLink(label: "\(st.chineseName) \(counts[st] ?? 0)", href: link(nil, category, st, false), current: status == st && !mine)
                )
            }
            tabs.append(KnowledgeLink(label: "我的草稿", href: link(nil, category, .draft, true), current: status == .draft && mine))
        }
        let lead: String
        if listing.ranked {
            lead =
                "按与检索词的相关程度排序（与受理时的知识推荐相同），只检索已发布且在有效期内的知识。"
                + (editor ? "草稿、待审核和已下线的条目请先选择状态再检索。" : "")
        } else if editor {
            // A home tile's count is the total of the list it opens (知识待审核, 知识草稿).
            let total = status.flatMap { st in query.isEmpty && category == nil && !mine ? counts[st] ?? 0 : nil }
            lead = (total.map { "共 \($0) 条。" } ?? "") + "最新创建的条目在前。" + (query.isEmpty ? "" : "按标题、问法、答案和关键词中的文字查找。")
        } else {
            lead = "已发布的知识，最新的在前。点击标题查看完整答案。"
        }
        return KnowledgeListPage(
            user: pageUser(s), heading: KnowledgeListPage.heading(query: query, status: status, mine: mine, categoryName: trail.last?.name),
            notice: nil,
            lead: lead, query: query, categories: categoryOptions(selected: category, none: "全部分类", depth: 2, paths: paths), isEditor: editor,
            statuses: [PageOption(value: "", label: "全部状态", selected: status == nil)]
                + KnowledgeStatus.allCases.map { PageOption(value: $0.rawValue, label: $0.chineseName, selected: $0 == status) },
            mine: mine, statusTabs: tabs, breadcrumb: breadcrumb, subcategories: children, hasSubcategories: !children.isEmpty, rows: rows,
            emptyText: query.isEmpty ? "没有符合条件的知识条目。" : "没有找到与「\(query)」相关的知识。", page: page,
            previous: page > 1 ? link(query, category, status, mine, page: page - 1) : nil,
            next: listing.hasMore ? link(query, category, status, mine, page: page + 1) : nil,
            newHref: WebRoutes.knowledgeNew, importHref: WebRoutes.knowledgeImport)
    }
}

import Foundation
import HotlineDomain
import HotlineStorage

/// The services Open311 offers, read from the category tree (事项分类) as it stands: every category in service with
/// nothing below it is a service, its code the `service_code`, its top-level category the `group`. Every service has
/// the same three attributes, so `metadata` is true throughout: the request kind (诉求类型, defaulting per category),
/// the caller type (个人/企业) and the district (区县) the matter lies in.
struct Open311Catalogue {
    let reference: ReferenceData

    enum AttributeCode {
        static let kind = "kind"
        static let callerType = "caller_type"
        static let district = "district"
    }

    /// The services in code order.
    var services: [Open311View.Service] {
        let nodes = reference.categories
        let parents = Set(nodes.compactMap(\.parentCode))
        return nodes.filter { !$0.retired && !parents.contains($0.code) }.map(service)
    }

    /// The service with this code: a category in service with nothing below it.
    func service(_ code: String) -> Open311View.Service? {
        let nodes = reference.categories
        guard let node = nodes.first(where: { $0.code == code }), !node.retired, !nodes.contains(where: { $0.parentCode == code }) else { return nil }
        return service(node)
    }

    func service(_ node: CategoryNode) -> Open311View.Service {
        let path = names(of: node.code)
        return Open311View.Service(
            code: node.code, name: node.name, description: reference.categoryPath(node.code), metadata: true,
            keywords: path.joined(separator: ","), group: path.first)
    }

    /// The names from the top-level category down to `code`.
    func names(of code: String) -> [String] {
        reference.context.categoryTree.lineage(of: code).reversed().compactMap(reference.categoryName)
    }

    func definition(_ code: String) -> Open311View.ServiceDefinition? {
        guard service(code) != nil else { return nil }
        let kind = Self.defaultKind(forPath: names(of: code))
        var attributes = [
            Open311View.Attribute(
                code: AttributeCode.kind, datatype: .singlevaluelist, required: false, datatypeDescription: "不填时按“\(kind.chineseName)”受理",
                order: 1, description: "诉求类型", values: RequestKind.allCases.map { ($0.rawValue, $0.chineseName) }),
            Open311View.Attribute(
                code: AttributeCode.callerType, datatype: .singlevaluelist, required: false, datatypeDescription: "不填时按个人受理",
                order: 2, description: "反映人类型（企业的诉求进入营商环境通道）",
                values: [(CallerType.individual.rawValue, "个人"), (CallerType.enterprise.rawValue, "企业")]),
        ]
        let districts = reference.districts
        if !districts.isEmpty {
            attributes.append(
                Open311View.Attribute(
                    code: AttributeCode.district, datatype: .singlevaluelist, required: false, datatypeDescription: "帮助派往所在区县",
                    order: 3, description: "事发地所在区县", values: districts.map { ($0, $0) }))
        }
        return Open311View.ServiceDefinition(code: code, attributes: attributes)
    }

    /// The request kind a category's requests usually are, from the words of its names (nearest category first): what
    /// an Open311 request without a `kind` attribute is taken as. Most services report a problem to be fixed: 求助.
    static func defaultKind(forPath names: [String]) -> RequestKind {
        let rules: [(words: [String], kind: RequestKind)] = [
            (["表扬", "感谢"], .praise), (["建议"], .suggestion), (["举报", "违法", "违规", "非法"], .report),
            (["投诉"], .complaint), (["咨询", "政策"], .consultation),
        ]
        for name in names.reversed() {
            if let rule = rules.first(where: { $0.words.contains(where: name.contains) }) { return rule.kind }
        }
        return .help
    }
}

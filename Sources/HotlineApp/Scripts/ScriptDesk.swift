import Foundation
import HotlineDomain
import HotlineStorage

/// The reply-script use cases (话术库): editors and admins write, edit, retire and restore scripts, each change a
/// version in the script's history; agents, dispatchers and quality inspectors read them, and the intake desk shows the
/// scripts for the matter being typed beside the knowledge suggestions.
public struct ScriptDesk: Sendable {
    let services: HotlineServices
    var store: ReplyScriptStore { ReplyScriptStore(database: services.database) }

    init(services: HotlineServices) { self.services = services }

    /// A script's wording as editors send it (the API's JSON and the console's form alike).
    public struct Input: Decodable, Sendable, Equatable {
        public var title: String
        public var categoryCode: String?
        public var situation: String
        public var text: String
        public var tags: [String]?

        public init(title: String, categoryCode: String? = nil, situation: String, text: String, tags: [String]? = nil) {
            self.title = title
            self.categoryCode = categoryCode
            self.situation = situation
            self.text = text
            self.tags = tags
        }
    }

    /// Why a script is retired or restored.
    public struct NoteInput: Decodable, Sendable {
        public var reason: String?
        public init(reason: String?) { self.reason = reason }
    }

    /// The input checked against the category tree: the content to store, or the wrong field.
    func content(_ input: Input) throws -> ReplyScriptContent {
        guard let situation = ScriptSituation(rawValue: input.situation.trimmingCharacters(in: .whitespaces)) else {
            throw AppError.invalid(
                field: "situation", message: "应为" + ScriptSituation.allCases.map { "\($0.rawValue)（\($0.chineseName)）" }.joined(separator: "、") + "之一"
            )
        }
        let tree = services.reference.context.categoryTree
        let raw = ReplyScriptContent(
            title: input.title, categoryCode: input.categoryCode, situation: situation, text: input.text, tags: input.tags ?? [])
        switch raw.checked(isCategory: { tree.isOffered($0) }) {
        case .success(let c): return c
        case .failure(let e): throw AppError.invalid(field: e.field, message: e.message)
        }
    }

    /// A new script, in use at once.
    public func create(_ input: Input, by user: UserAccount, at now: Date) async throws -> ReplyScript {
        guard Capability.manageScripts.isAllowed(for: user.role) else { throw AppError.lacks(.manageScripts, role: user.role) }
        return try await store.create(try content(input), by: user.actor, at: now)
    }

    /// New wording for a script (a retired script stays retired until restored).
    public func edit(_ id: Int64, _ input: Input, by user: UserAccount, at now: Date) async throws -> ReplyScript {
        guard Capability.manageScripts.isAllowed(for: user.role) else { throw AppError.lacks(.manageScripts, role: user.role) }
        let content = try content(input)
        guard
            let script = try await store.update(
                id, action: .edit, by: user.actor, at: now, note: nil,
                { s in
                    var next = s
                    next.content = content
                    return next
                })
        else { throw AppError.notFound(what: "话术 \(id) ") }
        return script
    }

    /// Takes a script out of use (停用, a reason required) or back into use (恢复启用, a note optional).
    public func setActive(_ active: Bool, _ id: Int64, _ note: NoteInput, by user: UserAccount, at now: Date) async throws -> ReplyScript {
        guard Capability.manageScripts.isAllowed(for: user.role) else { throw AppError.lacks(.manageScripts, role: user.role) }
        let reason = note.reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if !active, reason.isEmpty { throw AppError.invalid(field: "reason", message: "停用须说明理由，不能为空") }
        guard reason.count <= 200 else { throw AppError.invalid(field: "reason", message: "不能超过200字") }
        guard
            let script = try await store.update(
                id, action: active ? .restore : .retire, by: user.actor, at: now, note: reason.isEmpty ? nil : reason,
                { s in
                    guard s.active != active else {
                        throw AppError.conflict(code: active ? "script_active" : "script_retired", message: active ? "该话术正在使用" : "该话术已停用", field: nil)
                    }
                    var next = s
                    next.active = active
                    return next
                })
        else { throw AppError.notFound(what: "话术 \(id) ") }
        return script
    }

    /// What a list asks for.
    public struct Browse: Sendable, Equatable {
        public var query: String?
        /// A category and everything below it; `general` for the scripts of no matter.
        public var categoryCode: String?
        public var situation: String?
        /// Editors only: `retired` or `all` besides the scripts in use.
        public var state: String?
        /// 1-based.
        public var page = 1
        public var pageSize = 20

        public init(
            query: String? = nil, categoryCode: String? = nil, situation: String? = nil, state: String? = nil, page: Int = 1, pageSize: Int = 20
        ) {
            self.query = query
            self.categoryCode = categoryCode
            self.situation = situation
            self.state = state
            self.page = page
            self.pageSize = pageSize
        }
    }

    /// The category code that stands for the general scripts in a list's filter.
    public static let generalCategory = "general"

    public struct Listing: Sendable {
        public var scripts: [ReplyScript]
        public var hasMore: Bool
    }

    /// A page of scripts for `user`: in use for readers; editors may ask for retired ones too.
    public func browse(_ b: Browse, for user: UserAccount) async throws -> Listing {
        guard Capability.readScripts.isAllowed(for: user.role) else { throw AppError.lacks(.readScripts, role: user.role) }
        let editor = Capability.manageScripts.isAllowed(for: user.role)
        let query = b.query?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard query.count <= 100 else { throw AppError.invalid(field: "q", message: "不能超过100字") }
        guard (1...1000).contains(b.page) else { throw AppError.invalid(field: "page", message: "页码应在1到1000之间") }
        var filter = ScriptFilter(text: query.isEmpty ? nil : query)
        if let code = b.categoryCode, !code.isEmpty {
            if code == Self.generalCategory {
                filter.generalOnly = true
            } else {
                guard services.reference.context.categories.contains(code) else { throw AppError.invalid(field: "category", message: "事项分类不存在") }
                filter.categoryCodes = services.reference.context.categoryTree.subtree(of: code)
            }
        }
        if let text = b.situation, !text.isEmpty {
            guard let s = ScriptSituation(rawValue: text) else { throw AppError.invalid(field: "situation", message: "未知的场景") }
            filter.situation = s
        }
        switch b.state ?? "" {
        case "", "active": filter.active = true
        case "retired", "all":
            guard editor else { throw AppError.lacks(.manageScripts, role: user.role) }
            filter.active = b.state == "retired" ? false : nil
        default: throw AppError.invalid(field: "state", message: "应为 active、retired 或 all")
        }
        let rows = try await store.browse(filter, limit: b.pageSize + 1, offset: (b.page - 1) * b.pageSize)
        return Listing(scripts: Array(rows.prefix(b.pageSize)), hasMore: rows.count > b.pageSize)
    }

    /// One script with its history (editors) and the names of the people in it.
    public struct Record: Sendable {
        public var script: ReplyScript
        /// Every version, oldest first (editors only; empty for other readers).
        public var history: [ScriptRevision]
        public var names: [String: String]
        public var editable: Bool
    }

    /// A script for `user`: editors see every script and its history; readers a script in use.
    public func script(_ id: Int64, for user: UserAccount) async throws -> Record {
        guard Capability.readScripts.isAllowed(for: user.role) else { throw AppError.lacks(.readScripts, role: user.role) }
        let editor = Capability.manageScripts.isAllowed(for: user.role)
        guard let script = try await store.script(id), editor || script.active else { throw AppError.notFound(what: "话术 \(id) ") }
        let history = editor ? try await store.history(id) : []
        let names = try await services.directory.displayNames(of: Set([script.createdBy, script.updatedBy] + history.map(\.actorID)))
        return Record(script: script, history: history, names: names, editable: editor)
    }

    /// The most scripts the intake desk shows at once.
    public static let intakeLimit = 12

    /// The scripts for a call about `categoryCode` (chosen, or the assistant's best guess; nil when nothing is known
    /// yet): those of its matter and every matter above it, and the general ones, in the order of a call.
    public func forCall(categoryCode: String?, for user: UserAccount) async throws -> [ReplyScript] {
        guard Capability.readScripts.isAllowed(for: user.role) else { return [] }
        let lineage = categoryCode.map { services.reference.context.categoryTree.lineage(of: $0) } ?? []
        let served = try await store.served(forCategories: lineage)
        return Array(ReplyScript.forCall(served, lineage: lineage).prefix(Self.intakeLimit))
    }
}

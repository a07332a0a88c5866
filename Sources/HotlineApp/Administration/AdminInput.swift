import Foundation
import HotlineDomain
import HotlineStorage

/// The inputs of the administration use cases, as the API's JSON and the console's forms carry them.
public enum AdminInput {
    /// A new unit; a change takes the same fields, all optional.
    public struct Unit: Decodable, Sendable {
        public var id: String?
        public var name: String?
        public var kind: UnitKind?
        /// JSON null detaches the unit from its parent.
        public var parentId: String??
        public var district: String?
        public var contactName: String?
        public var contactPhone: String?
        /// 单位领导审核: the unit's staff's replies wait for one of its admins.
        public var leaderReview: Bool?

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decodeIfPresent(String.self, forKey: .id)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            kind = try c.decodeIfPresent(UnitKind.self, forKey: .kind)
            parentId = c.contains(.parentId) ? .some(try c.decodeIfPresent(String.self, forKey: .parentId)) : nil
            district = try c.decodeIfPresent(String.self, forKey: .district)
            contactName = try c.decodeIfPresent(String.self, forKey: .contactName)
            contactPhone = try c.decodeIfPresent(String.self, forKey: .contactPhone)
            leaderReview = try c.decodeIfPresent(Bool.self, forKey: .leaderReview)
        }

        /// The console's unit forms.
        public init(
            id: String? = nil, name: String?, kind: UnitKind?, parentId: String??, district: String?, contactName: String?, contactPhone: String?,
            leaderReview: Bool? = nil
        ) {
            self.id = id
            self.name = name
            self.kind = kind
            self.parentId = parentId
            self.district = district
            self.contactName = contactName
            self.contactPhone = contactPhone
            self.leaderReview = leaderReview
        }

        enum CodingKeys: String, CodingKey { case id, name, kind, parentId, district, contactName, contactPhone, leaderReview }
    }

    /// A new user.
    public struct NewUser: Decodable, Sendable {
        public var id: String
        public var displayName: String
        public var role: Role
        public var unitId: String?
        public var password: String

        public init(id: String, displayName: String, role: Role, unitId: String?, password: String) {
            self.id = id
            self.displayName = displayName
            self.role = role
            self.unitId = unitId
            self.password = password
        }
    }

    /// A change to a user: any of these.
    public struct UserPatch: Decodable, Sendable {
        public var displayName: String?
        public var role: Role?
        public var unitId: String?
        public var active: Bool?
        public var password: String?
        public var unlock: Bool?

        public init(displayName: String? = nil, role: Role? = nil, unitId: String? = nil, active: Bool? = nil, password: String? = nil, unlock: Bool? = nil) {
            self.displayName = displayName
            self.role = role
            self.unitId = unitId
            self.active = active
            self.password = password
            self.unlock = unlock
        }
    }

    /// A new API key for an integration.
    public struct NewAPIKey: Decodable, Sendable {
        public var userId: String
        public var label: String
        public var scopes: [TokenScope]
        public var days: Int
    }

    /// Catalogue entries to set or remove: `unit_id` null removes; `district` absent means city-wide.
    public struct CatalogueChange: Decodable, Sendable {
        public struct Item: Decodable, Sendable {
            public var categoryCode: String
            public var district: String?
            public var unitId: String?

            public init(categoryCode: String, district: String?, unitId: String?) {
                self.categoryCode = categoryCode
                self.district = district
                self.unitId = unitId
            }
        }
        public var items: [Item]
        public var note: String?

        public init(items: [Item], note: String?) {
            self.items = items
            self.note = note
        }
    }

    /// The whole ordered list of time-limit rules.
    public struct TimeLimits: Decodable, Sendable {
        public var items: [TimeLimitRule]
    }

    /// A new category: its name and its parent (none or empty for the top level).
    public struct NewCategory: Decodable, Sendable {
        public var name: String?
        public var parentCode: String?

        public init(name: String?, parentCode: String?) {
            self.name = name
            self.parentCode = parentCode
        }
    }

    /// A change to a category, any of: a new name, a new parent (`.some(nil)` for the top level), retired or restored.
    public struct CategoryChange: Sendable {
        public var name: String?
        public var parentCode: String??
        public var retired: Bool?

        public init(name: String? = nil, parentCode: String?? = nil, retired: Bool? = nil) {
            self.name = name
            self.parentCode = parentCode
            self.retired = retired
        }
    }

    /// One time-limit rule as the picker gives it: stage, optional kind, category and lane (empty for all), and the
    /// limit as a number and a unit (`working_days`, `working_hours`, `clock_hours`).
    public struct TimeLimitRuleInput: Decodable, Sendable {
        public var stage: String
        public var kind: String?
        public var categoryCode: String?
        public var lane: String?
        public var limitCount: String
        public var limitUnit: String

        public init(stage: String, kind: String?, categoryCode: String?, lane: String?, limitCount: String, limitUnit: String) {
            self.stage = stage
            self.kind = kind
            self.categoryCode = categoryCode
            self.lane = lane
            self.limitCount = limitCount
            self.limitUnit = limitUnit
        }
    }

    /// A local calendar override: `{"start": "2026-10-09", "end": "2026-10-09", "kind": "holiday", "name": "台风停工"}`.
    public struct CalendarOverrideInput: Decodable, Sendable {
        public var start: String
        public var end: String
        public var kind: String
        public var name: String?

        public init(start: String, end: String, kind: String, name: String?) {
            self.start = start
            self.end = end
            self.kind = kind
            self.name = name
        }
    }

    /// The State Council's schedule of a year (国务院放假安排) in the calendar data files' CSV format:
    /// `{"year": 2027, "csv": "start,end,kind,name\n2027-01-01,2027-01-03,holiday,元旦\n..."}`.
    public struct CalendarScheduleInput: Decodable, Sendable {
        public var year: Int?
        public var csv: String

        public init(year: Int?, csv: String) {
            self.year = year
            self.csv = csv
        }
    }

    /// The callback rule (回访规则): `{"auto_redo": ["unresolved"], "unreachable_attempts": 3, "unreachable_days": 2,
    /// "supervise_below_stars": 2, "supervise_unsatisfied_complaints": true}`. `auto_redo` is required; a field left
    /// out keeps its current value.
    public struct CallbackRuleInput: Decodable, Sendable {
        public var autoRedo: [CallbackShortfall]
        public var unreachableAttempts: Int?
        public var unreachableDays: Int?
        public var superviseBelowStars: Int?
        public var superviseUnsatisfiedComplaints: Bool?

        public init(
            autoRedo: [CallbackShortfall], unreachableAttempts: Int? = nil, unreachableDays: Int? = nil, superviseBelowStars: Int? = nil,
            superviseUnsatisfiedComplaints: Bool? = nil
        ) {
            self.autoRedo = autoRedo
            self.unreachableAttempts = unreachableAttempts
            self.unreachableDays = unreachableDays
            self.superviseBelowStars = superviseBelowStars
            self.superviseUnsatisfiedComplaints = superviseUnsatisfiedComplaints
        }
    }

    /// The whole return-reason list (退单原因): `{"items": [{"code": "not_our_duty", "name": "不属于本单位职责", "active": true}, …]}`.
    public struct ReturnReasonsInput: Decodable, Sendable {
        public struct Item: Decodable, Sendable {
            public var code: String
            public var name: String
            /// Offered to units; true when left out.
            public var active: Bool?

            public init(code: String, name: String, active: Bool? = nil) {
                self.code = code
                self.name = name
                self.active = active
            }
        }
        public var items: [Item]

        public init(items: [Item]) { self.items = items }
    }
}

/// Checks on identifiers and short texts the administration use cases share.
public enum AdminText {
    /// Login ids and unit ids: 2–40 of a-z, 0-9, `-`, `_`, `.`.
    public static func identifier(_ value: String, field: String) throws(AppError) -> String {
        let ok = (2...40).contains(value.count) && value.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || "-_.".contains($0) }
        guard ok else { throw .invalid(field: field, message: "应为2到40位小写字母、数字或 - _ .") }
        return value
    }

    public static func name(_ value: String, field: String, limit: Int = 100) throws(AppError) -> String {
        let v = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !v.isEmpty, v.count <= limit else { throw .invalid(field: field, message: "不能为空且不能超过\(limit)字") }
        return v
    }

    public static func optional(_ value: String?, field: String, limit: Int = 100) throws(AppError) -> String? {
        guard let value, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return try name(value, field: field, limit: limit)
    }
}

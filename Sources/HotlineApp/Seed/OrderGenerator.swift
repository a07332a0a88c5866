import Foundation
import HotlineDomain
import HotlineStorage
import HotlineText

/// Generates believable orders for the demo city and walks each through the real lifecycle, so that
/// every generated order, event and deadline is one the platform itself could have produced.
public struct OrderGenerator: Sendable {
    /// How far along the loop an order should get (time permitting).
    public enum Stage: CaseIterable, Sendable {
        case pendingDispatch, rejected, answeredDirectly, dispatched, returned, handling, extensionPending
        case replied, awaitingCallback, closed, unsatisfiedRedo, archived
    }

    let city: DemoCity
    let context: LifecycleContext
    var rng: SplitMix64
    private let districts: [(district: HandlingUnit, streets: [HandlingUnit], communities: [HandlingUnit])]
    private let staff: [UnitID: Actor]
    private let categoryCodes: [String?]

    public init(city: DemoCity, context: LifecycleContext, seed: UInt64 = 12345) {
        self.city = city
        self.context = context
        rng = SplitMix64(seed: seed)
        districts = city.units.filter { $0.kind == .district }.map { d in
            let streets = city.units.filter { $0.parentID == d.id }
            let communities = city.units.filter { c in streets.contains { $0.id == c.parentID } }
            return (d, streets, communities)
        }
        var staff: [UnitID: Actor] = [:]
        for user in city.users where user.role == .unitStaff && staff[user.unitID ?? ""] == nil { staff[user.unitID ?? ""] = user.actor }
        self.staff = staff
        categoryCodes = city.templates.map { city.categoryCode(for: $0.categoryPath) }
    }

    func actor(_ id: String, _ role: Role, _ unit: UnitID? = nil) -> Actor { Actor(userID: id, role: role, unit: unit) }

    func unitActor(_ unit: UnitID) -> Actor { staff[unit] ?? Actor(userID: "\(unit)-staff", role: .unitStaff, unit: unit) }

    /// A weighted stage: mostly finished business, with every open state represented.
    public mutating func randomStage() -> Stage {
        let roll = Int.random(in: 0..<100, using: &rng)
        switch roll {
        case 0..<6: return .pendingDispatch
        case 6..<9: return .rejected
        case 9..<24: return .answeredDirectly
        case 24..<32: return .dispatched
        case 32..<35: return .returned
        case 35..<47: return .handling
        case 47..<50: return .extensionPending
        case 50..<54: return .replied
        case 54..<60: return .awaitingCallback
        case 60..<78: return .closed
        case 78..<81: return .unsatisfiedRedo
        default: return .archived
        }
    }

    /// A stage for an order `ageDays` old: a month on, nearly all business is finished, as in a working centre;
    /// a few orders linger open (and overdue), as they do.
    public mutating func randomStage(ageDays: Double) -> Stage {
        guard ageDays > 30, Int.random(in: 0..<100, using: &rng) >= 3 else { return randomStage() }
        return [.archived, .archived, .archived, .closed, .answeredDirectly, .answeredDirectly, .rejected].randomElement(using: &rng)!
    }

    public mutating func draft() -> (IntakeDraft, lead: UnitID, street: UnitID?) {
        let index = Int.random(in: 0..<city.templates.count, using: &rng)
        let t = city.templates[index]
        let place = districts[Int.random(in: 0..<districts.count, using: &rng)]
        let street = place.streets.randomElement(using: &rng)
        let community = place.communities.filter { $0.parentID == street?.id }.randomElement(using: &rng)
        let road = city.roads.randomElement(using: &rng) ?? "人民路"
        let n = String(Int.random(in: 2...9, using: &rng))
        let values = [
            "district": place.district.district ?? "",
            "street": street.map { $0.name.replacingOccurrences(of: "办事处", with: "").replacingOccurrences(of: place.district.district ?? "", with: "") } ?? "",
            "community": community.map { $0.name.replacingOccurrences(of: "居委会", with: "").replacingOccurrences(of: "村民委员会", with: "") } ?? "",
            "road": road, "n": n,
        ]
        func fill(_ text: String) -> String { Self.fill(text, values) }
        let enterprise = t.lanes.contains(.businessEnvironment)
        let name = (city.surnames.randomElement(using: &rng) ?? "王") + (enterprise ? "经理" : city.titles.randomElement(using: &rng) ?? "先生")
        let phone = "1" + ["38", "39", "58", "86", "37", "50"].randomElement(using: &rng)! + String(format: "%08d", Int.random(in: 0..<100_000_000, using: &rng))
        let channel: Channel = [.phone, .phone, .phone, .phone, .web, .app, .wechat, .sms, .mailbox].randomElement(using: &rng)!
        let draft = IntakeDraft(
            channel: channel, caller: Caller(name: name, phone: phone, type: enterprise ? .enterprise : .individual),
            kind: t.kind, categoryCode: categoryCodes[index], title: fill(t.title), content: fill(t.content),
            location: locate(address: fill("{road}\(n)号"), district: place.district.district, street: street?.name, phone: phone),
            lanes: t.lanes)
        return (draft, t.lead == "district" ? place.district.id : t.lead, street?.id)
    }

    /// Where an order is: about two in three get coordinates inside their street's shape (or their district's), a third
    /// of those near one of two busy places of the street, so the demo map has points and hot spots. The draw comes from
    /// the caller's phone, not the generator's stream, so the orders generated are otherwise what they always were.
    func locate(address: String, district: String?, street: String?, phone: String) -> Location {
        var location = Location(address: address, district: district, street: street)
        guard let shapes = city.shapes, let district else { return location }
        var local = SplitMix64(seed: (UInt64(phone.filter(\.isNumber)) ?? 0) &* 0x9E37_79B9_7F4A_7C15)
        guard Int.random(in: 0..<100, using: &local) < 65,
              let shape = street.flatMap({ shapes.street($0, in: district) }) ?? shapes.district(district) else { return location }
        var point: GeoPoint?
        if Int.random(in: 0..<100, using: &local) < 35 {
            // The street's busy places are fixed: drawn from a generator seeded by the street's name.
            var fixed = SplitMix64(seed: shape.name.unicodeScalars.reduce(1469598103934665603) { ($0 ^ UInt64($1.value)) &* 1099511628211 })
            let busy = (0..<2).compactMap { _ in MapShapes.randomPoint(in: shape, using: &fixed) }
            if let centre = busy.randomElement(using: &local) {
                let near = GeoPoint(latitude: centre.latitude + Double.random(in: -0.0012...0.0012, using: &local),
                                    longitude: centre.longitude + Double.random(in: -0.0012...0.0012, using: &local))
                point = shape.contains(near) ? near : centre
            }
        }
        if let p = point ?? MapShapes.randomPoint(in: shape, using: &local) {
            location.latitude = (p.latitude * 1e6).rounded() / 1e6
            location.longitude = (p.longitude * 1e6).rounded() / 1e6
        }
        return location
    }

    /// Replaces `{name}` placeholders in one pass.
    static func fill(_ template: String, _ values: [String: String]) -> String {
        var result = ""
        var name: String?
        for c in template {
            if c == "{" {
                name = ""
            } else if c == "}", let key = name {
                result += values[key] ?? ""
                name = nil
            } else if name != nil {
                name!.append(c)
            } else {
                result.append(c)
            }
        }
        return result
    }

    /// The demo centre's agents (`demo/users.csv`).
    static let agents = ["agent", "agent2", "agent3", "agent4", "agent5", "agent6", "agent7", "agent8"]

    /// One order taken at `start`, walked toward `stage` with realistic gaps, never past `now`.
    public mutating func order(number: OrderNumber, at start: Date, toward stage: Stage, now: Date) throws -> Outcome {
        let (d, lead, street) = draft()
        var draft = d
        switch stage {
        case .rejected: draft.decision = .reject([.emergencyFire, .litigation, .petitionFiled, .other].randomElement(using: &rng)!, note: "经核实不属于热线受理范围")
        case .answeredDirectly: draft.decision = .answerDirectly("已根据知识库向市民作出解答。")
        default: break
        }
        // The demo centre's agents take the calls in turn (by the order's number, so no other draw changes).
        let taker = Self.agents[Int(number.rawValue % Int64(Self.agents.count))]
        var walk = Walk(outcome: try Intake.open(draft, number: number, earlier: nil, by: actor(taker, .agent, "centre"), at: start, in: context),
                        context: context, start: start, now: now)
        guard ![.pendingDispatch, .rejected, .answeredDirectly].contains(stage) else { return walk.outcome }
        let dispatcher = actor("dispatcher", .dispatcher, "centre")
        let unit = unitActor(lead)
        guard try walk.step(minutes: 40, .dispatch(lead: lead, assisting: [], note: nil), by: dispatcher), stage != .dispatched else { return walk.outcome }
        if stage == .returned {
            _ = try walk.step(minutes: 120, .returnOrder(reason: "not_our_duty", evidence: "该事项不属于本单位职责，建议派至相关部门"), by: unit)
            return walk.outcome
        }
        guard try walk.step(minutes: 90, .sign, by: unit), stage != .handling else { return walk.outcome }
        if stage == .extensionPending {
            _ = try walk.step(minutes: 600, .requestExtension(workingDays: 5, reason: "需多部门现场会商"), by: unit)
            return walk.outcome
        }
        var replier = unit
        if let street, context.units.isDescendant(street, of: lead), Bool.random(using: &rng) {
            guard try walk.step(minutes: 60, .subDispatch(unit: street, note: "请街道现场核查"), by: unit) else { return walk.outcome }
            replier = unitActor(street)
        }
        guard try walk.step(minutes: 60 * 26, .reply(text: "经现场核实，已安排人员处理，问题已解决。", attachments: []), by: replier), stage != .replied else {
            return walk.outcome
        }
        guard try walk.step(minutes: 90, .passReview(note: nil), by: actor("reviewer", .reviewer, "centre")), stage != .awaitingCallback else {
            return walk.outcome
        }
        let unhappy = stage == .unsatisfiedRedo
        let satisfaction: Satisfaction = unhappy ? .unsatisfied : (Int.random(in: 0..<10, using: &rng) < 8 ? .satisfied : .basicallySatisfied)
        guard try walk.step(minutes: 60 * 20, .recordCallback(.reached(resolved: !unhappy, satisfaction: satisfaction, stars: nil, note: "")),
                            by: actor("callback", .callbackAgent, "centre"))
        else { return walk.outcome }
        if unhappy {
            _ = try walk.step(minutes: 60, .redo(reason: "市民对处理结果不满意"), by: dispatcher)
        } else if stage == .archived {
            _ = try walk.step(minutes: 60 * 24, .archive, by: dispatcher)
        }
        return walk.outcome
    }
}

/// An order being walked forward in time; a step that would happen after `now` is not taken.
struct Walk {
    var outcome: Outcome
    let context: LifecycleContext
    var time: Date
    let now: Date

    init(outcome: Outcome, context: LifecycleContext, start: Date, now: Date) {
        self.outcome = outcome
        self.context = context
        time = start
        self.now = now
    }

    mutating func step(minutes: Int, _ transition: Transition, by actor: Actor) throws -> Bool {
        let at = time.addingTimeInterval(TimeInterval(minutes * 60))
        guard at <= now else { return false }
        let next = try Lifecycle.apply(transition, to: outcome.order, by: actor, at: at, in: context)
        outcome = Outcome(order: next.order, events: outcome.events + next.events)
        time = at
        return true
    }
}

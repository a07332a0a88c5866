import Foundation
import HotlineDomain
import Testing

@Suite struct SecurityPolicyTests {
    @Test func phonesAndIDsAreMaskedKeepingOnlyTheEnds() {
        #expect(ContactPrivacy.maskPhone("13812345678") == "138****5678")
        #expect(ContactPrivacy.maskPhone("057187001001") == "057*****1001")
        #expect(ContactPrivacy.maskPhone("8765432") == "87***32")
        #expect(ContactPrivacy.maskPhone("110") == "***")
        #expect(ContactPrivacy.maskIDNumber("330102199001011234") == "330102********1234")
        #expect(ContactPrivacy.maskName("张三丰", type: .individual) == "张**")
        #expect(ContactPrivacy.maskName("江州某某科技有限公司", type: .enterprise) == "江州某某科技有限公司")
    }

    @Test func confidentialCallersAreHiddenFromUnitsOnly() {
        let caller = Caller(name: "李四", phone: "13912345678", idNumber: "330102199001011234", confidential: true)
        let unit = Actor(userID: "u", role: .unitStaff, unit: "dist-east")
        let agent = Actor(userID: "a", role: .agent, unit: "centre")
        #expect(ContactPrivacy.view(of: caller, for: unit).name == ContactPrivacy.confidentialPlaceholder)
        #expect(ContactPrivacy.view(of: caller, for: agent).phone == "139****5678")
        #expect(ContactPrivacy.reveal(.phone, of: caller, to: unit) == .failure(.confidential))
        #expect(ContactPrivacy.reveal(.phone, of: caller, to: agent) == .success("13912345678"))
        #expect(ContactPrivacy.reveal(.phone, of: caller, to: Actor(userID: "m", role: .manager)) == .failure(.roleHasNoNeed))
        #expect(ContactPrivacy.reveal(.idNumber, of: Caller(name: "x", phone: "1"), to: agent) == .failure(.nothingToReveal))
    }

    @Test func onlyAdminsAdministerAndEveryCapabilityHasAHolder() {
        for capability in [Capability.manageUnits, .manageUsers, .manageCatalogue, .manageTimeLimits, .manageAPIKeys, .viewAudit] {
            #expect(capability.allowedRoles == [.admin], "\(capability)")
        }
        for capability in Capability.allCases {
            #expect(!capability.allowedRoles.isEmpty)
            #expect(!capability.allowedRoles.contains(.citizen), "citizens reach their own order only through the public lookup")
        }
    }

    @Test func catalogueTakesTheMostSpecificEntry() {
        let catalogue = DispatchCatalogue([
            CatalogueEntry(categoryCode: "01", unitID: "dept-housing"),
            CatalogueEntry(categoryCode: "01.02", unitID: "dept-urban"),
            CatalogueEntry(categoryCode: "01", district: "江城区", unitID: "dist-jiangcheng"),
        ])
        #expect(catalogue.responsibleUnit(category: "01.02.03", district: "江城区")?.unitID == "dept-urban", "a deeper category beats a district")
        #expect(catalogue.responsibleUnit(category: "01.05", district: "江城区")?.unitID == "dist-jiangcheng")
        #expect(catalogue.responsibleUnit(category: "01.05", district: "湖滨区")?.unitID == "dept-housing")
        #expect(catalogue.responsibleUnit(category: "02", district: nil) == nil)
        let below = DispatchCatalogue([
            CatalogueEntry(categoryCode: "01.01", unitID: "dept-urban"), CatalogueEntry(categoryCode: "01.02", unitID: "dept-urban"),
            CatalogueEntry(categoryCode: "01.03", unitID: "util-water"), CatalogueEntry(categoryCode: "01.01", district: "江城区", unitID: "dist-jiangcheng"),
        ])
        #expect(below.unitsBelow(category: "01", district: "湖滨区").map(\.unitID) == ["dept-urban", "util-water"])
        #expect(below.unitsBelow(category: "01", district: "湖滨区").first.map { abs($0.share - 2.0 / 3) < 1e-9 } == true)
        #expect(below.unitsBelow(category: "01", district: "江城区").map(\.unitID) == ["dist-jiangcheng"])
        #expect(below.unitsBelow(category: "02", district: nil).isEmpty)
    }

    @Test func bucketAllowsABurstThenRefillsAtItsRate() {
        let start = Date(timeIntervalSince1970: 1_000_000)
        var bucket = RateBucket(capacity: 3, per: 60, now: start)
        #expect((0..<3).map { _ in bucket.take(at: start) }.allSatisfy { $0 == nil })
        let wait = bucket.take(at: start)
        #expect(wait.map { abs($0 - 20) < 0.001 } == true)
        #expect(bucket.take(at: start.addingTimeInterval(20)) == nil)
        #expect(!bucket.isFull(at: start.addingTimeInterval(20)))
        #expect(bucket.isFull(at: start.addingTimeInterval(80)))
    }

    @Test func restrictionInputIsCheckedAndItsWindowIsHalfOpen() {
        #expect((try? CallerRestriction.validate(phone: "138 1234-5678", reason: " 骚扰 ", days: 3).get())?.phone == "13812345678")
        #expect(CallerRestriction.validate(phone: "138", reason: "x", days: 200).isFailure)
        let start = Date(timeIntervalSince1970: 0)
        let r = CallerRestriction(id: 1, phone: "1", reason: "x", startsAt: start, endsAt: start.addingTimeInterval(10), createdBy: "s")
        #expect(r.isActive(at: start) && !r.isActive(at: start.addingTimeInterval(10)))
    }

    @Test func unitCannotMoveBelowItself() {
        let units = UnitHierarchy(parents: ["d": nil, "s": "d", "c": "s"])
        #expect(units.wouldCycle("d", newParent: "c"))
        #expect(units.wouldCycle("d", newParent: "d"))
        #expect(!units.wouldCycle("c", newParent: "d"))
        #expect(!units.wouldCycle("s", newParent: nil))
    }

    @Test func scopesParseAndNarrow() {
        #expect(TokenScope.parse("orders:read reference:read") == [.ordersRead, .referenceRead])
        #expect(TokenScope.parse("orders:read everything") == nil)
        #expect(Set([TokenScope.all]).permits(.admin))
        #expect(!Set([TokenScope.ordersCreate]).permits(.ordersRead))
    }
}

extension Result {
    var isFailure: Bool { if case .failure = self { true } else { false } }
}

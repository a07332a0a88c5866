import Foundation
import HotlineApp
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
@testable import HotlineWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The SLA sweeper's rule (时限预警与亮牌规则) over the API: admin only, checked, audited.
@Suite struct SLARuleAPITests {
    @Test(arguments: TestDatabase.available)
    func anAdminReadsAndChangesTheRuleAndOthersCannot(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let initial = try await client.call(.get, APIRoutes.slaRule, as: "admin1")
            #expect(initial.status == .ok)
            #expect(initial["warn_percent"] as? Int == 80 && initial["yellow_cards_for_red"] as? Int == 3)
            #expect(initial["urge_when_overdue"] as? Bool == true && initial["yellow_card_when_overdue"] as? Bool == true)
            #expect((initial["description"] as? String)?.contains("每累计3张黄牌亮红牌") == true)
            #expect(try await client.call(.get, APIRoutes.slaRule, as: "sup1").status == .forbidden)
            let body = #"{"warn_percent": 75, "urge_when_overdue": true, "yellow_card_when_overdue": true, "yellow_cards_for_red": 2}"#
            #expect(try await client.call(.put, APIRoutes.slaRule, as: "sup1", json: body).status == .forbidden)
            let bad = try await client.call(
                .put, APIRoutes.slaRule, as: "admin1",
                json: #"{"warn_percent": 0, "urge_when_overdue": true, "yellow_card_when_overdue": true, "yellow_cards_for_red": 2}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.raw.contains("warn_percent") && bad.raw.contains("预警比例应为1到99之间的整数"))
            #expect(try await client.call(.get, APIRoutes.slaRule, as: "admin1")["warn_percent"] as? Int == 80, "a refused change leaves it")
            let set = try await client.call(.put, APIRoutes.slaRule, as: "admin1", json: body)
            #expect(set.status == .ok && set["warn_percent"] as? Int == 75 && set["yellow_cards_for_red"] as? Int == 2)
            #expect(try await client.call(.get, APIRoutes.slaRule, as: "admin1")["warn_percent"] as? Int == 75)
            var filter = AuditFilter()
            filter.action = .slaRuleChanged
            #expect(try await services.audit.list(filter, page: 1, size: 5).count == 1)
        }
    }
}

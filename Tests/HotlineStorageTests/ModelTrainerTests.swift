import Foundation
import HotlineDomain
import HotlineTestSupport
@testable import HotlineStorage
import Testing

@Suite struct ModelTrainerTests {
    /// A reclassified order corrects the category model; a returned one the unit model; each counts where it corrects.
    @Test(arguments: TestDatabase.available)
    func correctionsCountForTheModelTheyCorrect(db: TestDatabase) async throws {
        try await db.withServices { s in
            let reclassified = try await s.desk.intake(TestCity.draft(), by: TestCity.actor("agent1"), at: TestCity.monday).order.number
            _ = try await s.desk.apply(.reclassify(categoryCode: "01.01.02", reason: "实为道路问题"), to: reclassified, by: TestCity.actor("disp1"),
                                       at: TestCity.monday)
            _ = try await s.desk.apply(.reject(reason: .other, note: "测试"), to: reclassified, by: TestCity.actor("disp1"), at: TestCity.monday)
            let plain = try await walk(s, through: .archive)
            let examples = try await ModelTrainer(services: s).finishedOrders()
            #expect(examples.count == 1, "rejected orders have no lead unit and are not examples")
            #expect(examples.first?.categoryCorrected == false)
            #expect(examples.first?.unitCorrected == false)
            _ = plain

            let corrected = try await s.desk.intake(TestCity.draft(), by: TestCity.actor("agent1"), at: TestCity.monday).order.number
            let d = TestCity.actor("disp1")
            _ = try await s.desk.apply(.reclassify(categoryCode: "01.01.02", reason: "实为道路问题"), to: corrected, by: d, at: TestCity.monday)
            _ = try await s.desk.apply(.dispatch(lead: "dist-east", assisting: [], note: nil), to: corrected, by: d, at: TestCity.monday)
            _ = try await s.desk.apply(.sign, to: corrected, by: TestCity.actor("east1"), at: TestCity.monday)
            _ = try await s.desk.apply(.reply(text: "已修复。", attachments: []), to: corrected, by: TestCity.actor("east1"), at: TestCity.monday)
            _ = try await s.desk.apply(.passReview(note: nil), to: corrected, by: TestCity.actor("rev1"), at: TestCity.monday)
            _ = try await s.desk.apply(.close(note: "市民不需回访"), to: corrected, by: TestCity.actor("cb1"), at: TestCity.monday)
            let after = try await ModelTrainer(services: s).finishedOrders()
            let example = try #require(after.first { $0.category == "01.01.02" })
            #expect(example.categoryCorrected)
            #expect(!example.unitCorrected)
        }
    }
}

import Foundation
import HTTPTypes
import HotlineApp
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HotlineWeb

/// 专家坐席 in the console: every page for every role, a manager's seat form refusing by field, an agent escalating the
/// popped call from the intake desk (the call records the transfer), the specialist answering with a knowledge draft,
/// and forged posts by the wrong roles changing nothing.
@Suite struct ExpertPageTests {
    let console = ConsoleTests()
    let fixtures = ScriptCasePageTests()

    @Test(arguments: TestDatabase.available)
    func everyPageAnswersEveryRoleByItsRole(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let seat = try await ExpertSeatTests().add(client)
            let asked = try await client.post(APIRoutes.expertConsultations, as: "agent1", ["seat_id": seat, "question": "社保转移接续怎么办？"])
            let id = String(try #require(asked["id"] as? Int))
            for (role, user) in TestCity.userByRole.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where role != .citizen {
                let cookie = try await fixtures.session(services, user)
                let reader = ExpertDesk.readers.contains(role)
                let pages: [(String, Bool)] = [
                    (WebRoutes.experts, reader), (WebRoutes.expertsAsk, Capability.consultExperts.isAllowed(for: role)),
                    (WebRoutes.expertSeatNew, Capability.manageExpertSeats.isAllowed(for: role)),
                    (WebRoutes.expertSeat(String(seat)), Capability.manageExpertSeats.isAllowed(for: role)),
                ]
                for (path, allowed) in pages {
                    let reply = try await console.page(client, path, cookie: cookie)
                    #expect(reply.status == (allowed ? .ok : .forbidden), "\(role) \(path): \(reply.status)")
                }
                // The consultation: its asker, the seat's specialist and the overseers; for everyone else it does not exist.
                let mayRead = ["agent1", "east1", "sup1", "mgr1", "admin1", "eastadmin"].contains(user)
                let one = try await console.page(client, WebRoutes.expertConsultation(id), cookie: cookie)
                #expect(one.status == (mayRead ? .ok : reader ? .notFound : .forbidden), "\(role) consultation: \(one.status)")
                let home = try await console.page(client, WebRoutes.home, cookie: cookie)
                let hub = try await console.page(client, WebRoutes.callCentre, cookie: cookie)
                #expect((home.raw.contains("href=\"/experts\"") || hub.raw.contains("href=\"/experts\"")) == reader, "\(role) 专家坐席 link")
            }
            for path in [WebRoutes.experts, WebRoutes.expertsAsk, WebRoutes.expertConsultation(id)] {
                let bare = try await client.send(.get, path, headers: [:])
                #expect(bare.status == .seeOther && bare.headers[.location]?.hasPrefix(WebRoutes.login) == true, "\(path) signed out")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aManagerStationsASeatAndARefusalKeepsTheForm(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let cookie = try await fixtures.session(services, "mgr1")
            let csrf = SessionCookie.csrfToken(forSession: cookie)
            var fields = [("name", "社保专家坐席"), ("unit_id", "dist-east"), ("matters[]", "02"), ("hours", "九点到十二点"), ("specialists[]", "east1"),
                          ("note", "社保政策")]
            let refused = try await console.form(client, WebRoutes.expertSeatNew, fixtures.form(fields, csrf: csrf), cookie: cookie)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.raw.contains("值守时间应写成"), "\(refused.raw.prefix(400))")
            #expect(refused.raw.contains("value=\"社保专家坐席\""), "what was typed is kept")
            #expect(try await ExpertSeatTests().counts(services).seats == 0)
            fields[3] = ("hours", "09:00-12:00")
            let saved = try await console.form(client, WebRoutes.expertSeatNew, fixtures.form(fields, csrf: csrf), cookie: cookie)
            #expect(saved.status == .seeOther && saved.headers[.location] == WebRoutes.experts + "?done=seat")
            let list = try await console.page(client, WebRoutes.experts, cookie: cookie)
            #expect(list.raw.contains("社保专家坐席") && list.raw.contains("工作日 09:00-12:00") && list.raw.contains("东区承办员"))
            // A forged post by an agent changes nothing.
            let agent = try await fixtures.session(services, "agent1")
            let forged = try await console.form(
                client, WebRoutes.expertSeatNew, fixtures.form([("name", "伪造坐席")] + fields.dropFirst(), csrf: SessionCookie.csrfToken(forSession: agent)),
                cookie: agent)
            #expect(forged.status == .forbidden)
            #expect(try await ExpertSeatTests().counts(services).seats == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theIntakeDeskEscalatesThePoppedCallAndTheSpecialistAnswersWithADraft(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let seat = try await ExpertSeatTests().add(client)
            try await ExpertSeatTests().answeredCall(client, "call-7")
            let agent = try await fixtures.session(services, "agent1")
            let desk = try await console.page(client, WebRoutes.intake + "?phone=13812345678&call=call-7", cookie: agent)
            #expect(desk.raw.contains("href=\"/experts/ask?call=call-7\""), "the desk offers the escalation of the call")
            let form = try await console.page(client, WebRoutes.expertsAsk + "?call=call-7&category=02.01.01", cookie: agent)
            #expect(form.raw.contains("name=\"three_way\"") && form.raw.contains("对口本事项") && form.raw.contains("value=\"call-7\""))
            let csrf = SessionCookie.csrfToken(forSession: agent)
            let asked = try await console.form(
                client, WebRoutes.expertsAsk,
                fixtures.form([("seat_id", String(seat)), ("call_id", "call-7"), ("category_code", "02.01.01"), ("question", "异地就医备案怎么办？"),
                               ("three_way", "true")], csrf: csrf), cookie: agent)
            #expect(asked.status == .seeOther, "\(asked.raw.prefix(300))")
            let location = try #require(asked.headers[.location])
            let path = String(location.split(separator: "?")[0])
            let id = String(path.split(separator: "/").last ?? "")
            #expect(try await ExpertSeatTests().counts(services).transfers == 1, "the call records the transfer")
            let waiting = try await console.page(client, location, cookie: agent)
            #expect(waiting.raw.contains("三方通话") && waiting.raw.contains("待解答") && !waiting.raw.contains("提交解答"))

            // The specialist answers; the draft is made in the same step.
            let specialist = try await fixtures.session(services, "east1")
            let page = try await console.page(client, path, cookie: specialist)
            #expect(page.raw.contains("提交解答") && page.raw.contains("同时转为知识草稿"))
            let empty = try await console.form(
                client, WebRoutes.answerConsultation(id), fixtures.form([("answer", " "), ("to_knowledge", "true")], csrf: SessionCookie.csrfToken(forSession: specialist)),
                cookie: specialist)
            #expect(empty.status == .unprocessableContent && empty.raw.contains("解答不能为空"))
            let drafts = try await ExpertSeatTests().counts(services).drafts
            let answered = try await console.form(
                client, WebRoutes.answerConsultation(id),
                fixtures.form([("answer", "在江州人社小程序办理备案，即时生效。"), ("to_knowledge", "true")], csrf: SessionCookie.csrfToken(forSession: specialist)),
                cookie: specialist)
            #expect(answered.status == .seeOther && answered.headers[.location] == path + "?done=answered")
            #expect(try await ExpertSeatTests().counts(services).drafts == drafts + 1)
            let read = try await console.page(client, path, cookie: agent)
            #expect(read.raw.contains("在江州人社小程序办理备案") && read.raw.contains("已转为知识草稿"))
            // Another unit's staff may not answer, even by a forged post.
            let west = try await fixtures.session(services, "west1")
            let forged = try await console.form(
                client, WebRoutes.answerConsultation(id), fixtures.form([("answer", "伪造")], csrf: SessionCookie.csrfToken(forSession: west)), cookie: west)
            #expect(forged.status == .notFound)
        }
    }
}

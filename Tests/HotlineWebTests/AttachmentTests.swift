import Foundation
import HotlineDomain
import HotlineStorage
import HotlineTestSupport
@testable import HotlineWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Reply attachments (附件): uploaded with the reply in one transaction, checked by their bytes, and served only
/// to those who may see the order.
@Suite struct AttachmentTests {
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: UInt8(7), count: 600))
    static let pdf = Data(Array("%PDF-1.7\n".utf8) + Array(repeating: UInt8(0x20), count: 2000))

    /// An order the east district has signed for, ready for its reply.
    func handlingOrder(_ client: any TestClientProtocol) async throws -> String {
        let n = try #require(try await client.post(APIRoutes.orders, as: "agent1", Bodies.intake).order["number"] as? String)
        _ = try await client.post(APIRoutes.action(n, "dispatch"), as: "disp1", ["lead_unit": "dist-east"])
        _ = try await client.post(APIRoutes.action(n, "sign"), as: "east1")
        return n
    }

    func bearer(_ user: String) -> HTTPFields { [.authorization: "Bearer " + TestCity.token(user)] }

    @Test(arguments: TestDatabase.available)
    func aReplyCarriesItsFilesAndOnlyThoseWhoSeeTheOrderGetThem(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let n = try await handlingOrder(client)
            let reply = try await client.upload(APIRoutes.action(n, "reply"), headers: bearer("east1"), MultipartBody(
                fields: [("text", "已更换路灯灯泡，附现场照片和验收单。")],
                files: [("files", "现场照片.png", Self.png), ("files", "验收单.pdf", Self.pdf)]))
            #expect(reply.status == .ok, "\(reply.raw)")
            #expect(reply.order["status"] as? String == "replied")
            let detail = try await client.call(.get, APIRoutes.order(n), as: "sup1")
            let files = try #require((detail.order["reply"] as? [String: Any])?["attachments"] as? [[String: Any]])
            #expect(files.map { $0["name"] as? String } == ["现场照片.png", "验收单.pdf"])
            #expect(files.map { $0["content_type"] as? String } == ["image/png", "application/pdf"])
            let sha = try #require(files[0]["sha256"] as? String)
            let pdfSHA = try #require(files[1]["sha256"] as? String)

            // The centre and the unit itself read the file; it comes back byte for byte, shown inline as an image.
            for user in ["sup1", "east1", "rev1"] {
                let got = try await client.download(APIRoutes.attachment(n, sha), headers: bearer(user))
                #expect(got.status == .ok, "\(user)")
                #expect(got.data == Self.png)
                #expect(got.headers[.contentType] == "image/png")
                #expect(got.headers[.contentDisposition]?.hasPrefix("inline;") == true)
                #expect(got.headers[.contentSecurityPolicy]?.contains("sandbox") == true)
            }
            let document = try await client.download(APIRoutes.attachment(n, pdfSHA), headers: bearer("sup1"))
            #expect(document.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
            #expect(document.headers[.contentDisposition]?.contains("filename*=UTF-8''%E9%AA%8C%E6%94%B6%E5%8D%95.pdf") == true)
            // Another district, an unknown file, a malformed digest: all the same "not found".
            #expect(try await client.download(APIRoutes.attachment(n, sha), headers: bearer("west1")).status == .notFound)
            #expect(try await client.download(APIRoutes.attachment(n, String(repeating: "0", count: 64)), headers: bearer("sup1")).status == .notFound)
            #expect(try await client.download(APIRoutes.attachment(n, "../../etc/passwd"), headers: bearer("sup1")).status == .notFound)
            // A role without order access, and nobody at all.
            #expect(try await client.download(APIRoutes.attachment(n, sha), headers: bearer("ed1")).status == .forbidden)
            #expect(try await client.download(APIRoutes.attachment(n, sha), headers: [:]).status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.available)
    func refusedFilesLeaveTheOrderAndTheStoreAsTheyWere(db: TestDatabase) async throws {
        try await withAPI(db) { client, services in
            let n = try await handlingOrder(client)
            let number = try #require(OrderNumber(n))
            let before = try await client.call(.get, APIRoutes.order(n), as: "sup1")
            func send(_ files: [(field: String, filename: String, data: Data)], text: String = "已处理完毕。") async throws -> APIReply {
                try await client.upload(APIRoutes.action(n, "reply"), headers: bearer("east1"), MultipartBody(fields: [("text", text)], files: files))
            }
            // A PDF renamed to .png, a script renamed to .jpg, an executable type, an empty file.
            let disguised = try await send([("files", "photo.png", Self.pdf)])
            #expect(disguised.status == .unprocessableContent)
            #expect(disguised.errorCode == "attachment_refused")
            #expect(try await send([("files", "photo.jpg", Data("<script>alert(1)</script>".utf8))]).status == .unprocessableContent)
            #expect(try await send([("files", "setup.exe", Data([0x4D, 0x5A, 0x90, 0x00]))]).status == .unprocessableContent)
            #expect(try await send([("files", "empty.pdf", Data())]).status == .unprocessableContent)
            // Over the size of one file; more files than a reply may carry.
            let big = Data([0xFF, 0xD8, 0xFF] + Array(repeating: UInt8(1), count: AttachmentPolicy.maxFileBytes))
            #expect(try await send([("files", "big.jpg", big)]).status == .contentTooLarge)
            let many = (0...AttachmentPolicy.maxFiles).map { i in (field: "files", filename: "p\(i).png", data: Self.png + Data([UInt8(i)])) }
            #expect(try await send(many).status == .unprocessableContent)
            // A good file with an empty text: the reply is refused, so the file is not kept either.
            #expect(try await send([("files", "ok.png", Self.png)], text: " ").status == .unprocessableContent)
            // A broken body.
            var headers = bearer("east1")
            headers[.contentType] = MultipartBody.contentType
            #expect(try await client.send(.post, APIRoutes.action(n, "reply"), headers: headers, body: "no boundary here").status == .badRequest)
            // JSON cannot claim files it does not carry.
            let claimed = try await client.post(APIRoutes.action(n, "reply"), as: "east1", ["text": "已处理", "attachments": [["name": "a.jpg", "content_type": "image/jpeg", "size": 10]]])
            #expect(claimed.status == .unprocessableContent)

            #expect(try await services.attachments.count(of: number) == 0)
            let after = try await client.call(.get, APIRoutes.order(n), as: "sup1")
            #expect(before.raw == after.raw, "refused uploads changed the order")

            // The other unit's reply attempt with a good file: 404, nothing stored.
            let foreign = try await client.upload(APIRoutes.action(n, "reply"), headers: bearer("west1"), MultipartBody(
                fields: [("text", "已处理")], files: [("files", "ok.png", Self.png)]))
            #expect(foreign.status == .notFound)
            #expect(try await services.attachments.count(of: number) == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theReplyFormUploadsAndTheOrderPageLinksTheFiles(db: TestDatabase) async throws {
        try await withAPI(db) { client, _ in
            let console = ConsoleTests()
            let n = try await handlingOrder(client)
            let unit = try await console.logIn(client, "east1")
            let page = try await console.page(client, WebRoutes.order(n), cookie: unit)
            #expect(page.raw.contains("enctype=\"multipart/form-data\""))
            #expect(page.raw.contains("type=\"file\" multiple accept=\".jpg,.jpeg,.png"))
            let csrf = try #require(page.raw.range(of: "name=\"_csrf\" value=\"").map { String(page.raw[$0.upperBound...].prefix(64)) })
            let cookie: HTTPFields = [.cookie: "hotline_session=" + unit]
            let noToken = try await client.upload(WebRoutes.order(n) + "/reply", headers: cookie, MultipartBody(
                fields: [("text", "已修好")], files: [("files", "after.png", Self.png)]))
            #expect(noToken.status == .forbidden)
            #expect(page.raw.contains("action=\"/orders/\(n)/reply?_csrf=\(csrf)\""), "the upload form carries its token in the URL")
            let tokenInBodyOnly = try await client.upload(WebRoutes.order(n) + "/reply", headers: cookie, MultipartBody(
                fields: [("_csrf", csrf), ("text", "已修好")], files: [("files", "after.png", Self.png)]))
            #expect(tokenInBodyOnly.status == .forbidden, "an upload's token is checked before its body is read")
            let refused = try await client.upload(WebRoutes.order(n) + "/reply?_csrf=" + csrf, headers: cookie, MultipartBody(
                fields: [("text", "已修好")], files: [("files", "after.png", Self.pdf)]))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.raw.contains("role=\"alert\"") && refused.raw.contains("after.png"))
            let sent = try await client.upload(WebRoutes.order(n) + "/reply?_csrf=" + csrf, headers: cookie, MultipartBody(
                fields: [("text", "已修好路灯")], files: [("files", "after.png", Self.png), ("files", "", Data())]))
            #expect(sent.status == .seeOther, "\(sent.raw)")
            let shown = try await console.page(client, WebRoutes.order(n), cookie: try await console.logIn(client, "rev1"))
            let link = try #require(shown.raw.range(of: "href=\"/orders/\(n)/attachments/").map { String(shown.raw[$0.lowerBound...].dropFirst(6).prefix(while: { $0 != "\"" })) })
            #expect(shown.raw.contains("<img src=\"\(link)\" alt=\"\" loading=\"lazy\">"))
            let file = try await client.download(link, headers: [.cookie: "hotline_session=" + (try await console.logIn(client, "rev1"))])
            #expect(file.status == .ok && file.data == Self.png)
            let other = try await client.download(link, headers: [.cookie: "hotline_session=" + (try await console.logIn(client, "west1"))])
            #expect(other.status == .notFound)
        }
    }
}

/// The multipart reader and the file checks on their own.
@Suite struct UploadParsingTests {
    @Test func fieldsAndFilesComeApart() throws {
        let body = MultipartBody(fields: [("text", "第一行\r\n第二行"), ("_csrf", "abc")],
                                 files: [("files", "现场 \"照片\".png", AttachmentTests.png), ("files", "", Data())])
        let form = try MultipartForm.parse(body.data, boundary: MultipartBody.boundary)
        #expect(form.fields["text"] == "第一行\r\n第二行")
        #expect(form.fields["_csrf"] == "abc")
        #expect(form.files.count == 1, "an empty file input is no file")
        #expect(form.files.first?.data == AttachmentTests.png)
        #expect(MultipartForm.boundary(of: "multipart/form-data; boundary=\"x y\"") == "x y")
        #expect(MultipartForm.boundary(of: "application/json") == nil)
        #expect(throws: APIError.self) { try MultipartForm.parse(Data("--zzz\r\nbroken".utf8), boundary: "zzz") }
        #expect(throws: APIError.self) { try MultipartForm.parse(Data("nothing".utf8), boundary: "zzz") }
    }

    @Test func repeatedPartsAreRefusedPastTheLimit() throws {
        let many = MultipartBody(fields: Array(repeating: ("text", "重复"), count: MultipartForm.maximumParts + 1), files: [])
        #expect(throws: APIError.self) { try MultipartForm.parse(many.data, boundary: MultipartBody.boundary) }
        let enough = MultipartBody(fields: Array(repeating: ("tags", "a"), count: 3), files: [])
        #expect(try MultipartForm.parse(enough.data, boundary: MultipartBody.boundary).fields["tags"] == "a,a,a", "repeats still join")
    }

    @Test func filesAreKnownByTheirBytesNotTheirNames() throws {
        #expect(try AttachmentPolicy.type(of: [0xFF, 0xD8, 0xFF, 0xE0], name: "a.JPG") == AttachmentPolicy.jpeg)
        #expect(try AttachmentPolicy.type(of: Array("%PDF-1.4".utf8), name: "b.pdf") == AttachmentPolicy.pdf)
        #expect(try AttachmentPolicy.type(of: [0x50, 0x4B, 0x03, 0x04, 1], name: "c.docx") == AttachmentPolicy.docx)
        #expect(try AttachmentPolicy.type(of: Array("办理说明".utf8), name: "d.txt") == AttachmentPolicy.text)
        #expect(throws: AttachmentPolicy.Refusal.unsupported(name: "e.png")) { try AttachmentPolicy.type(of: Array("%PDF-".utf8), name: "e.png") }
        #expect(throws: AttachmentPolicy.Refusal.unsupported(name: "f.html")) { try AttachmentPolicy.type(of: Array("<html>".utf8), name: "f.html") }
        #expect(throws: AttachmentPolicy.Refusal.unsupported(name: "noext")) { try AttachmentPolicy.type(of: [0xFF, 0xD8, 0xFF], name: "noext") }
        #expect(throws: AttachmentPolicy.Refusal.unsupported(name: "g.txt")) { try AttachmentPolicy.type(of: [0x41, 0x00, 0x42], name: "g.txt") }
        #expect(try AttachmentPolicy.cleanName("C:\\fakepath\\..\\现场.jpg") == "现场.jpg")
        #expect(try AttachmentPolicy.cleanName("../../etc/passwd") == "passwd")
        #expect(throws: AttachmentPolicy.Refusal.badName) { try AttachmentPolicy.cleanName("..") }
        #expect(AttachmentResponder.disposition(name: "a\"b;c.pdf", inline: false) == "attachment; filename=\"a_b_c.pdf\"; filename*=UTF-8''a%22b%3Bc.pdf")
    }
}

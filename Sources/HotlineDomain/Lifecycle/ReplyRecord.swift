/// How a reply is written into the event log: the full text as the event's note, and each file's SHA-256, size, type
/// and name in the details, so that every round a unit answered stays in the hash-chained record after later rounds replace it.
public enum ReplyRecord {
    /// The event details of a reply: its unit, its files (`<sha256> <bytes> <content type> <name>` a line), and the order
    /// it came from when it was carried over from the surviving order of a merge.
    public static func details(of reply: Reply, from origin: OrderNumber? = nil) -> [String: String] {
        var details = attachmentDetails(reply.attachments)
        details["unit"] = reply.unit
        if let origin { details["from"] = origin.description }
        return details
    }

    /// The files of an event's details, a line each (empty when there are none).
    public static func attachmentDetails(_ attachments: [AttachmentInfo]) -> [String: String] {
        let files = attachments.compactMap { a in a.sha256.map { "\($0) \(a.size) \(a.contentType) \(a.name)" } }
        return files.isEmpty ? [:] : ["attachments": files.joined(separator: "\n")]
    }

    /// The files a reply event names.
    public static func attachments(in details: [String: String]) -> [AttachmentInfo] {
        (details["attachments"] ?? "").split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 3)
            guard parts.count == 4, let size = Int(parts[1]) else { return nil }
            return AttachmentInfo(name: String(parts[3]), contentType: String(parts[2]), size: size, sha256: String(parts[0]))
        }
    }
}

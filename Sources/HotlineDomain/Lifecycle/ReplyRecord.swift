/// How a reply is written into the event log: the full text as the event's note, and each file's SHA-256, size, type
/// and name in the details, so that every round a unit answered stays in the hash-chained record after later rounds replace it.
public enum ReplyRecord {
    /// The event details of a reply: its unit, its files (`<sha256> <bytes> <content type> <name>` a line), and the order
    /// it came from when it was carried over from the surviving order of a merge.
    public static func details(of reply: Reply, from origin: OrderNumber? = nil) -> [String: String] {
        var details = ["unit": reply.unit]
        let files = reply.attachments.compactMap { a in a.sha256.map { "\($0) \(a.size) \(a.contentType) \(a.name)" } }
        if !files.isEmpty { details["attachments"] = files.joined(separator: "\n") }
        if let origin { details["from"] = origin.description }
        return details
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

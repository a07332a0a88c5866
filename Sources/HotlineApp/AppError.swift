import HotlineDomain

/// A use case's refusal that is not a lifecycle rule: what the front ends turn into a status and a Chinese message.
public enum AppError: Error, Equatable, Sendable {
    /// Missing, or outside the actor's data scope: both answer alike.
    case notFound(what: String)
    /// The role lacks the capability.
    case lacks(Capability, role: Role)
    /// Refused for a stated reason (a stable code and a Chinese message).
    case forbidden(code: String, message: String, field: String?)
    /// An input field is wrong.
    case invalid(field: String, message: String)
    /// The input is well formed but names something that does not exist or cannot be (unknown unit, a cycle), with
    /// a stable code.
    case unprocessable(code: String, message: String, field: String?)
    /// The change collides with the current state (already exists, would lock the admin out).
    case conflict(code: String, message: String, field: String?)
    /// Too many requests for now: try again after `retryAfter` seconds (a Chinese message says why).
    case rateLimited(retryAfter: Int, message: String)
}

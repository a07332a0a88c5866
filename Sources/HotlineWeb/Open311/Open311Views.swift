import Foundation
import HotlineDomain

/// The objects GeoReport v2 answers with, each written as ``Open311Document`` in the specification's field order.
enum Open311View {
    /// A service type (`GET services`): one category of the tree.
    struct Service: Open311Encodable, Equatable {
        var code: String
        var name: String
        var description: String?
        /// Whether the service has a definition with attributes (`GET services/{code}`).
        var metadata: Bool
        var keywords: String?
        var group: String?

        var document: Open311Document {
            .object([
                ("service_code", .text(code)), ("service_name", .text(name)), ("description", .optional(description)),
                ("metadata", .bool(metadata)), ("type", .text("realtime")), ("keywords", .optional(keywords)), ("group", .optional(group)),
            ])
        }
    }

    /// A service's extra fields (`GET services/{code}`).
    struct ServiceDefinition: Open311Encodable, Equatable {
        var code: String
        var attributes: [Attribute]

        var document: Open311Document {
            .object([("service_code", .text(code)), ("attributes", .list(item: "attribute", attributes.map(\.document)))])
        }
    }

    struct Attribute: Open311Encodable, Equatable {
        enum Datatype: String { case string, number, datetime, text, singlevaluelist, multivaluelist }
        var code: String
        var datatype: Datatype
        var required: Bool
        var datatypeDescription: String?
        var order: Int
        var description: String
        /// The choices of a list; nil for the other datatypes.
        var values: [(key: String, name: String)]?

        static func == (lhs: Attribute, rhs: Attribute) -> Bool { lhs.document == rhs.document }

        var document: Open311Document {
            var fields: [(String, Open311Document)] = [
                ("variable", .bool(true)), ("code", .text(code)), ("datatype", .text(datatype.rawValue)), ("required", .bool(required)),
                ("datatype_description", .optional(datatypeDescription)), ("order", .integer(order)), ("description", .text(description)),
            ]
            if let values {
                fields.append(("values", .list(item: "value", values.map { .object([("key", .text($0.key)), ("name", .text($0.name))]) })))
            }
            return .object(fields)
        }
    }

    /// A service request as anyone may read it (`GET requests`, `GET requests/{id}`).
    struct ServiceRequest: Open311Encodable, Equatable {
        var id: String
        var status: Open311Status
        var statusNotes: String?
        var serviceName: String?
        var serviceCode: String
        var description: String?
        var agencyResponsible: String?
        var requested: Date
        var updated: Date?
        var expected: Date?
        var address: String?
        var latitude: Double?
        var longitude: Double?

        var document: Open311Document {
            .object([
                ("service_request_id", .text(id)), ("status", .text(status.rawValue)), ("status_notes", .optional(statusNotes)),
                ("service_name", .optional(serviceName)), ("service_code", .text(serviceCode)), ("description", .optional(description)),
                ("agency_responsible", .optional(agencyResponsible)), ("service_notice", .null),
                ("requested_datetime", .text(requested.chinaISO8601)), ("updated_datetime", .optional(updated)),
                ("expected_datetime", .optional(expected)), ("address", .optional(address)), ("address_id", .null), ("zipcode", .null),
                ("lat", .optional(latitude)), ("long", .optional(longitude)), ("media_url", .null),
            ])
        }
    }

    /// The answer to `POST requests`: the order's number at once (no token is needed).
    struct Posted: Open311Encodable, Equatable {
        var id: String
        var notice: String

        var document: Open311Document {
            .object([("service_request_id", .text(id)), ("service_notice", .text(notice)), ("account_id", .null)])
        }
    }

    /// The service discovery document (`discovery`).
    struct Discovery: Open311Encodable, Equatable {
        var changeset: Date
        var contact: String
        var keyService: String
        var url: String

        var document: Open311Document {
            let endpoint: Open311Document = .object([
                ("specification", .text("http://wiki.open311.org/GeoReport_v2")), ("url", .text(url)),
                ("changeset", .text(changeset.chinaISO8601)), ("type", .text("production")),
                ("formats", .list(item: "format", Open311Format.allCases.map { .text($0.mediaType) })),
            ])
            return .object([
                ("changeset", .text(changeset.chinaISO8601)), ("contact", .text(contact)), ("key_service", .text(keyService)),
                ("endpoints", .list(item: "endpoint", [endpoint])),
            ])
        }
    }
}

/// A request's status as GeoReport v2 knows it: the loop's many states come down to whether the citizen is still owed
/// something.
enum Open311Status: String, Sendable, CaseIterable {
    case open, closed

    /// 办结, 归档, 不予受理 and 直接答复 (which closes the order at intake) are closed; every other state — a merged order
    /// included, which waits for its surviving order's answer — is open.
    init(_ status: WorkOrderStatus) {
        switch status {
        case .closed, .archived, .rejected: self = .closed
        case .pendingDispatch, .dispatched, .returned, .handling, .unitReview, .replied, .awaitingCallback, .callbackDisputed, .merged:
            self = .open
        }
    }

    /// The internal statuses each public status stands for.
    var statuses: [WorkOrderStatus] { WorkOrderStatus.allCases.filter { Open311Status($0) == self } }
}

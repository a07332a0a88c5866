import Foundation
import HotlineApp
import HotlineDomain

/// One row of `GET /api/v1/measures`: the group, the counts behind each rate, and the rates in [0, 1] or null where
/// the denominator is 0 (written out as null, never left out).
struct MeasureRowView: Encodable {
    var row: MeasureReport.Row
    var weight: Double

    enum Key: String, CodingKey {
        case key, name, subtree, received, accepted, dispatched, signedOnTime = "signed_on_time", reached, resolved, satisfied
        case basicallySatisfied = "basically_satisfied", finished, finishedOnTime = "finished_on_time", openOverdue = "open_overdue"
        case directAnswered = "direct_answered", repeated, returned, redone, unsatisfiedClosed = "unsatisfied_closed", handled, rated
        case responseRate = "response_rate", resolutionRate = "resolution_rate", satisfactionRate = "satisfaction_rate"
        case onTimeRate = "on_time_rate", onTimeRateWithOpen = "on_time_rate_with_open", directAnswerRate = "direct_answer_rate"
        case repeatRate = "repeat_rate", returnRate = "return_rate", redoRate = "redo_rate", averageHandlingHours = "average_handling_hours"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        let f = row.figures
        let n = f.counts
        try c.encode(row.key, forKey: .key)
        try c.encode(row.name, forKey: .name)
        if let subtree = row.subtree { try c.encode(subtree, forKey: .subtree) }
        for (key, value) in [(Key.received, n.received), (.accepted, n.accepted), (.dispatched, n.dispatched), (.signedOnTime, n.signedOnTime),
                             (.reached, n.reached), (.resolved, n.resolved), (.satisfied, n.satisfied), (.basicallySatisfied, n.basicallySatisfied),
                             (.finished, n.finished), (.finishedOnTime, n.finishedOnTime), (.openOverdue, f.openOverdue),
                             (.directAnswered, n.directAnswered), (.repeated, n.repeated), (.returned, n.returned), (.redone, n.redone),
                             (.unsatisfiedClosed, n.unsatisfiedClosed), (.handled, n.handled), (.rated, n.rated)] {
            try c.encode(value, forKey: key)
        }
        for (key, value) in [(Key.responseRate, f.responseRate), (.resolutionRate, f.resolutionRate),
                             (.satisfactionRate, f.satisfactionRate(weight: weight)), (.onTimeRate, f.onTimeRate),
                             (.onTimeRateWithOpen, f.onTimeRateWithOpen), (.directAnswerRate, f.directAnswerRate), (.repeatRate, f.repeatRate),
                             (.returnRate, f.returnRate), (.redoRate, f.redoRate), (.averageHandlingHours, f.averageHandlingHours)] {
            if let value { try c.encode(Self.rounded(value), forKey: key) } else { try c.encodeNil(forKey: key) }
        }
    }

    /// Six decimals: enough for any rate, short on the wire.
    static func rounded(_ x: Double) -> Double { (x * 1_000_000).rounded() / 1_000_000 }
}

struct MeasureDefinitionView: Encodable {
    var name: String
    var numerator: String
    var denominator: String
    var formula: String
    var period: String
    var exclusions: String

    init(_ d: MeasureDefinition) {
        name = d.name
        numerator = d.numerator
        denominator = d.denominator
        formula = d.formula
        period = d.period
        exclusions = d.exclusions
    }
}

/// `GET /api/v1/measures`.
struct MeasureReportView: Encodable {
    var from: String
    var to: String
    var by: String
    var rows: [MeasureRowView]
    var total: MeasureRowView
    var definitions: [String: MeasureDefinitionView]
    var settings: MeasureSettingsView

    init(_ r: MeasureReport) {
        let w = r.settings.basicSatisfactionWeight
        from = r.query.from.description
        to = r.query.to.description
        by = r.query.by.rawValue
        rows = r.rows.map { MeasureRowView(row: $0, weight: w) }
        total = MeasureRowView(row: r.total, weight: w)
        definitions = Dictionary(uniqueKeysWithValues: r.definitions.map { ($0.key, MeasureDefinitionView($0)) })
        settings = MeasureSettingsView(r.settings)
    }
}

/// The measures' settings on the wire (`GET/PUT /api/v1/measure-settings`), snake_case.
struct MeasureSettingsView: Codable {
    var basicSatisfactionWeight: Double
    var responseWeight: Double
    var resolutionWeight: Double
    var satisfactionWeight: Double
    var onTimeWeight: Double
    var yellowCardPenalty: Double
    var redCardPenalty: Double

    init(_ s: MeasureSettings) {
        basicSatisfactionWeight = s.basicSatisfactionWeight
        responseWeight = s.responseWeight
        resolutionWeight = s.resolutionWeight
        satisfactionWeight = s.satisfactionWeight
        onTimeWeight = s.onTimeWeight
        yellowCardPenalty = s.yellowCardPenalty
        redCardPenalty = s.redCardPenalty
    }

    var settings: MeasureSettings {
        MeasureSettings(
            basicSatisfactionWeight: basicSatisfactionWeight, responseWeight: responseWeight, resolutionWeight: resolutionWeight,
            satisfactionWeight: satisfactionWeight, onTimeWeight: onTimeWeight, yellowCardPenalty: yellowCardPenalty, redCardPenalty: redCardPenalty)
    }
}

/// `GET /api/v1/ranking`.
struct RankingView: Encodable {
    struct Row: Encodable {
        var place: Int?
        var unit: String
        var name: String
        var group: UnitKind
        var score: Double?
        var yellowCards: Int
        var redCards: Int
        var measures: MeasureRowView

        func encode(to encoder: any Encoder) throws {
            enum K: String, CodingKey { case place, unit, name, group, groupName = "group_name", score, yellowCards = "yellow_cards", redCards = "red_cards", measures }
            var c = encoder.container(keyedBy: K.self)
            if let place { try c.encode(place, forKey: .place) } else { try c.encodeNil(forKey: .place) }
            try c.encode(unit, forKey: .unit)
            try c.encode(name, forKey: .name)
            try c.encode(group.rawValue, forKey: .group)
            try c.encode(group.chineseName, forKey: .groupName)
            if let score { try c.encode((score * 100).rounded() / 100, forKey: .score) } else { try c.encodeNil(forKey: .score) }
            try c.encode(yellowCards, forKey: .yellowCards)
            try c.encode(redCards, forKey: .redCards)
            try c.encode(measures, forKey: .measures)
        }
    }

    /// A group of units ranked among themselves (分类考评).
    struct Group: Encodable {
        var group: String
        var name: String
        var ranked: Int
    }

    var month: String
    var ranked: Int
    var groups: [Group]
    var rows: [Row]
    var settings: MeasureSettingsView

    init(_ r: UnitRanking) {
        month = r.month
        ranked = r.ranked
        groups = UnitRanking.groupOrder.compactMap { g in r.rankedByGroup[g].map { Group(group: g.rawValue, name: g.chineseName, ranked: $0) } }
        settings = MeasureSettingsView(r.settings)
        rows = r.rows.map { row in
            Row(place: row.place, unit: row.unit, name: row.name, group: row.group, score: row.score, yellowCards: row.yellowCards, redCards: row.redCards,
                measures: MeasureRowView(row: .init(key: row.unit, name: row.name, figures: row.figures, subtree: false), weight: r.settings.basicSatisfactionWeight))
        }
    }
}

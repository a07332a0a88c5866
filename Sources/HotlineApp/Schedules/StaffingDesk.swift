import Foundation
import HotlineDomain
import HotlineStorage
import Synchronization

/// The call history forecasts read, kept per range of days for ``lifetime``: the days before today hardly change once
/// over, so the staffing page reads its twelve weeks of `calls` once in a while instead of on every view. An empty
/// history (a centre with no calls yet) is not kept, so the first calls count at once.
public final class CallHistoryCache: Sendable {
    public static let lifetime: TimeInterval = 600
    private let entries = Mutex<[String: (loaded: Date, history: CallHistory, aht: Double?)]>([:])

    public init() {}

    func history(
        from: CivilDay, to: CivilDay, now: Date, load: () async throws -> (history: CallHistory, averageHandleSeconds: Double?)
    ) async throws -> (history: CallHistory, averageHandleSeconds: Double?) {
        let key = "\(from)/\(to)"
        if let kept = entries.withLock({ $0[key] }), now.timeIntervalSince(kept.loaded) < Self.lifetime, kept.loaded <= now {
            return (kept.history, kept.aht)
        }
        let fresh = try await load()
        if !fresh.history.days.isEmpty {
            entries.withLock { all in
                all = all.filter { now.timeIntervalSince($0.value.loaded) < Self.lifetime }
                all[key] = (now, fresh.history, fresh.averageHandleSeconds)
            }
        }
        return fresh
    }
}

/// 人力预测: a day's calls per half hour forecast from the `calls` history with the working calendar
/// (``CallForecaster``), the agents Erlang C asks for (``StaffingPlan``), the roster's coverage against it, and the
/// service level the call simulator reaches with the agents scheduled (``StaffingDay``). Managers, supervisors, admins.
public struct StaffingDesk: Sendable {
    let services: HotlineServices
    let cache: CallHistoryCache

    public init(services: HotlineServices, cache: CallHistoryCache = CallHistoryCache()) {
        self.services = services
        self.cache = cache
    }

    /// Weeks of history read for a forecast: enough for the time-of-day profiles (8 weeks) and the trend (6 weeks).
    public static let historyWeeks = 12
    /// The handling time assumed when neither the history nor the user gives one (talk and after-call work, seconds).
    public static let defaultHandleSeconds = 300.0

    /// What the page and `GET /api/v1/staffing` ask: every field optional, as text, so a bad one is named.
    public struct Query: Sendable, Equatable {
        public var day: String?
        public var serviceLevel: String?
        public var answerSeconds: String?
        public var aht: String?
        public var shrinkage: String?
        /// 预计日话务量: the day's calls, entered when there is no history (or to override it).
        public var dailyCalls: String?

        public init(day: String? = nil, serviceLevel: String? = nil, answerSeconds: String? = nil, aht: String? = nil, shrinkage: String? = nil,
                    dailyCalls: String? = nil) {
            self.day = day
            self.serviceLevel = serviceLevel
            self.answerSeconds = answerSeconds
            self.aht = aht
            self.shrinkage = shrinkage
            self.dailyCalls = dailyCalls
        }
    }

    /// Where the calls came from.
    public enum Source: String, Sendable {
        /// Forecast from the history.
        case history
        /// The user's daily calls spread over the day's usual shape.
        case entered
        /// No history and nothing entered: no calls.
        case none
    }

    public struct Result: Sendable {
        public var day: CivilDay
        public var target: ServiceTarget
        public var averageHandleSeconds: Double
        /// Whether the handling time came from the history (else entered or the default).
        public var ahtFromHistory: Bool
        public var source: Source
        /// Days of history the forecast learned from.
        public var historyDays: Int
        public var staffing: StaffingDay
        public var dayType: CallDayType
    }

    static func number(_ text: String?, field: String, default value: Double, range: ClosedRange<Double>, message: String) throws -> Double {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return value }
        guard let v = Double(text), v.isFinite, range.contains(v) else { throw AppError.invalid(field: field, message: message) }
        return v
    }

    /// The staffing of `query.day` (tomorrow by default) for `user`.
    public func staffing(_ query: Query, for user: UserAccount, at now: Date) async throws -> Result {
        guard Capability.viewStaffing.isAllowed(for: user.role) else { throw AppError.lacks(.viewStaffing, role: user.role) }
        let today = CivilDay(containing: now)
        var day = today.adding(days: 1)
        if let text = query.day?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let d = CivilDay(iso: text) else { throw AppError.invalid(field: "day", message: "日期应为形如2026-01-31的日期") }
            day = d
        }
        let level = try Self.number(query.serviceLevel, field: "service_level", default: 0.8, range: 0.01...0.99, message: "应为0.01到0.99之间的小数，如0.8")
        let answer = try Self.number(query.answerSeconds, field: "answer_seconds", default: 20, range: 1...600, message: "应为1到600秒")
        let shrinkage = try Self.number(query.shrinkage, field: "shrinkage", default: 0.3, range: 0...0.9, message: "应为0到0.9之间的小数，如0.3")
        let enteredAHT = try Self.number(query.aht, field: "aht", default: 0, range: 10...3600, message: "应为10到3600秒")
        let daily = try Self.number(query.dailyCalls, field: "daily_calls", default: -1, range: 0...1_000_000, message: "应为0到1000000之间的整数")

        let store = ScheduleStore(database: services.database)
        // History ends the day before the day asked about, and never after yesterday.
        let last = min(day.adding(days: -1), today.adding(days: -1))
        let first = last.adding(days: -7 * Self.historyWeeks + 1)
        let (history, historyAHT) = try await cache.history(from: first, to: last, now: now) { try await store.callHistory(from: first, to: last) }
        let calendar = services.reference.context.calendar
        var calls: [Double]
        var source: Source
        if !history.days.isEmpty, history.days.values.contains(where: { $0.contains { $0 > 0 } }) {
            calls = CallForecaster(calendar: calendar).forecast(day, from: history)
            source = .history
            if daily >= 0 {
                let total = calls.reduce(0, +)
                calls = total > 0 ? calls.map { $0 * daily / total } : StaffingDay.typicalDay(dailyCalls: daily)
                source = .entered
            }
        } else if daily >= 0 {
            calls = StaffingDay.typicalDay(dailyCalls: daily)
            source = .entered
        } else {
            calls = [Double](repeating: 0, count: 48)
            source = .none
        }
        let aht = enteredAHT > 0 ? enteredAHT : (historyAHT.flatMap { $0 > 0 ? $0 : nil } ?? Self.defaultHandleSeconds)
        let target = ServiceTarget(serviceLevel: level, answerSeconds: answer, shrinkage: shrinkage)
        let entries = try await store.roster(from: day, to: day)
        let staffing: StaffingDay
        do {
            staffing = try StaffingDay(calls: calls, averageHandleSeconds: aht, target: target, coverage: Coverage(entries: entries))
        } catch {
            throw AppError.invalid(field: "daily_calls", message: "话务量过大，超出模型测算范围")
        }
        return Result(
            day: day, target: target, averageHandleSeconds: aht, ahtFromHistory: enteredAHT == 0 && historyAHT != nil, source: source,
            historyDays: history.days.count, staffing: staffing, dayType: CallDayType(day, calendar: calendar))
    }
}

extension HotlineApp {
    /// 人力预测.
    public var staffing: StaffingDesk { StaffingDesk(services: services, cache: callHistoryCache) }
}

import Foundation

/// A realistic day of a 12345 call centre, simulated (话务模拟): calls arrive by half hour with the morning and
/// afternoon peaks of a city hotline, fewer on weekends and fewer still on public holidays (from the working-day
/// calendar); agents on the phones answer first come, first served; a caller whose patience runs out hangs up
/// (放弃) and is listed for a call back (漏接回拨); some calls go to an expert seat. The result is the events a
/// call-centre system would send, in time order; the same generator state gives the same day.
public struct CallDaySimulation: Sendable {
    public struct Settings: Sendable {
        /// Calls offered on an ordinary working day.
        public var calls = 3_000
        /// Seats staffed in the day's busiest hours.
        public var seats = 58
        /// Mean talk time and after-call work, in seconds.
        public var meanTalkSeconds = 270.0
        public var afterCallSeconds = 45.0
        /// Mean patience of a waiting caller, in seconds.
        public var meanPatienceSeconds = 120.0
        /// Share of answered calls transferred to an expert seat (专家坐席).
        public var transferShare = 0.05

        public init() {}
    }

    /// The share of a day's calls in each half hour (48), a city hotline's shape: quiet nights, a morning peak from
    /// 9:00 to 11:30 and an afternoon peak from 14:00 to 16:30.
    public static let profile: [Double] = {
        let weights: [Double] = [
            0.25, 0.2, 0.15, 0.12, 0.1, 0.1, 0.1, 0.1, 0.12, 0.15, 0.2, 0.3,  // 0:00–5:30
            0.45, 0.7, 1.1, 1.6, 2.6, 3.6, 4.3, 4.6, 4.5, 4.2, 3.9, 3.3,  // 6:00–11:30
            2.4, 2.1, 2.6, 3.3, 3.9, 4.1, 4.0, 3.8, 3.5, 3.0, 2.5, 2.0,  // 12:00–17:30
            1.6, 1.4, 1.2, 1.1, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3,  // 18:00–23:30
        ]
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }()

    /// Seats on the phones in each half hour as a share of `seats`: the seats are the centre's, the agents on the phones
    /// at once fewer (shifts, breaks, training, call-backs) — about half the floor from 8:30 to 17:30, fewer in the
    /// evening, a night shift.
    public static let coverage: [Double] = (0..<48).map { half in
        switch half {
        case 0..<14: 0.08
        case 14..<17: 0.3
        case 17..<35: 0.5
        case 35..<40: 0.3
        default: 0.15
        }
    }

    /// How a kind of day scales the calls: a public holiday takes about half, a weekend about 70%.
    public static func dayFactor(_ day: CivilDay, calendar: WorkingCalendar) -> (factor: Double, name: String) {
        if let holiday = calendar.holidayName(day), !calendar.isWorkingDay(day) { return (0.5, holiday) }
        if !calendar.isWorkingDay(day) { return (0.7, "休息日") }
        if day.isWeekend { return (1.0, "调休上班") }
        return (day.weekday == 1 ? 1.12 : 1.0, "工作日")
    }

    public let day: CivilDay
    public let settings: Settings
    public let factor: Double
    public let dayName: String

    public init(day: CivilDay, calendar: WorkingCalendar, settings: Settings = Settings()) {
        self.day = day
        self.settings = settings
        (factor, dayName) = Self.dayFactor(day, calendar: calendar)
    }

    /// What the day came to.
    public struct Summary: Sendable, Equatable {
        public var offered = 0
        public var answered = 0
        public var abandoned = 0
        public var answeredWithin20 = 0
        public var transferred = 0
        public var totalWaitSeconds = 0.0
        /// Per half hour: offered, answered within 20 s.
        public var perInterval = [(offered: Int, within20: Int)](repeating: (0, 0), count: 48)

        public static func == (a: Self, b: Self) -> Bool {
            a.offered == b.offered && a.answered == b.answered && a.abandoned == b.abandoned && a.answeredWithin20 == b.answeredWithin20
        }
    }

    /// The day's events in time order, and what they add up to.
    public func run<G: RandomNumberGenerator>(using rng: inout G) -> (events: [CallEvent], summary: Summary) {
        let start = day.start
        let prefix = "sim-\(day)"
        // Arrivals: a Poisson count per half hour around the profile's share, uniform within it.
        var arrivals: [(at: Double, half: Int)] = []
        for half in 0..<48 {
            let mean = Double(settings.calls) * factor * Self.profile[half]
            let count = Self.poisson(mean, &rng)
            for _ in 0..<count { arrivals.append((Double(half) * 1_800 + Double.random(in: 0..<1, using: &rng) * 1_800, half)) }
        }
        arrivals.sort { $0.at < $1.at }
        // Agents: seat i works in a half hour when i < seats × coverage; each is free from some time on.
        let agents = (0..<settings.seats).map { String(format: "seat-%03d", $0 + 1) }
        var freeAt = [Double](repeating: 0, count: agents.count)
        var events: [CallEvent] = []
        var summary = Summary()
        func date(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }
        for (i, agent) in agents.enumerated() {
            let firstHalf = (0..<48).first { Double(i) < Double(settings.seats) * Self.coverage[$0] } ?? 47
            freeAt[i] = Double(firstHalf) * 1_800
            events.append(CallEvent(id: "\(prefix)-\(agent)-on", at: date(freeAt[i]), callID: nil,
                                    kind: .agentState(agent: agent, state: .ready, seat: agent.replacingOccurrences(of: "seat-", with: "A"))))
        }
        func onDuty(_ i: Int, at t: Double) -> Bool {
            let half = min(47, Int(t / 1_800))
            return Double(i) < Double(settings.seats) * Self.coverage[half]
        }
        let queues = ["综合", "综合", "综合", "社保医保", "住房公积金", "企业服务"]
        for (n, arrival) in arrivals.enumerated() {
            let call = "\(prefix)-\(n + 1)"
            let caller = String(format: "1%02d%08d", 30 + Int(rng.next() % 60), Int(rng.next() % 100_000_000))
            summary.offered += 1
            summary.perInterval[arrival.half].offered += 1
            events.append(CallEvent(id: call + "-o", at: date(arrival.at), callID: call,
                                    kind: .offered(caller: caller, queue: queues[Int(rng.next() % UInt64(queues.count))], ivr: String(1 + rng.next() % 5))))
            let patience = -log(max(1e-9, Double.random(in: 0..<1, using: &rng))) * settings.meanPatienceSeconds
            // The agent on duty who is free first (ties to the lowest seat).
            var best: Int?
            for i in agents.indices where onDuty(i, at: max(arrival.at, freeAt[i])) {
                if best == nil || freeAt[i] < freeAt[best!] { best = i }
            }
            guard let i = best else { continue }
            let answerAt = max(arrival.at, freeAt[i])
            let wait = answerAt - arrival.at
            if wait > patience {
                summary.abandoned += 1
                events.append(CallEvent(id: call + "-x", at: date(arrival.at + patience), callID: call, kind: .abandoned))
                events.append(CallEvent(id: call + "-m", at: date(arrival.at + patience), callID: call, kind: .missedCallback(caller: caller)))
                continue
            }
            let talk = max(20, Self.lognormal(mean: settings.meanTalkSeconds, &rng))
            let acw = max(5, settings.afterCallSeconds * (0.5 + Double.random(in: 0..<1, using: &rng)))
            summary.answered += 1
            summary.totalWaitSeconds += wait
            if wait <= 20 {
                summary.answeredWithin20 += 1
                summary.perInterval[arrival.half].within20 += 1
            }
            let agent = agents[i]
            events.append(CallEvent(id: call + "-a", at: date(answerAt), callID: call, kind: .answered(agent: agent, seat: nil)))
            events.append(CallEvent(id: call + "-b", at: date(answerAt), callID: call + "-state", kind: .agentState(agent: agent, state: .busy, seat: nil)))
            if Double.random(in: 0..<1, using: &rng) < settings.transferShare {
                summary.transferred += 1
                let expert = ["人社专家坐席", "公积金专家坐席", "司法专家坐席"][Int(rng.next() % 3)]
                events.append(CallEvent(id: call + "-t", at: date(answerAt + talk * 0.6), callID: call, kind: .transferred(to: expert, threeWay: Double.random(in: 0..<1, using: &rng) < 0.5)))
            }
            events.append(CallEvent(id: call + "-e", at: date(answerAt + talk), callID: call,
                                    kind: .ended(waitSeconds: Int(wait.rounded()), talkSeconds: Int(talk.rounded()), afterCallSeconds: Int(acw.rounded()))))
            events.append(CallEvent(id: call + "-w", at: date(answerAt + talk), callID: call + "-state", kind: .agentState(agent: agent, state: .afterCallWork, seat: nil)))
            events.append(CallEvent(id: call + "-r", at: date(answerAt + talk + acw), callID: call + "-state", kind: .agentState(agent: agent, state: .ready, seat: nil)))
            freeAt[i] = answerAt + talk + acw
        }
        // Agent-state events carry no call: the ids above only keep them unique.
        events = events.map { e in
            if case .agentState = e.kind { return CallEvent(id: e.id, at: e.at, callID: nil, kind: e.kind) }
            return e
        }
        events.sort { $0.at < $1.at }
        return (events, summary)
    }

    static func poisson<G: RandomNumberGenerator>(_ mean: Double, _ rng: inout G) -> Int {
        guard mean > 0 else { return 0 }
        if mean > 50 { return max(0, Int((mean + sqrt(mean) * gaussian(&rng)).rounded())) }
        let limit = exp(-mean)
        var k = 0, p = 1.0
        repeat {
            k += 1
            p *= Double.random(in: 0..<1, using: &rng)
        } while p > limit
        return k - 1
    }

    static func gaussian<G: RandomNumberGenerator>(_ rng: inout G) -> Double {
        sqrt(-2 * log(max(1e-12, Double.random(in: 0..<1, using: &rng)))) * cos(2 * .pi * Double.random(in: 0..<1, using: &rng))
    }

    static func lognormal<G: RandomNumberGenerator>(mean: Double, _ rng: inout G) -> Double {
        let sigma = 0.6
        return exp(log(mean) - sigma * sigma / 2 + sigma * gaussian(&rng))
    }
}

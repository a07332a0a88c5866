import ArgumentParser
import Foundation
import HotlineApp
import HotlineDomain
import HotlineText
import HotlineWeb
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `hotline simulate-calls`: replays a simulated day of the call centre (``CallDaySimulation``) against a running
/// platform's `POST /api/v1/cti/events`, at `--speed` times real time (0: as fast as the server takes them), and prints
/// the day's figures. The events carry the simulated day's times, so the big screen of that day fills as they arrive.
struct SimulateCalls: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate-calls", abstract: "Replay a simulated day of calls against the platform's telephony event API.")

    @Option(help: "The China calendar day to simulate, YYYY-MM-DD.") var day: String
    @Option(help: "Calls offered on an ordinary working day (weekends and holidays take fewer).") var calls: Int = 3_000
    @Option(help: "Seats staffed in the busiest hours.") var seats: Int = 58
    @Option(help: "Times real time; 0 sends as fast as the server takes them.") var speed: Double = 60
    @Option(help: "The platform's address.") var url: String = "http://127.0.0.1:8080"
    @Option(help: "An API key of the cti:events scope; without one the command logs in as --user.") var token: String?
    @Option(help: "The user to log in as when no key is given (an admin).") var user: String = "admin"
    @Option(help: "That user's password.") var password: String = DemoSeeder.demoPassword
    @Option(help: "The most events in one request.") var batch: Int = 200
    @Option(help: "Seed of the simulation (the same seed gives the same day).") var seed: UInt64 = 12_345
    @Option(help: "Stop after this many events (0: the whole day).") var limit: Int = 0

    func validate() throws {
        guard CivilDay(iso: day) != nil else { throw ValidationError("--day should be a date, YYYY-MM-DD") }
        guard calls >= 0, seats > 0, speed >= 0, (1...1_000).contains(batch) else { throw ValidationError("--calls ≥ 0, --seats > 0, --speed ≥ 0, --batch 1–1000") }
    }

    func run() async throws {
        let date = CivilDay(iso: day)!
        let calendar = try DatabaseOptions.parse([]).calendar()
        var settings = CallDaySimulation.Settings()
        settings.calls = calls
        settings.seats = seats
        let simulation = CallDaySimulation(day: date, calendar: calendar, settings: settings)
        var rng = SplitMix64(seed: seed ^ UInt64(bitPattern: Int64(date.ordinal)))
        var (events, summary) = simulation.run(using: &rng)
        if limit > 0 { events = Array(events.prefix(limit)) }
        say("simulate-calls: \(date) (\(simulation.dayName), ×\(simulation.factor)), \(summary.offered) calls, \(seats) seats, \(events.count) events → \(url)")
        var key = token ?? ""
        if key.isEmpty { key = try await logIn() }
        let clock = ContinuousClock()
        let started = clock.now
        guard let first = events.first else { return }
        var sent = 0, accepted = 0, duplicates = 0, nextReport = events.count / 10
        var index = 0
        while index < events.count {
            // The events due by now (in replayed time), at most a batch.
            let dueBy = speed == 0 ? Double.infinity : Self.seconds(clock.now - started) * speed
            var chunk: [CallEvent] = []
            while index < events.count, chunk.count < batch, chunk.isEmpty || events[index].at.timeIntervalSince(first.at) <= dueBy {
                chunk.append(events[index])
                index += 1
            }
            let reply = try await post(chunk, key: key)
            accepted += reply.accepted
            duplicates += reply.duplicates
            sent += chunk.count
            if sent >= nextReport {
                say("  \(sent)/\(events.count) events sent, replayed time \(Self.clock(chunk.last!.at))")
                nextReport += max(1, events.count / 10)
            }
            if speed > 0, index < events.count {
                let wait = events[index].at.timeIntervalSince(first.at) / speed - Self.seconds(clock.now - started)
                if wait > 0 { try await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
            }
        }
        let took = Self.seconds(clock.now - started)
        say("sent \(sent) events in \(String(format: "%.1f", took)) s (\(String(format: "%.0f", Double(sent) / max(took, 0.001))) events/s): \(accepted) accepted, \(duplicates) duplicates")
        let sl = Double(summary.answeredWithin20) / Double(max(1, summary.offered))
        say("the day: offered \(summary.offered), answered \(summary.answered), abandoned \(summary.abandoned), "
            + "answered within 20 s \(String(format: "%.1f%%", sl * 100)) of offered, average wait "
            + "\(String(format: "%.1f", summary.answered == 0 ? 0 : summary.totalWaitSeconds / Double(summary.answered))) s, transferred \(summary.transferred)")
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

    static func clock(_ date: Date) -> String {
        let iso = date.chinaISO8601
        return String(iso.dropFirst(11).prefix(5))
    }

    /// The event as the API takes it.
    static func json(_ e: CallEvent) -> [String: Any] {
        var o: [String: Any] = ["event_id": e.id, "type": e.typeName, "at": e.at.chinaISO8601]
        if let call = e.callID { o["call_id"] = call }
        switch e.kind {
        case .offered(let caller, let queue, let ivr):
            o["caller"] = caller
            o["queue"] = queue
            if let ivr { o["ivr"] = ivr }
        case .answered(let agent, let seat):
            o["agent"] = agent
            if let seat { o["seat"] = seat }
        case .transferred(let to, let threeWay): (o["to"], o["three_way"]) = (to, threeWay)
        case .abandoned: break
        case .ended(let wait, let talk, let acw): (o["wait_seconds"], o["talk_seconds"], o["acw_seconds"]) = (wait, talk, acw)
        case .missedCallback(let caller): o["caller"] = caller
        case .agentState(let agent, let state, let seat):
            (o["agent"], o["state"]) = (agent, state.rawValue)
            if let seat { o["seat"] = seat }
        }
        return o
    }

    func post(_ chunk: [CallEvent], key: String) async throws -> (accepted: Int, duplicates: Int) {
        var request = URLRequest(url: URL(string: url + APIRoutes.ctiEvents)!)
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: ["events": chunk.map(Self.json)])
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer " + key, forHTTPHeaderField: "Authorization")
        for attempt in 0..<5 {
            do {
                let (data, response) = try await BenchPages.session.data(for: request)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
                guard status == 200, let object else {
                    throw ValidationError("the platform answered \(status): \(String(decoding: data.prefix(300), as: UTF8.self))")
                }
                return (object["accepted"] as? Int ?? 0, object["duplicates"] as? Int ?? 0)
            } catch let error as URLError where attempt < 4 {
                // A dropped connection: the same events again are harmless (idempotent by event id).
                say("  retrying after \(error.code.rawValue)")
                try await Task.sleep(for: .milliseconds(500 * (attempt + 1)))
            }
        }
        throw ValidationError("the platform did not answer")
    }

    func logIn() async throws -> String {
        var request = URLRequest(url: URL(string: url + APIRoutes.login)!)
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: ["username": user, "password": password])
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (data, _) = try await BenchPages.session.data(for: request)
        guard let token = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["token"] as? String else {
            throw ValidationError("cannot log in as \(user): \(String(decoding: data.prefix(200), as: UTF8.self))")
        }
        return token
    }
}

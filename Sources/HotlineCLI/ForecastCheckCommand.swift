import ArgumentParser
import Foundation
import HotlineDomain
import HotlineResources
import HotlineText

/// `hotline forecast-check`: the call forecast measured on simulated history (MAPE per half hour on held-out
/// weeks), and with `--plan` the staffing plan for the day after, so that the figures in docs/BENCHMARKS.md can
/// be run again.
struct ForecastCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast-check",
        abstract: "Measure the call forecast on simulated history: MAPE per half hour on held-out weeks.")

    @Option(help: "First simulated day, YYYY-MM-DD.") var from = "2024-01-01"
    @Option(help: "Last simulated day, YYYY-MM-DD (held-out weeks end on the Sunday on or before it).") var to = "2025-11-30"
    @Option(help: "Held-out weeks, each forecast from the history before it.") var weeks = 10
    @Option(help: "Random seed of the simulation.") var seed: UInt64 = 12345
    @Option(name: .customLong("min-calls"), help: "Intervals with fewer actual calls are left out of the MAPE.") var minimumCalls = 20.0
    @Flag(help: "Also print the staffing plan for the day after the history (table and chart).") var plan = false
    @Option(help: "Average handling time for --plan, seconds.") var aht = 240.0
    @Option(help: "Shrinkage for --plan.") var shrinkage = 0.3
    @Flag(help: "Print the report as JSON.") var json = false

    struct Report: Encodable {
        let heldOutDays: Int
        let intervalMAPE: Double
        let intervalWAPE: Double
        let dailyMAPE: Double
        let floorIntervalMAPE: Double
        let floorDailyMAPE: Double
        let intervals: [Interval]

        struct Interval: Encodable {
            let start: String
            let meanActual: Double
            let meanForecast: Double
            let mape: Double?
            let days: Int

            enum CodingKeys: String, CodingKey { case start, meanActual = "mean_actual", meanForecast = "mean_forecast", mape, days }
        }

        enum CodingKeys: String, CodingKey {
            case heldOutDays = "held_out_days", intervalMAPE = "interval_mape", intervalWAPE = "interval_wape", dailyMAPE = "daily_mape"
            case floorIntervalMAPE = "floor_interval_mape", floorDailyMAPE = "floor_daily_mape", intervals
        }
    }

    func validate() throws {
        guard let first = CivilDay(iso: from), let last = CivilDay(iso: to) else { throw ValidationError("--from and --to must be YYYY-MM-DD") }
        guard weeks > 0, last.ordinal - first.ordinal >= 7 * (weeks + 8) else {
            throw ValidationError("give at least 8 weeks of history before the \(weeks) held-out weeks")
        }
    }

    func run() throws {
        let calendar = try BundledData.workingCalendar()
        var random = SplitMix64(seed: seed)
        let simulated = SimulatedCallHistory().generate(from: CivilDay(iso: from)!, to: CivilDay(iso: to)!, calendar: calendar, using: &random)
        let forecaster = CallForecaster(calendar: calendar)
        let minutes = simulated.history.intervalMinutes
        let started = Date()
        let backtest = ForecastBacktest(history: simulated.history, forecaster: forecaster, weeks: weeks, minimumCalls: minimumCalls)
        let seconds = Date().timeIntervalSince(started)
        let floor = ForecastBacktest(
            history: simulated.history, forecaster: forecaster, weeks: weeks, minimumCalls: minimumCalls, oracle: simulated.expected)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let report = Report(
                heldOutDays: backtest.heldOutDays, intervalMAPE: backtest.intervalMAPE, intervalWAPE: backtest.intervalWAPE,
                dailyMAPE: backtest.dailyMAPE, floorIntervalMAPE: floor.intervalMAPE, floorDailyMAPE: floor.dailyMAPE,
                intervals: backtest.intervals.map {
                    Report.Interval(
                        start: String(Self.slot($0.startMinute, minutes).prefix(5)), meanActual: $0.meanActual, meanForecast: $0.meanForecast,
                        mape: $0.mape,
                        days: $0.days)
                })
            say(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        say(
            "simulated \(from) to \(to) (seed \(seed)); \(weeks) held-out weeks, \(backtest.heldOutDays) days, each week forecast from the history before it"
        )
        say("时段          实际均值   预测均值    MAPE  天数")
        let scale = max(1, backtest.intervals.map(\.meanActual).max() ?? 1)
        for interval in backtest.intervals {
            let mape = interval.mape.map { String(format: "%6.1f%%", $0 * 100) } ?? "      -"
            say(
                String(
                    format: "%@  %8.1f   %8.1f %@  %4d  ", Self.slot(interval.startMinute, minutes), interval.meanActual, interval.meanForecast, mape,
                    interval.days)
                    + String(repeating: "█", count: Int((interval.meanForecast / scale * 30).rounded())))
        }
        say(
            String(
                format:
                    "intervals with ≥ %.0f calls: MAPE %.1f%% (a perfect forecast of the simulation's means: %.1f%%); WAPE over all intervals %.1f%%",
                minimumCalls, backtest.intervalMAPE * 100, floor.intervalMAPE * 100, backtest.intervalWAPE * 100))
        say(
            String(
                format: "daily totals: MAPE %.1f%% (perfect forecast: %.1f%%); %d models fitted in %.2f s",
                backtest.dailyMAPE * 100, floor.dailyMAPE * 100, weeks, seconds))
        if plan { try printPlan(history: simulated.history, forecaster: forecaster) }
    }

    private func printPlan(history: CallHistory, forecaster: CallForecaster) throws {
        guard let last = history.sortedDays.last else { return }
        let day = last.adding(days: 1)
        let calls = forecaster.fit(history).forecast(day)
        let target = ServiceTarget(serviceLevel: 0.8, answerSeconds: 20, shrinkage: shrinkage)
        let plan: StaffingPlan
        do { plan = try StaffingPlan(calls: calls, averageHandleSeconds: aht, target: target) } catch {
            throw ValidationError(StaffingCommand.flagged(error))
        }
        say("")
        say(
            String(
                format: "排班测算 %@（%@）: AHT %.0f 秒, 80/20, 缩减率 %.0f%%; 预测 %.0f 通, 排班 %.1f 人时, 在线坐席峰值 %d, 排班峰值 %d",
                day.description, CallDayType(day, calendar: forecaster.calendar).description, aht, shrinkage * 100, calls.reduce(0, +),
                plan.scheduledAgentHours, plan.peakAgents, plan.peakScheduledAgents))
        say("时段          预测话务  在线坐席  排班人数  服务水平  平均应答")
        for row in plan.rows {
            let need = row.requirement
            say(
                String(
                    format: "%@  %8.1f  %8d  %8d  %7.1f%%  %6.1f 秒  ", Self.slot(row.startMinute, plan.intervalMinutes), row.calls, need.agents,
                    need.scheduledAgents, need.serviceLevel * 100, need.averageSpeedOfAnswer) + String(repeating: "▇", count: need.scheduledAgents))
        }
    }

    static func slot(_ start: Int, _ minutes: Int) -> String {
        let end = start + minutes
        return String(format: "%02d:%02d-%02d:%02d", start / 60, start % 60, end / 60, end % 60)
    }
}

import Foundation
import HotlineDomain
import HotlineText
import Testing

@Suite struct StaffingErlangCTests {
    /// The worked example of Call Centre Helper's "Erlang C Formula – Made Simple With an Easy Worked Example"
    /// (callcentrehelper.com): 100 calls in 30 minutes, AHT 180 s, 80% within 20 s, at most 85% occupancy,
    /// 30% shrinkage. The figures are those published for it in the pyworkforce 0.1.0 page on PyPI
    /// (raw positions 14, positions 20, service level 0.88835, occupancy 0.714, waiting probability 0.17413)
    /// and in the README of the R package ErlangC on CRAN (10 Erlangs, wait probability 0.1741319, service level
    /// 0.88835, ASA 7.8359 s, 14 agents; with 11 agents 0.6821182 and 0.3896138).
    static let example = IntervalDemand(calls: 100, averageHandleSeconds: 180, intervalSeconds: 1800)
    static let exampleTarget = ServiceTarget(serviceLevel: 0.8, answerSeconds: 20, shrinkage: 0.3, maximumOccupancy: 0.85)

    @Test func publishedWorkedExampleNeedsFourteenOnThePhonesAndTwentyScheduled() throws {
        let need = try ErlangC.requirement(for: Self.example, target: Self.exampleTarget)
        #expect(need.traffic == 10)
        #expect(need.agents == 14)
        #expect(need.scheduledAgents == 20)
        #expect(abs(need.serviceLevel - 0.88835) < 0.000_01)
        #expect(abs(need.probabilityOfWaiting - 0.174_131_9) < 0.000_000_1)
        #expect(abs(need.averageSpeedOfAnswer - 7.835_937) < 0.000_01)
        #expect(abs(need.occupancy - 0.714_285_7) < 0.000_000_1)
    }

    @Test func publishedWorkedExampleWithElevenAgentsMissesTheTarget() {
        #expect(abs(ErlangC.probabilityOfWaiting(traffic: 10, agents: 11) - 0.682_118_2) < 0.000_000_1)
        #expect(abs(ErlangC.serviceLevel(traffic: 10, agents: 11, averageHandleSeconds: 180, answerSeconds: 20) - 0.389_613_8) < 0.000_000_1)
    }

    @Test func recursionAgreesWithTheFactorialFormulaWhereThatStillWorks() {
        for traffic in stride(from: 0.5, through: 20, by: 0.5) {
            for agents in (Int(traffic) + 1)...(Int(traffic) + 8) {
                // The textbook form: (A^N/N!)·N/(N−A) over Σ_{k<N} A^k/k! + (A^N/N!)·N/(N−A).
                let head = pow(traffic, Double(agents)) / tgamma(Double(agents + 1)) * Double(agents) / (Double(agents) - traffic)
                let sum = (0..<agents).map { pow(traffic, Double($0)) / tgamma(Double($0 + 1)) }.reduce(0, +)
                let textbook = head / (sum + head)
                #expect(abs(ErlangC.probabilityOfWaiting(traffic: traffic, agents: agents) - textbook) < 1e-12)
            }
        }
    }

    @Test func noCallsNeedNoAgentsUnlessAMinimumIsKept() throws {
        let none = IntervalDemand(calls: 0, averageHandleSeconds: 180)
        let need = try ErlangC.requirement(for: none, target: ServiceTarget(shrinkage: 0.3))
        #expect(need.agents == 0 && need.scheduledAgents == 0)
        #expect(need.serviceLevel == 1 && need.probabilityOfWaiting == 0 && need.averageSpeedOfAnswer == 0)
        #expect(try ErlangC.requirement(for: none, target: ServiceTarget(minimumAgents: 2)).agents == 2)
    }

    @Test func hugeLoadsStayFiniteAndMeetTheTarget() throws {
        for calls in [5_000.0, 50_000, 500_000] {
            let demand = IntervalDemand(calls: calls, averageHandleSeconds: 180)
            let need = try ErlangC.requirement(for: demand, target: ServiceTarget())
            #expect(Double(need.agents) > need.traffic)
            #expect(need.serviceLevel >= 0.8 && need.serviceLevel.isFinite)
            #expect(need.probabilityOfWaiting.isFinite && need.averageSpeedOfAnswer.isFinite)
            let fewer = ErlangC.serviceLevel(traffic: need.traffic, agents: need.agents - 1, averageHandleSeconds: 180, answerSeconds: 20)
            #expect(fewer < 0.8)
        }
        #expect(throws: StaffingError.tooMuchTraffic(200_000)) {
            try ErlangC.requirement(for: IntervalDemand(calls: 2_000_000, averageHandleSeconds: 180), target: ServiceTarget())
        }
    }

    @Test func moreAgentsNeverServeWorseAndMoreCallsNeverNeedFewer() throws {
        var previous = (level: 0.0, wait: 1.0, speed: Double.infinity)
        for agents in 11...40 {
            let level = ErlangC.serviceLevel(traffic: 10, agents: agents, averageHandleSeconds: 180, answerSeconds: 20)
            let wait = ErlangC.probabilityOfWaiting(traffic: 10, agents: agents)
            let speed = ErlangC.averageSpeedOfAnswer(traffic: 10, agents: agents, averageHandleSeconds: 180)
            #expect(level > previous.level && wait < previous.wait && speed < previous.speed)
            previous = (level, wait, speed)
        }
        var needed = 0
        for calls in stride(from: 0.0, through: 2_000, by: 25) {
            let agents = try ErlangC.requirement(for: IntervalDemand(calls: calls, averageHandleSeconds: 240), target: ServiceTarget()).agents
            #expect(agents >= needed)
            needed = agents
        }
    }

    @Test func tooFewAgentsNeverAnswerInTime() {
        #expect(ErlangC.probabilityOfWaiting(traffic: 10, agents: 10) == 1)
        #expect(ErlangC.serviceLevel(traffic: 10, agents: 9, averageHandleSeconds: 180, answerSeconds: 20) == 0)
        #expect(ErlangC.averageSpeedOfAnswer(traffic: 10, agents: 10, averageHandleSeconds: 180) == .infinity)
    }

    @Test func scheduledAgentsCoverShrinkageWithoutRoundingAnExtraAgent() {
        #expect(ErlangC.scheduledAgents(14, shrinkage: 0.3) == 20)
        #expect(ErlangC.scheduledAgents(15, shrinkage: 0.3) == 22)
        #expect(ErlangC.scheduledAgents(7, shrinkage: 0) == 7)
        #expect(ErlangC.scheduledAgents(0, shrinkage: 0.5) == 0)
    }

    @Test(arguments: [
        (IntervalDemand(calls: -1, averageHandleSeconds: 180), ServiceTarget(), "calls"),
        (IntervalDemand(calls: .nan, averageHandleSeconds: 180), ServiceTarget(), "calls"),
        (IntervalDemand(calls: 10, averageHandleSeconds: 0), ServiceTarget(), "aht"),
        (IntervalDemand(calls: 10, averageHandleSeconds: 180, intervalSeconds: 0), ServiceTarget(), "interval"),
        (IntervalDemand(calls: 10, averageHandleSeconds: 180), ServiceTarget(serviceLevel: 0), "service-level"),
        (IntervalDemand(calls: 10, averageHandleSeconds: 180), ServiceTarget(serviceLevel: 1), "service-level"),
        (IntervalDemand(calls: 10, averageHandleSeconds: 180), ServiceTarget(answerSeconds: -1), "answer-seconds"),
        (IntervalDemand(calls: 10, averageHandleSeconds: 180), ServiceTarget(shrinkage: 1), "shrinkage"),
        (IntervalDemand(calls: 10, averageHandleSeconds: 180), ServiceTarget(shrinkage: -0.1), "shrinkage"),
    ])
    func inputsOutOfRangeAreRefusedByName(demand: IntervalDemand, target: ServiceTarget, field: String) {
        #expect {
            try ErlangC.requirement(for: demand, target: target)
        } throws: { error in
            guard case .invalid(let named, _) = error as? StaffingError else { return false }
            return named == field
        }
    }

    /// The simulator shares none of the formulas: Poisson calls, exponential handling, first come first served.
    @Test(arguments: [(100.0, 180.0, 14, 20.0), (360, 240, 55, 15), (1_000, 240, 142, 20)])
    func callSimulatorAgreesWithTheModel(calls: Double, aht: Double, agents: Int, answer: Double) {
        var random = SplitMix64(seed: 12345)
        let simulated = QueueSimulation.run(
            calls: 300_000, warmUp: 2_000, callsPerSecond: calls / 1800, averageHandleSeconds: aht, agents: agents, answerSeconds: answer,
            using: &random)
        let traffic = ErlangC.trafficIntensity(calls: calls, averageHandleSeconds: aht, intervalSeconds: 1800)
        let model = StaffingRequirement(
            demand: IntervalDemand(calls: calls, averageHandleSeconds: aht), target: ServiceTarget(answerSeconds: answer), agents: agents)
        #expect(model.traffic == traffic)
        #expect(abs(simulated.serviceLevel - model.serviceLevel) < 0.01)
        #expect(abs(simulated.probabilityOfWaiting - model.probabilityOfWaiting) < 0.015)
        #expect(abs(simulated.averageSpeedOfAnswer - model.averageSpeedOfAnswer) < 0.1 * model.averageSpeedOfAnswer + 0.3)
    }
}

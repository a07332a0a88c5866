import Foundation

/// 排班覆盖: how many agents a day's roster puts on the phones in each interval.
///
/// An entry that counts (a shift, or a standby from the moment it is called in) adds, to each interval, the share of the
/// interval's minutes it spends on the phones: inside its hours and outside its breaks. An agent working a whole half
/// hour adds 1; one on a 15-minute break in it adds 0.5. 在班人数 (rostered) counts the agents whose counted hours touch
/// the interval, breaks included.
public struct Coverage: Sendable, Equatable {
    public let intervalMinutes: Int
    /// Agents on the phones per interval (fractional, see above).
    public let onPhones: [Double]
    /// Agents on shift per interval, breaks included.
    public let rostered: [Int]
    /// Agents on standby and not yet called in, per interval.
    public let standby: [Int]

    public init(entries: [RosterEntry], intervalMinutes: Int = 30) {
        precondition(intervalMinutes > 0 && 1440 % intervalMinutes == 0)
        let count = 1440 / intervalMinutes
        var onPhones = [Double](repeating: 0, count: count)
        var rostered = [Int](repeating: 0, count: count)
        var standby = [Int](repeating: 0, count: count)
        for e in entries where e.kind != .rest {
            let from = e.counts ? e.countsFromMinute : e.startMinute
            for i in 0..<count {
                let start = i * intervalMinutes, end = start + intervalMinutes
                let worked = Self.overlap(from, e.endMinute, start, end)
                guard worked > 0 else { continue }
                guard e.counts else {
                    standby[i] += 1
                    continue
                }
                let resting = e.breaks.map { Self.overlap(max($0.startMinute, from), $0.endMinute, start, end) }.reduce(0, +)
                rostered[i] += 1
                onPhones[i] += Double(worked - resting) / Double(intervalMinutes)
            }
        }
        self.intervalMinutes = intervalMinutes
        self.onPhones = onPhones
        self.rostered = rostered
        self.standby = standby
    }

    /// Minutes [a, b) and [c, d) share.
    static func overlap(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Int { max(0, min(b, d) - max(a, c)) }

    /// Whole agents on the phones in interval `i`: the fraction rounded down, as a queue cannot use part of an agent for
    /// the whole interval.
    public func wholeAgents(_ i: Int) -> Int { Int((onPhones[i] + 1e-9).rounded(.down)) }
}

import Foundation
import HotlineDomain

extension BenchPages {
    /// 排班 and 人力预测: the week grid, a day's coverage (with its forecast), the staffing page and its API, the big
    /// screen's figures with who is on shift.
    static func schedulePages(now: Date) -> [(String, String, [String])] {
        let tomorrow = CivilDay(containing: now).adding(days: 1)
        return [
            ("schedules: week grid (排班表)", "supervisor", ["/schedules"]),
            ("schedules: a day's coverage with its forecast", "supervisor", ["/schedules/day?day=\(tomorrow)"]),
            ("staffing (人力预测), tomorrow", "manager", ["/staffing"]),
            ("staffing API, tomorrow", "manager", ["/api/v1/staffing?day=\(tomorrow)"]),
            ("big screen figures with who is on shift", "supervisor", ["/api/v1/screen"]),
            ("call centre hub (话务中心)", "supervisor", ["/callcentre"]),
            ("expert seats and consultations (专家坐席)", "supervisor", ["/experts"]),
            ("agent performance, this week (坐席绩效)", "manager", ["/performance"]),
            ("an agent's own performance (我的绩效)", "agent", ["/performance"]),
        ]
    }
}

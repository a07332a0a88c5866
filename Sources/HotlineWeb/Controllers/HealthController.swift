import Foundation
import HotlineStorage
import Hummingbird

/// Liveness and readiness for a load balancer or an orchestrator: `live` answers while the process serves requests
/// (no database touched, so a slow database does not get a healthy process restarted); `ready` answers 200 only when
/// the database answers within two seconds and holds this build's whole schema, else 503 with the reason.
struct HealthController: Sendable {
    let database: HotlineDatabase

    struct Status: Encodable {
        var status: String
        var database: String
    }

    func register(on router: Router<AppRequestContext>) {
        router.get(RouterPath(APIRoutes.healthLive)) { _, _ in try APIJSON.response(["status": "live"]) }
        router.get(RouterPath(APIRoutes.healthReady)) { _, context in
            // The database's answer or two seconds, whichever comes first; a check still waiting is left to finish alone.
            let (answers, answer) = AsyncStream<Result<Int, any Error>?>.makeStream()
            let probe = Task {
                do { answer.yield(.success(try await Migrator(database: database).pendingCount())) } catch { answer.yield(.failure(error)) }
            }
            let timer = Task {
                try? await Task.sleep(for: .seconds(2))
                answer.yield(nil)
            }
            let first = await answers.first { _ in true } ?? nil
            timer.cancel()
            answer.finish()
            _ = probe
            let check: String
            switch first {
            case .success(let pending)?: check = pending == 0 ? "ok" : "\(pending) migrations not applied"
            case .failure(let error)?:
                context.logger.warning("readiness check failed", metadata: ["error": .string(String(describing: error))])
                check = "unreachable"
            case nil: check = "no answer within 2 s"
            }
            return try APIJSON.response(Status(status: check == "ok" ? "ready" : "not_ready", database: check),
                                        status: check == "ok" ? .ok : .serviceUnavailable)
        }
    }
}

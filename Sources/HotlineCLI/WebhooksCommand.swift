import ArgumentParser
import Foundation
import HotlineApp
import HotlineStorage
import HotlineWeb

/// Options of the webhook sender (消息推送), shared by `hotline webhooks` and `serve`.
struct WebhookOptions: ParsableArguments {
    @Option(help: "Webhook tries before a delivery becomes a dead letter (死信).") var webhookTries: Int = 8
    @Option(help: "Seconds before the first webhook retry; each later retry waits twice as long.") var webhookRetryAfter: Int = 30
    @Option(help: "Longest wait between two webhook retries, in seconds.") var webhookRetryCap: Int = 3600
    @Option(help: "Seconds a webhook receiver has to answer one try.") var webhookTimeout: Int = 10

    func validate() throws {
        guard webhookTries >= 1 else { throw ValidationError("--webhook-tries: at least 1") }
        guard webhookRetryAfter >= 1, webhookRetryCap >= webhookRetryAfter else {
            throw ValidationError("--webhook-retry-after must be at least 1 and --webhook-retry-cap at least as long")
        }
        guard (1...120).contains(webhookTimeout) else { throw ValidationError("--webhook-timeout: 1 to 120 seconds") }
    }

    var policy: WebhookPolicy {
        WebhookPolicy(maxTries: webhookTries, firstDelay: .seconds(webhookRetryAfter), maxDelay: .seconds(webhookRetryCap), timeout: .seconds(webhookTimeout))
    }
}

/// `hotline webhooks --once`: one pass of the webhook sender (消息推送): every due delivery gets one try.
struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks", abstract: "Send the due webhook deliveries once (serve sends them every --webhook-every seconds).")
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var options: WebhookOptions
    @Flag(help: "Run one pass and exit (the only mode; serve sends continuously).") var once = false

    func run() async throws {
        guard once else { throw ValidationError("hotline webhooks runs one pass: give --once (serve sends every --webhook-every seconds)") }
        try await db.withServices { services in
            let summary = try await WebhookSender(services: services, transport: HTTPWebhookTransport(), policy: options.policy).sendOnce(at: Date())
            print(summary.chineseText)
            print("delivered=\(summary.delivered) retrying=\(summary.retrying) dead=\(summary.dead)")
        }
    }
}

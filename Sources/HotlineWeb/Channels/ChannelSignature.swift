import Crypto
import Foundation

/// How a channel gateway signs its requests (渠道接入), for gateways written in Swift and the benchmark.
public enum ChannelSignature {
    /// `X-Hotline-Signature` of an SMS, app or mailbox request: `sha256=` and the hex HMAC-SHA256 of
    /// `"<X-Hotline-Timestamp>.<body>"` under the gateway's key.
    public static func hmac(_ body: Data, timestamp: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data((timestamp + ".").utf8) + body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// WeChat's `signature` query parameter: the hex SHA-1 of the token, timestamp and nonce, sorted and joined.
    public static func wechat(token: String, timestamp: String, nonce: String) -> String {
        WeChatProtocol.signature(token: token, timestamp: timestamp, nonce: nonce)
    }
}

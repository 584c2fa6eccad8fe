import TapirCore

/// Everything that can go wrong talking to a model endpoint. Every message names the
/// endpoint and, where there was a response, its status code and a short snippet of the
/// body; API keys and authorisation headers are redacted before the error is built.
public enum LLMError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The role's config lacks a required key (`base_url`, `model`).
    case missingSetting(key: String, role: String)
    /// `api_key_env` names a variable that is not set (the value is never shown).
    case missingAPIKey(variable: String)
    /// No HTTP response: connection refused, DNS failure, TLS failure, timeout, dropped connection.
    case transport(endpoint: String, kind: TransportError.Kind, message: String)
    /// The endpoint answered with a non-success status.
    case http(endpoint: String, status: Int, message: String, snippet: String)
    /// A success status whose body is not a usable reply (HTML page, truncated JSON, missing field, no choices).
    case invalidResponse(endpoint: String, status: Int, reason: String, snippet: String)
    /// The role is paused after repeated failures or a rejected key/model (see
    /// `RoleHealthMonitor`); calls fail fast with this until `tapir resume` clears it.
    case rolePaused(role: String, reason: String)
    /// A run or round budget cap is reached.
    case budgetExceeded(scope: BudgetScope, capUSD: Double, spentUSD: Double)

    /// Whether another attempt may succeed (429, 5xx, 408, 409, timeouts, dropped connections).
    public var isRetryable: Bool {
        switch self {
        case .transport(_, let kind, _):
            return kind != .other
        case .http(_, let status, _, _):
            return status == 408 || status == 409 || status == 429 || status >= 500
        case .invalidResponse(_, _, let reason, _):
            // A truncated or garbled body is usually a transient proxy/server fault; a
            // well-formed reply that lacks its answer would only be billed again.
            return !(reason.hasPrefix("missing field") || reason.hasPrefix("empty `choices`"))
        default:
            return false
        }
    }

    /// Whether the call was refused before reaching the endpoint (nothing was sent or paid).
    public var isRefusal: Bool {
        switch self {
        case .rolePaused, .budgetExceeded, .missingSetting, .missingAPIKey: return true
        default: return false
        }
    }

    /// The HTTP status when there was a response.
    public var status: Int? {
        switch self {
        case .http(_, let status, _, _), .invalidResponse(_, let status, _, _): return status
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .missingSetting(let key, let role):
            return "role \(role): `\(key)` is not set in tapir.yaml (roles.\(role).\(key))"
        case .missingAPIKey(let variable):
            return "environment variable \(variable) (named by api_key_env) is not set; export it before starting tapir"
        case .transport(let endpoint, let kind, let message):
            let hint: String
            switch kind {
            case .connect: hint = "is the server running and base_url right?"
            case .timeout: hint = "raise timeout_seconds or check the server's load"
            case .dropped: hint = "the connection broke before the reply was complete"
            case .other: hint = "libcurl error"
            }
            return "\(endpoint): \(message) (\(hint))"
        case .http(let endpoint, let status, let message, let snippet):
            let body = snippet.isEmpty || snippet == message ? "" : " — body: \(snippet)"
            return "\(endpoint): HTTP \(status): \(message)\(body)"
        case .invalidResponse(let endpoint, let status, let reason, let snippet):
            return "\(endpoint): HTTP \(status) with an unusable body (\(reason)) — body: \(snippet)"
        case .rolePaused(let role, let reason):
            return "role \(role) is paused: \(reason); fix the endpoint or its settings, then run `tapir resume`"
        case .budgetExceeded(let scope, let cap, let spent):
            return String(format: "%@ budget of $%.4f reached ($%.4f spent); raise the cap in tapir.yaml to continue",
                          scope.rawValue, cap, spent)
        }
    }
}

import TapirCore

/// The outcome of checking one role's endpoint with `EndpointDoctor`.
public struct DoctorCheck: Sendable, Equatable {
    public var role: ModelRole
    public var endpoint: String
    public var model: String
    /// `GET /models` or the completion got an HTTP answer.
    public var reachable: Bool
    /// Whether `/models` lists the model (`nil`: the endpoint has no usable `/models`).
    public var modelListed: Bool?
    /// A one-token completion succeeded.
    public var completionOK: Bool
    /// Seconds the one-token completion took.
    public var latency: Double?
    /// What is wrong, redacted (nil when all is well).
    public var problem: String?

    public init(role: ModelRole, endpoint: String, model: String, reachable: Bool, modelListed: Bool?,
                completionOK: Bool, latency: Double?, problem: String?) {
        self.role = role
        self.endpoint = endpoint
        self.model = model
        self.reachable = reachable
        self.modelListed = modelListed
        self.completionOK = completionOK
        self.latency = latency
        self.problem = problem
    }

    /// The role can be used: the one-token completion worked.
    public var usable: Bool { completionOK }
}

import Foundation
import Testing
import TapirCore
import TapirTestSupport
@testable import TapirLLM

@Suite struct EndpointDoctorTests {
    static func endpoint(models: String, completion: ScriptedResponse) throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { request in
            request.path.hasSuffix("/models") ? .json(models) : completion
        }
    }

    @Test func healthyRoleAndMissingModelAndDeadEndpoint() async throws {
        let good = try Self.endpoint(models: #"{"data":[{"id":"test-model"}]}"#, completion: .completion("ok"))
        let unlisted = try Self.endpoint(models: #"{"data":[{"id":"something-else"}]}"#,
                                         completion: .json(#"{"error":{"message":"model not found"}}"#, status: 404))
        let dead = try RefusingPort()
        let deadConfig = RoleConfig(provider: .openai, baseURL: dead.baseURL, model: "test-model", maxAttempts: 1)
        defer { good.stop(); unlisted.stop() }
        let roles: [ModelRole: RoleConfig] = [
            .teacher: roleConfig(good), .judge: roleConfig(unlisted), .classifier: deadConfig,
            .student: RoleConfig(provider: .native, modelPath: "/tmp/x.gguf"),
        ]
        let checks = await EndpointDoctor.check(roles: roles, environment: [:])
        #expect(checks.map(\.role) == [.teacher, .judge, .classifier])
        #expect(checks[0].usable && checks[0].reachable && checks[0].modelListed == true && checks[0].latency != nil)
        #expect(!checks[1].usable && checks[1].reachable && checks[1].modelListed == false)
        #expect(checks[1].problem?.contains("404") == true)
        #expect(!checks[2].usable && !checks[2].reachable)
        let one = try #require(good.requests.last)
        #expect(try JSONValue.parse(data: one.body)["max_tokens"]?.number == 1)
        let table = EndpointDoctor.table(checks)
        #expect(table.contains("ROLE"))
        #expect(table.contains("FAILED"))
        #expect(table.split(separator: "\n").count >= 4)
    }

    @Test func missingKeyIsReportedWithoutACall() async {
        let config = RoleConfig(provider: .openai, baseURL: "http://127.0.0.1:9/v1", model: "m", apiKeyEnv: "TAPIR_DOCTOR_UNSET")
        let check = await EndpointDoctor.check(role: .judge, config: config, environment: [:])
        #expect(!check.usable)
        #expect(check.problem?.contains("TAPIR_DOCTOR_UNSET") == true)
    }
}

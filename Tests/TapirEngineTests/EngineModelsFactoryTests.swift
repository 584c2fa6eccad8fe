import Foundation
import Testing
import TapirCore
import TapirInference
import TapirLLM
import TapirStore
@testable import TapirEngine

@Suite struct EngineModelsFactoryTests {
    @Test func modelPathsExpandTapirHomeAndTilde() {
        let env = ["TAPIR_HOME": "/srv/models"]
        #expect(ModelPath.resolve("${TAPIR_HOME}/m.gguf", environment: env) == "/srv/models/m.gguf")
        #expect(ModelPath.resolve("$TAPIR_HOME/m.gguf", environment: env) == "/srv/models/m.gguf")
        #expect(ModelPath.resolve("~/m.gguf", environment: [:]) == NSHomeDirectory() + "/m.gguf")
        #expect(ModelPath.resolve("${TAPIR_HOME}/m.gguf", environment: [:]).hasSuffix("/.cache/tapir/m.gguf"))
    }

    @Test func aMissingNativeModelFileIsNamedWithItsKeyPath() async throws {
        let fixture = try StageFixture()
        defer { fixture.tearDown() }
        var config = TapirConfig.defaults
        config.roles.student = RoleConfig(provider: .native, modelPath: "${TAPIR_HOME}/absent.gguf")
        do {
            _ = try await EngineModelsFactory.make(config: config, store: fixture.store, environment: ["TAPIR_HOME": "/nonexistent"])
            Issue.record("expected an error")
        } catch let error as EngineModelsError {
            #expect(error.description.contains("roles.student.model_path"))
            #expect(error.description.contains("/nonexistent/absent.gguf"))
        }
    }

    @Test func endpointRolesNeedTheirKeyVariable() async throws {
        let fixture = try StageFixture()
        defer { fixture.tearDown() }
        var config = TapirConfig.defaults
        config.roles.student = RoleConfig(provider: .openai, baseURL: fixture.server.baseURL, model: "s", apiKeyEnv: "TAPIR_TEST_ABSENT_KEY")
        await #expect(throws: LLMError.self) {
            _ = try await EngineModelsFactory.make(config: config, store: fixture.store, environment: [:])
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: JudgeStageNativeTests.modelPath)))
    func nativeRolesShareOneModelAndTheStudentScores() async throws {
        let fixture = try StageFixture()
        defer { fixture.tearDown() }
        var config = TapirConfig.defaults
        let native = RoleConfig(provider: .native, modelPath: JudgeStageNativeTests.modelPath)
        config.roles.student = native
        config.roles.teacher = native
        config.roles.judge = native
        config.roles.classifier = native
        let models = try await EngineModelsFactory.make(config: config, store: fixture.store)
        let student = try #require(models.student as? LocalModel)
        #expect(models.studentScorer as? LocalModel === student)
        #expect(models.judge as? LocalModel === student)
        #expect(models.classifier as? LocalModel === student)
    }
}

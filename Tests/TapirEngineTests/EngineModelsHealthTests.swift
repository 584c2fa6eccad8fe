import Foundation
import Testing
import TapirCore
import TapirLLM
import TapirStore
@testable import TapirEngine

/// The engine's endpoint models continue from the workspace's stored role health.
@Suite struct EngineModelsHealthTests {
    @Test func aRolePausedInTheWorkspaceIsRefusedWithoutARequestUntilResumed() async throws {
        let fixture = try StageFixture()
        defer { fixture.tearDown() }
        var config = TapirConfig.defaults
        config.roles.student = fixture.role()
        config.roles.teacher = fixture.role()
        config.roles.judge = fixture.role()
        config.roles.classifier = fixture.role()
        try await fixture.store.write { w in
            _ = try w.updateRoleHealth(RoleHealthRecord(role: .teacher, state: .paused,
                                                        reason: "the endpoint rejected the API key (HTTP 401)", revision: 2))
        }
        let request = ChatRequest(messages: [.user("Say hi.")], purpose: CallPurpose(role: .teacher, stage: .teach, round: 1))
        let models = try await EngineModelsFactory.make(config: config, store: fixture.store, environment: [:])
        let teacher = try #require(models.teacher)
        do {
            _ = try await teacher.complete(request)
            Issue.record("a paused role answered")
        } catch let error as LLMError {
            guard case .rolePaused("teacher", let reason) = error else { Issue.record("got \(error)"); return }
            #expect(reason.contains("401"))
        }
        #expect(fixture.server.requestCount == 0)
        #expect(try await fixture.store.read { try $0.recentCalls() }.isEmpty)
        // The student is not affected; its success is stored as its health.
        _ = try await #require(models.student).complete(ChatRequest(messages: [.user("Say hi.")]))
        #expect(try await fixture.store.read { try $0.roleHealth(role: .student) }?.state == .ok)

        _ = try await fixture.store.write { try $0.resumeRoles() }
        let resumed = try await EngineModelsFactory.make(config: config, store: fixture.store, environment: [:])
        #expect(try await #require(resumed.teacher).complete(request).text.hasPrefix("STUDENT-ANSWER"))
    }
}

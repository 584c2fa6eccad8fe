import Foundation
import Testing
import TapirCore
import TapirStore
@testable import TapirEngine

@Suite struct TeachStageTests {
    @Test func datasetTeacherFillsGapsOnlyWhenATeacherModelExists() async throws {
        let fixture = try StageFixture()
        defer { fixture.tearDown() }
        let ids = try fixture.insert(["Say hello.", "An approved expansion."], withoutTeacher: ["An approved expansion."])

        let without = try await TeachStage().run(round: 1, context: fixture.context(models: EngineModels()))
        #expect(without == .completed(summary: "1 of 2 instruction(s) lack a teacher reference (no teacher model configured)"))
        #expect(fixture.server.requestCount == 0)

        let context = fixture.context(models: EngineModels(teacher: try fixture.model(.teacher)))
        _ = try await TeachStage().run(round: 1, context: context)
        #expect(fixture.server.requestCount == 1)
        let written = try await fixture.store.read { try $0.response(instructionID: ids[1], role: .teacher, round: 1) }
        #expect(written?.text.hasPrefix("STUDENT-ANSWER to: An approved expansion.") == true)
        let kept = try await fixture.store.read { try $0.teacherResponse(instructionID: ids[0]) }
        #expect(kept?.model == "dataset")

        _ = try await TeachStage().run(round: 1, context: context)
        #expect(fixture.server.requestCount == 1)
    }
}

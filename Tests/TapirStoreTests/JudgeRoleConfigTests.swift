import Foundation
import Testing
import TapirCore
@testable import TapirStore

/// `roles.judge` may be removed and pairwise judging is opt-in for likelihood difficulties.
@Suite("Judge role configuration")
struct JudgeRoleConfigTests {
    func load(_ yaml: String) throws(ConfigError) -> TapirConfig { try WorkspaceConfigLoader.load(yaml: yaml) }

    @Test func judgeMayBeRemovedWithALikelihoodDifficulty() throws {
        let config = try load("""
            roles:
              judge: null
            curriculum:
              difficulty: ifd
              refine: false
              expansions_per_round: 0
            """)
        #expect(config.roles.judge == nil)
        #expect(config.curriculum.pairwiseJudge == nil && !config.curriculum.judgesPairwise)
        #expect(!config.usedRoles.contains(.judge))
        #expect(config.usedRoles.contains(.student) && config.usedRoles.contains(.classifier))
        // Absent key: the default judge stays (it evaluates rounds), but does not judge pairwise.
        let withJudge = try load("curriculum:\n  difficulty: nll\n")
        #expect(withJudge.roles.judge != nil && withJudge.usedRoles.contains(.judge))
        #expect(!withJudge.curriculum.judgesPairwise)
        #expect(try load("curriculum:\n  difficulty: nll\n  pairwise_judge: true\n").curriculum.judgesPairwise)
        #expect(TapirConfig.defaults.curriculum.judgesPairwise)
    }

    @Test func aJudgeIsRequiredWhenSelectionOrTheConfigAsksForPairwiseJudging() {
        let noTeacher = "curriculum:\n  refine: false\n  expansions_per_round: 0\n"
        #expect(throws: ConfigError.self) { try load("roles:\n  judge: null\n" + noTeacher) }
        do {
            _ = try load("roles:\n  judge: null\n" + noTeacher)
        } catch {
            #expect(error.keyPath == "roles.judge")
        }
        do {
            _ = try load("roles:\n  judge: null\n" + noTeacher + "  difficulty: ifd\n  pairwise_judge: true\n")
            Issue.record("expected an error")
        } catch {
            #expect(error.keyPath == "roles.judge")
        }
        do {
            _ = try load("curriculum:\n  difficulty: judge\n  pairwise_judge: false\n")
            Issue.record("expected an error")
        } catch {
            #expect(error.keyPath == "curriculum.pairwise_judge")
        }
    }

    @Test func theDemoConfigurationLoadsWithoutAJudge() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("demo/tapir.yaml")
        let config = try WorkspaceConfigLoader.load(contentsOf: url)
        #expect(config.roles.judge == nil)
        #expect(config.curriculum.difficulty == .ifd && !config.curriculum.judgesPairwise)
    }
}

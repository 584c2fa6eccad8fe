import Testing
@testable import TapirEngine

@Suite struct TrainerLossParserTests {
    @Test func huggingFaceDictPrint() throws {
        let point = try #require(TrainerLossParser.parse("{'loss': 1.2345, 'grad_norm': 3.21, 'learning_rate': 4.5e-05, 'epoch': 0.5}"))
        #expect(point.loss == 1.2345)
        #expect(point.learningRate == 4.5e-05)
        #expect(point.epoch == 0.5)
        #expect(point.step == nil)
    }

    @Test func jsonLineWithStepAndLogPrefix() throws {
        let point = try #require(TrainerLossParser.parse(#"2026-11-21 10:00:01 INFO train {"step": 40, "loss": 0.875, "lr": 1e-4}"#))
        #expect(point.step == 40 && point.loss == 0.875 && point.learningRate == 1e-4)
        let plain = try #require(TrainerLossParser.parse(#"{"loss": "2.5", "epoch": 1}"#))
        #expect(plain.loss == 2.5 && plain.epoch == 1 && plain.step == nil)
    }

    @Test func pythonWordsAndNestedStrings() throws {
        let point = try #require(TrainerLossParser.parse("{'loss': 0.5, 'flag': True, 'note': None, 'name': \"it's\"}"))
        #expect(point.loss == 0.5)
        #expect(TrainerLossParser.pythonDictToJSON("{'a': False, 'b': 'x\"y'}") == #"{"a": false, "b": "x\"y"}"#)
    }

    @Test(arguments: [
        "{'eval_loss': 1.1, 'eval_runtime': 3.0, 'epoch': 1.0}",
        "{'train_runtime': 12.3, 'train_loss': 1.4, 'epoch': 2.0}",
        " 45%|████▌     | 45/100 [00:10<00:12,  4.40it/s]",
        "{'loss': nan, 'epoch': 0.1}",
        "loss went down to 1.2",
        "{'loss': 1.2",
        "{\"loss\": true}",
    ])
    func linesWithoutATrainingLoss(_ line: String) {
        #expect(TrainerLossParser.parse(line) == nil)
    }
}

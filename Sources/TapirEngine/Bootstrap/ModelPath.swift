import Foundation

/// Resolves a configured GGUF path: `~` and `$TAPIR_HOME` / `${TAPIR_HOME}` are expanded
/// (`TAPIR_HOME` defaults to `~/.cache/tapir`, where `make setup` puts the default model).
public enum ModelPath {
    public static func resolve(_ configured: String, environment: [String: String]) -> String {
        let home = environment["TAPIR_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".cache/tapir")
        let substituted = configured
            .replacingOccurrences(of: "${TAPIR_HOME}", with: home)
            .replacingOccurrences(of: "$TAPIR_HOME", with: home)
        return (substituted as NSString).expandingTildeInPath
    }
}

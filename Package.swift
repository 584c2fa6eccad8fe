// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

// TapirInference's kernels are optimised even in debug builds (unusably slow at -Onone) and,
// on x86-64, compiled for AVX2 (Haswell and later) so the SIMD code uses 256-bit vectors.
#if arch(x86_64)
let inferenceFlags: [SwiftSetting] = [.unsafeFlags(["-O", "-target-cpu", "haswell"])]
#else
let inferenceFlags: [SwiftSetting] = [.unsafeFlags(["-O"])]
#endif

let package = Package(
    name: "tapir",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tapir", targets: ["tapir"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        // C shims: system libraries wrapped as typed inline functions.
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw", pkgConfig: "ncursesw"),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl"),

        .target(name: "TapirCore", swiftSettings: strict),
        .target(
            name: "TapirStore",
            dependencies: [
                "TapirCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict),
        .target(
            name: "TapirLLM",
            dependencies: ["CCurl", "TapirCore", "TapirStore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .target(name: "TapirInference", dependencies: ["TapirCore"], swiftSettings: strict + inferenceFlags),
        // Scripted loopback HTTP server for LLM, engine and CLI tests and the client benchmark.
        .target(name: "TapirTestSupport", swiftSettings: strict),
        .executableTarget(name: "tapir-loopback-server", dependencies: ["TapirTestSupport"], swiftSettings: strict),
        .executableTarget(name: "tapir-llm-bench", dependencies: ["TapirLLM", "TapirCore"], swiftSettings: strict),
        .target(
            name: "TapirEngine",
            dependencies: [
                "TapirCore", "TapirStore", "TapirLLM", "TapirInference",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Collections", package: "swift-collections"),
            ],
            swiftSettings: strict),
        .target(name: "TerminalUI", dependencies: ["TapirCore"], swiftSettings: strict),
        .target(name: "CursesBackend", dependencies: ["CNcursesw", "TerminalUI"], swiftSettings: strict),
        .target(
            name: "TapirDashboard",
            dependencies: ["TerminalUI", "TapirStore", "TapirCore"],
            swiftSettings: strict),
        .executableTarget(
            name: "tapir",
            dependencies: [
                "TapirCore", "TapirStore", "TapirLLM", "TapirInference", "TapirEngine",
                "TerminalUI", "CursesBackend", "TapirDashboard",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // main.swift holds an @main type, so the file must not be parsed as top-level code.
            swiftSettings: strict),

        .testTarget(name: "TapirCoreTests", dependencies: ["TapirCore"], swiftSettings: strict),
        .testTarget(name: "TapirStoreTests", dependencies: ["TapirStore"], swiftSettings: strict),
        .testTarget(name: "TapirLLMTests", dependencies: ["TapirLLM", "TapirStore", "TapirTestSupport", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        // Fixtures are read from the source tree (#filePath), not bundled.
        .testTarget(name: "TapirInferenceTests", dependencies: ["TapirInference"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "TapirEngineTests", dependencies: ["TapirEngine", "TapirTestSupport"], swiftSettings: strict),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"], swiftSettings: strict),
        .testTarget(name: "CursesBackendTests", dependencies: ["CursesBackend"], swiftSettings: strict),
        .testTarget(name: "TapirDashboardTests", dependencies: ["TapirDashboard"], swiftSettings: strict),
        .testTarget(name: "tapirTests", dependencies: ["tapir", "TapirStore", "TapirTestSupport"], swiftSettings: strict),
    ]
)

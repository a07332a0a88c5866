// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "hotline",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hotline", targets: ["HotlineCLI"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", exact: "0.9.20"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .target(name: "HotlineDomain"),
        .target(name: "HotlineText"),
        .target(
            name: "HotlineResources",
            dependencies: ["HotlineDomain"],
            resources: [.copy("Resources/calendar"), .copy("Resources/category_taxonomy.csv"), .copy("Resources/demo")]
        ),
        .target(
            name: "HotlineStorage",
            dependencies: [
                "HotlineDomain",
                "HotlineResources",
                "HotlineText",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "HotlineApp",
            dependencies: [
                "HotlineDomain", "HotlineStorage", "HotlineResources", "HotlineText", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .target(
            name: "HotlineWeb",
            dependencies: [
                "HotlineApp",
                "HotlineDomain",
                "HotlineStorage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Pages/Templates"), .copy("Pages/Assets")]
        ),
        .executableTarget(
            name: "HotlineCLI",
            dependencies: [
                "HotlineApp",
                "HotlineDomain",
                "HotlineStorage",
                "HotlineWeb",
                "HotlineText",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "HotlineTestSupport",
            dependencies: ["HotlineApp", "HotlineDomain", "HotlineStorage", "HotlineResources", .product(name: "Logging", package: "swift-log")],
            path: "Tests/Support"
        ),
        .testTarget(name: "HotlineDomainTests", dependencies: ["HotlineDomain", "HotlineResources", "HotlineText"]),
        .testTarget(name: "HotlineTextTests", dependencies: ["HotlineText"]),
        .testTarget(
            name: "HotlineStorageTests",
            dependencies: ["HotlineApp", "HotlineDomain", "HotlineStorage", "HotlineTestSupport", .product(name: "SQLKit", package: "sql-kit")]
        ),
        .testTarget(
            name: "HotlineWebTests",
            dependencies: [
                "HotlineWeb", "HotlineApp", "HotlineStorage", "HotlineDomain", "HotlineText", "HotlineTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            exclude: ["Snapshots"]
        ),
    ]
)

// swift-tools-version:5.9
// The CmiDatacard Swift package. `scripts/build-ios` puts CmiDatacardFFI.xcframework (the
// static Rust library, its C header and module map) next to this file and the generated
// CmiDatacard.swift under Sources/CmiDatacard.
import PackageDescription

let package = Package(
    name: "CmiDatacard",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "CmiDatacard", targets: ["CmiDatacard"]),
    ],
    targets: [
        .binaryTarget(name: "CmiDatacardFFI", path: "CmiDatacardFFI.xcframework"),
        .target(name: "CmiDatacard", dependencies: ["CmiDatacardFFI"], path: "Sources/CmiDatacard"),
    ]
)

import ArgumentParser
struct Seed: AsyncParsableCommand { static let configuration = CommandConfiguration(abstract: "x") }
struct Bench: AsyncParsableCommand { static let configuration = CommandConfiguration(abstract: "x") }

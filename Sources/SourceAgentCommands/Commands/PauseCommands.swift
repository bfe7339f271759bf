import ArgumentParser
import Foundation
import SourceAgent

/// `source-agent pause`: stop answering; polling and deciding go on, as holds.
struct PauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Stop sending answers (creates PAUSE beside the database); the agent keeps polling and holding.")

    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let file = StoreLocation(database.db).pauseFile
        do {
            try PauseFile.pause(file, by: "source-agent pause", at: AgentClock.now())
        } catch {
            Terminal.err("error: \(error)")
            throw Exit.failure
        }
        Terminal.out("paused: \(file) exists; FRs are decided as holds and nothing is sent until 'source-agent resume'")
    }
}

/// `source-agent resume`.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Send answers again (removes PAUSE).")

    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let file = StoreLocation(database.db).pauseFile
        do {
            try PauseFile.resume(file)
        } catch {
            Terminal.err("error: \(error)")
            throw Exit.failure
        }
        Terminal.out("resumed: held FRs are decided again and answered on the next cycle")
    }
}

// source-agent: the executable's entry point.

import SourceAgentCommands

/// The executable only hands over to the root command.
@main
struct SourceAgentMain {
    static func main() async {
        LogSetup.bootstrap()
        await SourceAgentCommand.runFromCommandLine()
    }
}

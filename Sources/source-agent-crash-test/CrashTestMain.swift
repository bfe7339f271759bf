// source-agent-crash-test: `source-agent` with `SOURCE_AGENT_CRASH_AT` armed, for the tests.

import SourceAgent
import SourceAgentCommands

/// Arms the crash points, then runs exactly what `source-agent` runs. The tests start this
/// binary whenever they set `SOURCE_AGENT_CRASH_AT`; packages never contain it.
@main
struct CrashTestMain {
    static func main() async {
        CrashPoints.arm()
        LogSetup.bootstrap()
        await SourceAgentCommand.runFromCommandLine()
    }
}

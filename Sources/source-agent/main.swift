import SourceAgentCommands

await SourceAgentCommand.main()

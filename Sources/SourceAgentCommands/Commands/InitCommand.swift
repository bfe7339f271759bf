import ArgumentParser
import Foundation

/// `source-agent init [DIR]`: the files a warehouse server needs, ready to fill in.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented rules.yaml, an agent.yaml config, an empty token file and a systemd unit.",
        discussion: """
            Nothing that exists is overwritten: when any of the four files is already there, none is written and \
            the command exits 2.
            """)

    @Argument(help: ArgumentHelp("The folder for the files (created when missing).", valueName: "dir"))
    var directory = "."

    func run() async throws {
        let manager = FileManager.default
        let folder = Self.absolute(directory)
        let files = Self.files(in: folder)
        let existing = files.map(\.path).filter { manager.fileExists(atPath: $0) }
        guard existing.isEmpty else {
            for path in existing { Terminal.err("error: '\(path)' exists; init never overwrites a file") }
            throw Exit.badInput
        }
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for file in files {
            // Created with its final mode, so the token file is never readable by others, not even briefly.
            guard
                manager.createFile(
                    atPath: file.path, contents: Data(file.contents.utf8), attributes: [.posixPermissions: file.mode])
            else {
                Terminal.err("error: cannot write '\(file.path)'")
                throw Exit.failure
            }
        }
        let path = { (name: String) in (folder as NSString).appendingPathComponent(name) }
        Terminal.out(
            """
            Wrote \(files.map { ($0.path as NSString).lastPathComponent }.joined(separator: ", ")) in \(folder).

            Next:
              1. Put your Flxpoint Source token in \(path("token")) (one line; the file stays mode 600).
              2. Adapt the policy to your warehouse, then check it:
                   source-agent rules check \(path("rules.yaml"))
              3. Run one cycle. Against a local sandbox first (no account needed):
                   source-agent sandbox --port 8089 --token try-me &
                   FLXPOINT_SOURCE_TOKEN=try-me source-agent run --once --config \(path("agent.yaml")) --api-url http://127.0.0.1:8089
                 then against Flxpoint:
                   source-agent run --once --config \(path("agent.yaml"))
            To run it as a service: install \(path("source-agent.service")) in /etc/systemd/system/ (see the README).
            """)
    }

    struct File {
        var path: String
        var contents: String
        var mode: Int
    }

    static func absolute(_ path: String) -> String {
        let full =
            path.hasPrefix("/")
            ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        return (full as NSString).standardizingPath
    }

    static func files(in folder: String) -> [File] {
        let path = { (name: String) in (folder as NSString).appendingPathComponent(name) }
        return [
            File(path: path("rules.yaml"), contents: ExampleRules.text, mode: 0o644),
            File(path: path("agent.yaml"), contents: config(folder: folder), mode: 0o644),
            File(path: path("token"), contents: "", mode: 0o600),
            File(path: path("source-agent.service"), contents: unit(folder: folder), mode: 0o644),
        ]
    }

    static func config(folder: String) -> String {
        let path = { (name: String) in (folder as NSString).appendingPathComponent(name) }
        return """
            # source-agent configuration: `source-agent run --config \(path("agent.yaml"))`.
            # Flags and environment variables win over this file; this file wins over the defaults.
            version: 1

            # Flxpoint's API. Point it at a sandbox to try things: `source-agent sandbox --port 8089`.
            api_url: https://api.flxpoint.com

            # A file holding the Source token (mode 600). FLXPOINT_SOURCE_TOKEN, when set, is used instead.
            token_file: \(path("token"))

            # Requests per second per token: Flxpoint allows 2.
            max_rps: 2

            # The decision log (SQLite) and the rule file.
            db: \(path("source-agent.sqlite"))
            rules: \(path("rules.yaml"))

            # Time between poll cycles.
            interval: 60s

            """
    }

    static func unit(folder: String) -> String {
        """
        # systemd unit for source-agent. Install with:
        #   sudo cp source-agent.service /etc/systemd/system/ && sudo systemctl daemon-reload
        #   sudo systemctl enable --now source-agent
        # Reload the rules with `systemctl reload source-agent`; pause with `source-agent pause --db ...`.
        [Unit]
        Description=source-agent: answers Flxpoint fulfillment requests
        After=network-online.target
        Wants=network-online.target

        [Service]
        User=source-agent
        WorkingDirectory=\(folder)
        Environment=LOG_LEVEL=info
        ExecStart=/usr/local/bin/source-agent run --config \((folder as NSString).appendingPathComponent("agent.yaml")) \\
            --metrics-port 9464 --log-format json
        ExecReload=/bin/kill -HUP $MAINPID
        Restart=always
        RestartSec=5
        TimeoutStopSec=30
        UMask=0077

        [Install]
        WantedBy=multi-user.target

        """
    }
}

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

    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp("Where the database and PAUSE file live (default: the same folder).", valueName: "dir"))
    var stateDirectory: String?

    @Option(help: ArgumentHelp("The installed binary the unit file starts.", valueName: "path"))
    var binary = "/usr/local/bin/source-agent"

    @Option(
        name: .customLong("installed-at"),
        help: ArgumentHelp(
            "For packagers: the folder the files will be installed in, when they are written elsewhere first.",
            valueName: "dir"))
    var installedAt: String?

    func run() async throws {
        let manager = FileManager.default
        let folder = Self.absolute(directory)
        let home = installedAt.map(Self.absolute) ?? folder
        let paths = Paths(
            config: home, state: stateDirectory.map(Self.absolute) ?? home, binary: Self.absolute(binary))
        let files = Self.files(in: folder, paths: paths)
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
        let path = { (name: String) in (home as NSString).appendingPathComponent(name) }
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
            To run it as a service: copy source-agent.service to /etc/systemd/system/ (see docs/operations.md).
            """)
    }

    /// Where things will be once installed.
    struct Paths {
        var config: String
        var state: String
        var binary: String

        func inConfig(_ name: String) -> String { (config as NSString).appendingPathComponent(name) }
    }

    /// A file `init` writes: name, text, mode.
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

    static func files(in folder: String, paths: Paths) -> [File] {
        let path = { (name: String) in (folder as NSString).appendingPathComponent(name) }
        return [
            File(path: path("rules.yaml"), contents: ExampleRules.text, mode: 0o644),
            File(path: path("agent.yaml"), contents: config(paths), mode: 0o644),
            File(path: path("token"), contents: "", mode: 0o600),
            File(path: path("source-agent.service"), contents: unit(paths), mode: 0o644),
        ]
    }

    static func config(_ paths: Paths) -> String {
        """
        # source-agent configuration: `source-agent run --config \(paths.inConfig("agent.yaml"))`.
        # Flags and environment variables win over this file; this file wins over the defaults.
        # `source-agent config show --config FILE` prints what is in effect and where it came from.
        version: 1

        # Flxpoint's API. Point it at a sandbox to try things: `source-agent sandbox --port 8089`.
        api_url: https://api.flxpoint.com

        # A file holding the Source token, readable by the agent's user only (mode 600).
        # FLXPOINT_SOURCE_TOKEN, when set, is used instead.
        token_file: \(paths.inConfig("token"))

        # Requests per second per token: Flxpoint allows 2.
        max_rps: 2

        # The decision log (SQLite; a PAUSE file beside it pauses the agent) and the rule file.
        db: \((paths.state as NSString).appendingPathComponent("source-agent.sqlite"))
        rules: \(paths.inConfig("rules.yaml"))

        # Time between poll cycles.
        interval: 60s

        # Warn when stock was imported longer ago than this.
        stock_max_age: 24h

        # Log lines on stderr: json for journald and log shippers, text to read in a terminal.
        log_format: json

        # Prometheus /metrics and /healthz (remove to turn off).
        metrics_port: 9464
        metrics_host: 127.0.0.1

        # Tracking CSVs dropped in this folder are imported after each cycle, which closes the
        # orders (moved to processed/ or failed/ beside it). Under systemd it must lie in the
        # state folder, the only one the service may write.
        # tracking_inbox: \((paths.state as NSString).appendingPathComponent("inbox"))
        # tracking_settle: 5s        # a file is imported once unchanged this long

        # Push promisable stock to Flxpoint this often; inventory_cost sends cost too.
        # inventory_interval: 15m
        # inventory_cost: false

        # Acknowledged FRs still holding stock are read back once their answer is this old.
        read_back_after: 2d

        # The web console (overview, hold queue, search, pause). Anything but 127.0.0.1 needs a
        # password file of 'name:password' lines, mode 600, and a TLS reverse proxy in front.
        # console_port: 8080
        # console_host: 127.0.0.1
        # console_password_file: \(paths.inConfig("console-passwords"))

        # POST one JSON object per alert (guard tripped, answers failing, stale stock...).
        # alert_webhook: https://hooks.example.com/source-agent

        # Shipping for several retailers from this warehouse? Each is a Source with its own token:
        # list them here instead of token_file above (see docs/configuration.md, "Many sources").
        # sources:
        #   - name: retailer-a
        #     token_file: retailer-a.token
        #   - name: retailer-b
        #     token_file: retailer-b.token
        #     stock_pool: shared      # the pool of stock it sells from (default shared)
        #     max_share: 0.6          # offer it at most 60% of the pool's free units

        """
    }

    /// The daemon may write only its state folder, gains no privileges, and creates files
    /// (the database, with customer addresses) readable by its own user alone.
    static func unit(_ paths: Paths) -> String {
        """
        # systemd unit for source-agent. Install with:
        #   sudo cp source-agent.service /etc/systemd/system/ && sudo systemctl daemon-reload
        #   sudo systemctl enable --now source-agent
        # Every setting is in \(paths.inConfig("agent.yaml")); change it there, not here.
        # Reload the rules with `systemctl reload source-agent`. A tracking inbox must lie under
        # ReadWritePaths (e.g. \((paths.state as NSString).appendingPathComponent("inbox"))).
        [Unit]
        Description=source-agent: answers Flxpoint fulfillment requests
        After=network-online.target
        Wants=network-online.target

        [Service]
        User=source-agent
        Group=source-agent
        WorkingDirectory=\(paths.state)
        Environment=LOG_LEVEL=info
        ExecStart=\(paths.binary) run --config \(paths.inConfig("agent.yaml"))
        ExecReload=/bin/kill -HUP $MAINPID
        Restart=always
        RestartSec=5
        TimeoutStopSec=30
        UMask=0077
        NoNewPrivileges=yes
        ProtectSystem=strict
        ReadWritePaths=\(paths.state)
        ProtectHome=yes
        PrivateTmp=yes
        PrivateDevices=yes
        ProtectKernelTunables=yes
        ProtectKernelModules=yes
        ProtectControlGroups=yes
        RestrictSUIDSGID=yes
        LockPersonality=yes
        RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX

        [Install]
        WantedBy=multi-user.target

        """
    }
}

import FlxpointAPI
import Foundation

/// The file holding the Source token.
enum TokenFile {
    /// One line holding the token (a trailing line break is fine); anything else is refused
    /// without quoting a byte of it.
    static func read(_ path: String) throws -> FlxpointToken {
        let text = try SecretFile.read(path, what: "token file")
        if let problem = FlxpointToken.problem(text) {
            Terminal.err("error: token file '\(path)' \(problem)")
            throw Exit.badInput
        }
        return FlxpointToken(text)
    }
}

/// A file holding a secret (the token, the console's passwords).
enum SecretFile {
    /// It must be a regular file (not a symlink someone could point elsewhere), owned by the
    /// user running the agent, and readable by nobody else: checked with `lstat`.
    static func read(_ path: String, what: String) throws -> String {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            let cause = errno == ENOENT ? "does not exist" : "cannot be read: \(String(cString: strerror(errno)))"
            Terminal.err("error: \(what) '\(path)' \(cause)")
            throw Exit.badInput
        }
        if info.st_mode & S_IFMT == S_IFLNK {
            Terminal.err("error: \(what) '\(path)' is a symbolic link; point at the file itself")
            throw Exit.badInput
        }
        if info.st_mode & S_IFMT != S_IFREG {
            Terminal.err("error: \(what) '\(path)' is not a regular file (a device, directory, pipe or socket)")
            throw Exit.badInput
        }
        // A secret is a line or a few: anything larger is not the file meant.
        if info.st_size > 65_536 {
            Terminal.err("error: \(what) '\(path)' is \(info.st_size) bytes; a secret file holds a few lines")
            throw Exit.badInput
        }
        if info.st_uid != getuid() {
            Terminal.err("error: \(what) '\(path)' belongs to another user (uid \(info.st_uid)); chown it to this one")
            throw Exit.badInput
        }
        if info.st_mode & 0o077 != 0 {
            Terminal.err("error: \(what) '\(path)' is readable by others; run: chmod 600 \(path)")
            throw Exit.badInput
        }
        return try InputFiles.text(path, what: what)
    }
}

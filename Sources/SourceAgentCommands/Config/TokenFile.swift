import FlxpointAPI
import Foundation

/// The file holding the Source token.
enum TokenFile {
    static func read(_ path: String) throws -> FlxpointToken {
        let token = FlxpointToken(try SecretFile.read(path, what: "token file"))
        guard !token.isEmpty else {
            Terminal.err("error: token file '\(path)' is empty")
            throw Exit.badInput
        }
        return token
    }
}

/// A file holding a secret (the token, the console's passwords).
enum SecretFile {
    /// It must be a regular file (not a symlink someone could point elsewhere), owned by the
    /// user running the agent, and readable by nobody else: checked with `lstat`.
    static func read(_ path: String, what: String) throws -> String {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            Terminal.err("error: \(what) '\(path)' does not exist")
            throw Exit.badInput
        }
        if info.st_mode & S_IFMT == S_IFLNK {
            Terminal.err("error: \(what) '\(path)' is a symbolic link; point at the file itself")
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

import Foundation
import GRDB
import Testing

@testable import AgentStore
@testable import AgentStorePostgres
@testable import AgentStoreSQLite

/// The table of store failures a person can meet, each in one line naming the file or host and
/// what to do, with no SQLite, NIO or PostgresNIO name or code on it.
@Suite("Store failures in a person's words")
struct FailureWordsTests {
    @Test(
        "each SQLite failure: one line naming the file and what to do",
        arguments: [
            (ResultCode.SQLITE_NOTADB, "file is not a database", "is not a source-agent database"),
            (ResultCode.SQLITE_READONLY, "attempt to write a readonly database", "can only be read by this user"),
            (ResultCode.SQLITE_CANTOPEN, "unable to open database file", "cannot open /srv/a.sqlite"),
            (ResultCode.SQLITE_BUSY, "database is locked", "stayed locked by another program"),
            (ResultCode.SQLITE_FULL, "database or disk is full", "the disk holding /srv/a.sqlite is full"),
            (ResultCode.SQLITE_CORRUPT, "database disk image is malformed", "is damaged"),
            (ResultCode.SQLITE_ERROR, "no such table: lease", "has no table lease"),
        ])
    func sqlite(_ code: ResultCode, _ message: String, _ expected: String) throws {
        let error = DatabaseError(resultCode: code, message: message, sql: "SELECT secret FROM x WHERE y = ?")
        let line = try #require(AgentDatabase.failureText(error, path: "/srv/a.sqlite"))
        #expect(line.contains(expected) && line.contains("/srv/a.sqlite"), "\(line)")
        #expect(!line.contains("SQLite error") && !line.contains("SELECT") && !line.contains("\n"))
    }

    @Test(
        "each connection failure: what happened in words, never the NIO type or errno",
        arguments: [
            (
                "connectionError: SingleConnectionFailure(target: [IPv4]127.0.0.1/127.0.0.1:1, error: connection reset "
                    + "(error set): Connection refused (errno: 111))", "connection refused: nothing listens there"
            ),
            ("NIOConnectionError(connectTimeout)", "no answer in time"),
            ("IOError(Network is unreachable, errno: 101)", "cannot reach that host"),
            ("NIOConnectionError(dnsAAAAError: Name or service not known)", "does not resolve"),
            ("NIOSSLError.handshakeFailed(certificate verify failed)", "TLS handshake failed"),
        ])
    func network(_ raw: String, _ expected: String) throws {
        let line = try #require(PostgresErrorText.network(raw))
        #expect(line.contains(expected), "\(line)")
        #expect(!line.contains("NIO") && !line.contains("errno") && !line.contains("Failure("))
    }
}

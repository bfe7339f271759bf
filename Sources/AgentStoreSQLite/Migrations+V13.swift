import AgentStore
import Foundation
import GRDB

extension Migrations {
    /// One policy for the fleet: each rule version names its file (`name`, the path's last
    /// component) and the version it replaced; `rule_in_force` says which version every process
    /// decides by; `rule_load` which one each process has loaded; `inbox_claim` which process
    /// imports each file of a shared tracking inbox. The version in force itself is set at the
    /// first start after this migration, from the rule file found on disk.
    static func v13(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE rule_version ADD COLUMN name TEXT NOT NULL DEFAULT '';
                ALTER TABLE rule_version ADD COLUMN replaces INTEGER REFERENCES rule_version(id);
                CREATE INDEX rule_version_name ON rule_version(name, id);
                CREATE TABLE rule_in_force (
                    name TEXT PRIMARY KEY,
                    version_id INTEGER NOT NULL REFERENCES rule_version(id),
                    since DATETIME NOT NULL
                );
                CREATE TABLE rule_load (
                    holder TEXT NOT NULL,
                    name TEXT NOT NULL,
                    path TEXT NOT NULL,
                    host TEXT NOT NULL,
                    pid INTEGER NOT NULL,
                    version_id INTEGER,
                    sha256 TEXT NOT NULL,
                    loaded_at DATETIME NOT NULL,
                    seen_at DATETIME NOT NULL,
                    problem TEXT,
                    PRIMARY KEY (holder, name)
                );
                CREATE INDEX rule_load_seen ON rule_load(seen_at);
                CREATE INDEX rule_load_copy ON rule_load(host, path, seen_at);
                CREATE TABLE inbox_claim (
                    name TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    holder TEXT NOT NULL,
                    claimed_at DATETIME NOT NULL,
                    expires_at DATETIME NOT NULL,
                    done_at DATETIME,
                    PRIMARY KEY (name, sha256)
                );
                """)
        for row in try Row.fetchAll(db, sql: "SELECT id, path FROM rule_version") {
            let path: String = row["path"]
            try db.execute(
                sql: "UPDATE rule_version SET name = ? WHERE id = ?",
                arguments: [RuleVersion.name(ofPath: path), row["id"] as Int64])
        }
    }
}

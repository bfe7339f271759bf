import Foundation
import FulfillmentCore

/// A CSV file read 64 KiB at a time, so a 100 MB file of garbage costs a chunk of memory, not
/// the file: the parsers stop at its first bad line.
public enum CSVFile {
    /// The file could not be read as text, and why.
    public struct Unreadable: Error, CustomStringConvertible {
        public let description: String
    }

    public static func rows(atPath path: String) throws(Unreadable) -> CSVRowReader {
        var info = stat()
        guard stat(path, &info) == 0 else { throw Unreadable(description: "\(path): does not exist") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw Unreadable(description: "\(path): is not a regular file") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Unreadable(description: "\(path): cannot be read")
        }
        return CSVRowReader(chunks: {
            // A read error ends the file early; the parser then reports what it got.
            guard let data = try? handle.read(upToCount: 65_536), !data.isEmpty else {
                try? handle.close()
                return nil
            }
            return [UInt8](data)
        })
    }
}

import Foundation

extension URL {
    /// The file URL (as an absolute URL) `URL(fileURLWithPath:)` gives for `path`, a relative path
    /// resolved here against the working directory, `.` and `..` taken out as Foundation takes them out. Foundation's own
    /// resolution is the first thing a `switchyard quote` does with a path, and its first use costs
    /// about 0.3 ms before the configuration starts loading: generic string appends whose first
    /// call searches the binary's 12,475 conformance records (README "Benchmarks").
    init(resolvingFilePath path: String) {
        guard !path.hasPrefix("/"), let directory = getcwd(nil, 0) else {
            self.init(fileURLWithPath: path)
            return
        }
        defer { free(directory) }
        // RFC 3986 dot-segment removal over the directory and the path; empty segments stay, as in Foundation.
        var segments = String(cString: directory).split(separator: "/")
        for segment in path.split(separator: "/", omittingEmptySubsequences: false) {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(segment)
            }
        }
        // Joined by hand: `joined(separator:)` is generic, and its first call searches the conformance records.
        var absolute = ""
        for segment in segments {
            absolute += "/"
            absolute += String(segment)
        }
        self.init(fileURLWithPath: absolute.isEmpty ? "/" : absolute)
    }
}

import Foundation

extension URL {
    /// The file URL (as an absolute URL) `URL(fileURLWithPath:)` gives for `path`: a relative path
    /// resolved here against the working directory, its `.` and `..` segments taken out of the
    /// path's bytes as Foundation takes them out (RFC 3986: empty segments kept, a final `.` or
    /// `..` leaving a trailing `/`). Foundation's own resolution is the first thing a
    /// `switchyard quote` does with a path, and its first use costs about 0.3 ms before the
    /// configuration starts loading: generic string operations whose first call searches the
    /// binary's 12,475 conformance records (README "Benchmarks"). Absolute paths, `~` paths and a
    /// working directory that cannot be read are left to Foundation.
    init(resolvingFilePath path: String) {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        guard path.utf8.first != slash, path.utf8.first != UInt8(ascii: "~"), let directory = getcwd(nil, 0) else {
            self.init(fileURLWithPath: path)
            return
        }
        defer { free(directory) }
        var segments = Array(String(cString: directory).utf8).split(separator: slash)
        var endsAtDirectory = false
        for segment in Array(path.utf8).split(separator: slash, omittingEmptySubsequences: false) {
            endsAtDirectory = segment.elementsEqual([dot]) || segment.elementsEqual([dot, dot])
            if segment.elementsEqual([dot, dot]) {
                if !segments.isEmpty { segments.removeLast() }
            } else if !endsAtDirectory {
                segments.append(segment)
            }
        }
        var absolute = [UInt8]()
        for segment in segments {
            absolute.append(slash)
            absolute.append(contentsOf: segment)
        }
        if absolute.isEmpty || endsAtDirectory { absolute.append(slash) }
        self.init(fileURLWithPath: String(decoding: absolute, as: UTF8.self))
    }
}

import Foundation
import Testing
@testable import SwitchyardCommands

@Suite("File paths resolved against the working directory")
struct ResolvingFilePathTests {
    @Test("the URL is the one Foundation gives: relative paths from the working directory, . and .. taken out, absolute paths as given",
          arguments: ["Config", "./Config", "Config/", "Config/../Config", "../x/./y", "a//b", ".", "..", "", "/", "/tmp", "/tmp/./a/../b/",
                      "Sandbox/sample-config", "../../../../../../../../x", "a b/é", "./.hidden", "...", "a/.../b", "a//../b", "a/..", "./", "x/./",
                      "missing/.", "missing/x/..", "missing/", "missing//", "~", "~/x", "~nobody/x", "/\u{301}x", "a/../\u{301}b", "a/\u{301}/b"])
    func sameAsFoundation(path: String) {
        let resolved = URL(resolvingFilePath: path), foundation = URL(fileURLWithPath: path)
        #expect(resolved.absoluteURL == foundation.absoluteURL, "\(path)")
        #expect(resolved.path == foundation.path, "\(path)")
        #expect(resolved.appendingPathComponent("rails/x.json").path == foundation.appendingPathComponent("rails/x.json").path, "\(path)")
    }
}

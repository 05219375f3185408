extension String {
    /// Whether the text is empty or only spaces and tabs: Unicode category Zs and U+0009, the set
    /// Foundation calls `.whitespaces`. Read on the scalars, without bridging the text to
    /// `NSString` (whose first use searches every conformance record of the binary).
    var isBlank: Bool {
        unicodeScalars.allSatisfy { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
    }
}

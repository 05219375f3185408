extension String {
    /// Whether the text is empty or only blank characters: tab, the space separators (Unicode
    /// category Zs) and the zero-width space U+200B, the set Foundation's `.whitespaces` has on
    /// Linux. Read on the scalars, without bridging the text to `NSString` (whose first use
    /// searches every conformance record of the binary). A name or a travel-rule field of
    /// invisible characters only is not given. Package-wide: configured values check their sources with it.
    package var isBlank: Bool {
        unicodeScalars.allSatisfy { $0 == "\t" || $0 == "\u{200B}" || $0.properties.generalCategory == .spaceSeparator }
    }
}

import Foundation
import RailKit
import RailKitSupport

/// Builds an adapter from configuration files the way the executable does, for adapter tests.
public enum AdapterFixtures {
    /// Calendars from `*.json` files in `directory` (the repository's `Config/calendars`).
    public static func calendars(in directory: URL) throws -> [String: BusinessCalendar] {
        try CalendarFile.loadDirectory(directory)
    }

    /// The adapter `factory` builds from `settingsFile`, with the calendars in `calendarDirectory`.
    public static func adapter(_ factory: any RailAdapterFactory, id: RailID, settingsFile: URL, calendarDirectory: URL) throws -> any RailAdapter {
        let context = RailConfigurationContext(calendars: try calendars(in: calendarDirectory))
        return try factory.makeAdapter(id: id, settings: try Data(contentsOf: settingsFile), file: settingsFile.path, context: context)
    }

    /// A market snapshot with the given mid rates (`"USD/CNH": "7.12"`) and coin prices in USD.
    public static func market(asOf: Date, rates: [String: String], coinPricesUSD: [String: String]) throws -> MarketSnapshot {
        let midRates = try rates.sorted { $0.key < $1.key }.map { pair, rate in
            let codes = pair.split(separator: "/").map(String.init)
            return try ExchangeRate(base: Currency(code: codes[0]), quote: Currency(code: codes[1]), rate: ExactDecimal(parsing: rate))
        }
        let prices = try coinPricesUSD.mapValues { Price(try ExactDecimal(parsing: $0), .usd) }
        return MarketSnapshot(asOf: asOf, source: "test market", midRates: midRates, coinPrices: prices)
    }
}

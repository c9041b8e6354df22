import { zonesByCountry } from './timezone-countries';

/** The currencies Matomo accepts for a site (core/Intl/Data/Resources/currencies.php). */
export const siteCurrencies: ReadonlySet<string> = new Set(
  'USD EUR JPY GBP CHF AFN ALL DZD AOA ARS AMD AWG AUD AZN BSD BHD BDT BBD BYN BZD BMD BTN BOB BAM BWP BRL BND BGN BIF KHR CAD CVE KYD XAF CLP CNY COP KMF CDF CRC HRK XPF CUC CUP CZK DKK DJF DOP XCD EGP ERN ETB FKP FJD GMD GEL GHS GIP GTQ GNF GYD HTG HNL HKD HUF ISK INR IDR IRR IQD ILS JMD JOD KZT KES KWD KGS LAK LBP LSL LRD LYD MOP MKD MGA MWK MYR MVR MRU MUR MXN MDL MNT MAD MZN MMK NAD NPR ANG TWD NZD NIO NGN KPW NOK OMR PKR PAB PGK PYG PEN PHP PLN QAR RON RUB RWF SHP SSP WST STN SAR RSD SCR SLE SLL SGD SBD SOS ZAR KRW LKR SDG SRD SZL SEK SYP TJS TZS THB TOP TTD TND TRY TMT UGX UAH AED UYU UZS VUV VES VND XOF YER ZMW'.split(
    ' ',
  ),
);

const countryOfZone = new Map<string, { country: string; shared: boolean }>(
  Object.entries(zonesByCountry).flatMap(([country, list]) => {
    const zones = list.split(' ');
    return zones.map((zone) => [zone, { country, shared: zones.length > 1 }] as const);
  }),
);

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const currencyNames = new Intl.DisplayNames(['en'], { type: 'currency', fallback: 'code' });

function city(zone: string): string {
  return (zone.split('/').at(-1) ?? zone).replace(/_/g, ' ');
}

/**
 * A time zone's label, as Matomo's `SitesManager.getTimezoneName` writes it in English:
 * `UTC` (and `UTC+5:30` for offsets), the country for a country's only zone ("Japan"),
 * "Country - City" when the country has several ("United States - New York"), else the city.
 */
export function timezoneName(zone: string): string {
  if (zone.startsWith('UTC')) {
    return `UTC${zone.slice(3).replace('.25', ':15').replace('.5', ':30').replace('.75', ':45')}`;
  }
  const location = countryOfZone.get(zone);
  if (location === undefined) return city(zone);
  const country = regionNames.of(location.country) ?? location.country;
  return location.shared ? `${country} - ${city(zone)}` : country;
}

/** A currency's English name ("US Dollar"), or its code when there is none, as Matomo falls back. */
export function currencyName(code: string): string {
  return currencyNames.of(code) ?? code;
}

import { BROWSERS, OPERATING_SYSTEMS, OS_FAMILIES } from './device-detector-codes';

/**
 * How Matomo turns the browser and operating system DeviceDetector found into the codes it
 * stores, and back into the labels and logos of its reports (plugins/DevicesDetection/
 * functions.php, Columns/BrowserName.php and Columns/Os.php). The visit log keeps the names.
 */

/** Matomo's code for a browser or operating system DeviceDetector did not recognise. */
export const UNKNOWN_DEVICE_CODE = 'UNK';

/** The name the visit log gives an unrecognised browser or operating system. */
const UNKNOWN_NAME = 'Unknown';

const BROWSER_LOGO = 'plugins/Morpheus/icons/dist/browsers/';
const OS_LOGO = 'plugins/Morpheus/icons/dist/os/';

const browserCodes = new Map(Object.entries(BROWSERS).map(([code, name]) => [name, code]));
const osCodes = new Map(Object.entries(OPERATING_SYSTEMS).map(([code, name]) => [name, code]));
const lowerBrowserCodes = new Map(Object.entries(BROWSERS).map(([code, name]) => [name.toLowerCase(), code]));
const lowerOsCodes = new Map(
  Object.entries(OPERATING_SYSTEMS).map(([code, name]) => [name.toLowerCase(), code]),
);

/** DeviceDetector's code of a browser name, exactly as spelled; undefined for any other name. */
export function browserCodeOf(name: string): string | undefined {
  return browserCodes.get(name);
}

/**
 * `config_browser_name` as Matomo's tracker stores it: the short code, `UNK` when nothing was
 * recognised, or the client's name when DeviceDetector names one without a code.
 */
export function storedBrowserCode(name: string): string {
  return name === UNKNOWN_NAME ? UNKNOWN_DEVICE_CODE : (browserCodes.get(name) ?? name);
}

/** `config_os` as Matomo stores it: the short code, or `UNK`. */
export function storedOsCode(name: string): string {
  return osCodes.get(name) ?? UNKNOWN_DEVICE_CODE;
}

/** Every browser name that has a stored code other than itself, with that code. */
export function browserStoredCodes(): [string, string][] {
  return [...browserCodes, [UNKNOWN_NAME, UNKNOWN_DEVICE_CODE]];
}

/** Every operating system name with its stored code. */
export function osStoredCodes(): [string, string][] {
  return [...osCodes];
}

/** The `browserName` segment's value filter: the code of a name in any case, else `UNK`. */
export function browserCodeForSegment(value: string): string {
  return lowerBrowserCodes.get(value.toLowerCase()) ?? UNKNOWN_DEVICE_CODE;
}

/** The `operatingSystemName` segment's value filter: the code of a name in any case, else `UNK`. */
export function osCodeForSegment(value: string): string {
  return lowerOsCodes.get(value.toLowerCase()) ?? UNKNOWN_DEVICE_CODE;
}

/**
 * `getBrowserFamilyLogo` of a `getBrowsers` label: the browser's own code; for a name without
 * one, its first two letters where they are a code (`getBrowserLogo`), else the unknown logo.
 * Every code the visit log names has its icon in matomo-icons, so the file check always passes.
 */
export function browserLogo(name: string): string {
  const prefix = name.slice(0, 2);
  const code = browserCodes.get(name) ?? (Object.hasOwn(BROWSERS, prefix) ? prefix : UNKNOWN_DEVICE_CODE);
  return `${BROWSER_LOGO}${code}.png`;
}

/** Families whose first member has no icon in matomo-icons: their logo is the unknown one. */
const FAMILIES_WITHOUT_ICON = new Set(['Brew', 'OpenVMS', 'Real-time OS', 'WebTV', 'Other Smart TV']);

/**
 * `getOSFamilyFullName` and `getOsFamilyLogo`: the family of an operating system (`Unknown` for
 * none, `Console` for DeviceDetector's "Gaming Console") and the icon of the family's first member.
 */
export function osFamilyOf(name: string): { label: string; logo: string } {
  const code = storedOsCode(name);
  const family = Object.keys(OS_FAMILIES).find((key) => OS_FAMILIES[key]?.includes(code));
  if (family === undefined) return { label: UNKNOWN_NAME, logo: `${OS_LOGO}${UNKNOWN_DEVICE_CODE}.png` };
  // Matomo translates this one family's name; the logo then looks the translation up and finds none.
  if (family === 'Gaming Console') return { label: 'Console', logo: `${OS_LOGO}${UNKNOWN_DEVICE_CODE}.png` };
  const first = FAMILIES_WITHOUT_ICON.has(family) ? undefined : OS_FAMILIES[family]?.[0];
  return { label: family, logo: `${OS_LOGO}${first ?? UNKNOWN_DEVICE_CODE}.png` };
}

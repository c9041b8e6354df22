import { describe, expect, test } from 'vitest';
import {
  browserCodeForSegment,
  browserLogo,
  osCodeForSegment,
  osFamilyOf,
  storedBrowserCode,
} from './device-detector';

const os = (code: string) => `plugins/Morpheus/icons/dist/os/${code}.png`;

/** Families and codes read from DeviceDetector 6.4.1's tables and Matomo's DevicesDetection/functions.php. */
describe("Matomo's labels and logos from DeviceDetector's tables", () => {
  test('an OS family is labelled by name and shows its first member’s icon', () => {
    expect(osFamilyOf('iPadOS')).toEqual({ label: 'iOS', logo: os('IOS') });
    expect(osFamilyOf('Tizen')).toEqual({ label: 'Other Mobile', logo: os('WOS') });
    expect(osFamilyOf('Xbox')).toEqual({ label: 'Mobile Gaming Console', logo: os('PSP') });
    expect(osFamilyOf('Chrome OS')).toEqual({ label: 'Chrome OS', logo: os('COS') });
    expect(osFamilyOf('Unknown')).toEqual({ label: 'Unknown', logo: os('UNK') });
  });

  test('"Gaming Console" reads "Console", whose logo Matomo then cannot find', () => {
    expect(osFamilyOf('PlayStation')).toEqual({ label: 'Console', logo: os('UNK') });
  });

  test('a family whose first member has no icon shows the unknown one', () => {
    expect(osFamilyOf('OpenVMS')).toEqual({ label: 'OpenVMS', logo: os('UNK') });
  });

  test('browsers: stored codes, segment names in any case, logos', () => {
    expect(storedBrowserCode('Microsoft Edge')).toBe('PS');
    expect(storedBrowserCode('Unknown')).toBe('UNK');
    expect(browserCodeForSegment('SAMSUNG BROWSER')).toBe('SB');
    expect(browserCodeForSegment('Nope')).toBe('UNK');
    expect(osCodeForSegment('mac')).toBe('MAC');
    expect(browserLogo('Chrome Mobile')).toBe('plugins/Morpheus/icons/dist/browsers/CM.png');
    // No code: its first two letters, where they are one (`getBrowserLogo`).
    expect(browserLogo('FFoo')).toBe('plugins/Morpheus/icons/dist/browsers/FF.png');
    expect(browserLogo('Zzz')).toBe('plugins/Morpheus/icons/dist/browsers/UNK.png');
  });
});

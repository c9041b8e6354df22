import { describe, expect, test } from 'vitest';
import { AnalyticsFixture } from '../../../test/analytics/analytics-fixture';
import type { AnalyticsMethodName } from '../context';
import { analyticsMethods } from '../index';

/**
 * The browser and OS code segments, `visitIp`, the time segments and `latitude`/`longitude`, on
 * four visits of one UTC site in November 2026 ("now" is 2026-11-25 12:00 UTC):
 *
 *   x1  Mon  2 08:15:30 → 08:20:45  Chrome/Windows             198.51.100.0  local 09:15:30  Berlin 52.52 13.405
 *   x2  Sat  7 23:50:00 → Sun 8 00:10:05  Firefox/GNU/Linux    198.51.101.0  no local time   Berlin 52.5  13.41
 *   x3  Fri 20 14:00:00 (bounce)     Mobile Safari/iPadOS      203.0.113.0   local 15:45:00  Paris, no coordinates
 *   x4  Tue 24 09:05:00 → 09:06:00   Unknown/Unknown           10.0.0.0      local 10:05:00  no city
 *
 * Day of year: 2 Nov is day 306, 8 Nov day 312, 20 Nov day 324, 24 Nov day 328. ISO weeks: 2-8
 * Nov is week 45, 20 Nov week 47, 24 Nov week 48.
 */
const fixture = AnalyticsFixture.forTests(async (f) => {
  const site = await f.addSite('UTC', 'https://utc.example');
  const ids = await f.record(
    {
      idsite: site,
      visitor: '1111111111111111',
      browser: 'Chrome',
      os: 'Windows',
      localTime: '09:15:30',
      country: 'de',
      city: 'Berlin',
      region: 'BE',
      actions: [
        { at: '2026-11-02T08:15:30Z', page: '/' },
        { at: '2026-11-02T08:20:45Z', page: '/pricing' },
      ],
    },
    {
      idsite: site,
      visitor: '2222222222222222',
      browser: 'Firefox',
      os: 'GNU/Linux',
      country: 'de',
      city: 'Berlin',
      region: 'BE',
      actions: [
        { at: '2026-11-07T23:50:00Z', page: '/' },
        { at: '2026-11-08T00:10:05Z', page: '/docs' },
      ],
    },
    {
      idsite: site,
      visitor: '3333333333333333',
      browser: 'Mobile Safari',
      os: 'iPadOS',
      localTime: '15:45:00',
      country: 'fr',
      city: 'Paris',
      region: 'IDF',
      actions: [{ at: '2026-11-20T14:00:00Z', page: '/' }],
    },
    {
      idsite: site,
      visitor: '4444444444444444',
      browser: 'Unknown',
      os: 'Unknown',
      localTime: '10:05:00',
      actions: [
        { at: '2026-11-24T09:05:00Z', page: '/' },
        { at: '2026-11-24T09:06:00Z', page: '/about' },
      ],
    },
  );
  const place: [string, number | null, number | null][] = [
    ['198.51.100.0', 52.52, 13.405],
    ['198.51.101.0', 52.5, 13.41],
    ['203.0.113.0', null, null],
    ['10.0.0.0', null, null],
  ];
  for (const [index, [ip, latitude, longitude]] of place.entries()) {
    await f.db
      .updateTable('log_visit')
      .set({ location_ip: ip, location_latitude: latitude, location_longitude: longitude })
      .where('idvisit', '=', ids[index] ?? 0)
      .execute();
  }
});

function run<M extends AnalyticsMethodName>(method: M, query: string) {
  return analyticsMethods[method].run(fixture.context(query));
}

/** The visitor ids (their first digit: x1 is 1) of the visits a segment keeps, in November. */
async function visitors(segment: string): Promise<string> {
  const visits = await run(
    'Live.getLastVisitsDetails',
    `period=month&date=today&filter_limit=-1&segment=${encodeURIComponent(segment)}`,
  );
  return visits
    .map((visit) => visit.visitorId.charAt(0))
    .sort()
    .join('');
}

describe('browserCode and operatingSystemCode: DeviceDetector codes, the names stored as them', () => {
  test('codes compare as MySQL text, case-insensitively', async () => {
    expect(await visitors('browserCode==CH')).toBe('1');
    expect(await visitors('browserCode==ff')).toBe('2');
    expect(await visitors('browserCode==MF')).toBe('3');
    expect(await visitors('browserCode==UNK')).toBe('4');
    expect(await visitors('browserCode!=CH')).toBe('234');
    // CH, FF, MF, UNK: "F" is in FF and MF.
    expect(await visitors('browserCode=@F')).toBe('23');
    expect(await visitors('browserCode=^C')).toBe('1');
    expect(await visitors('browserCode==BR')).toBe('');
    expect(await visitors('operatingSystemCode==WIN')).toBe('1');
    expect(await visitors('operatingSystemCode==LIN')).toBe('2');
    // iPadOS is stored as its own code; Matomo maps IPA to iOS only for labels and logos.
    expect(await visitors('operatingSystemCode==IPA')).toBe('3');
    expect(await visitors('operatingSystemCode==IOS')).toBe('');
    expect(await visitors('operatingSystemCode==UNK')).toBe('4');
    expect(await visitors('operatingSystemCode==WIN,operatingSystemCode==LIN;browserCode==FF')).toBe('2');
  });

  test('names become codes first; a name DeviceDetector does not know becomes UNK', async () => {
    expect(await visitors('browserName==firefox')).toBe('2');
    expect(await visitors('browserName==Mobile Safari')).toBe('3');
    // Brave is BR: no visit. An unknown name is UNK, and matches the unrecognised browser.
    expect(await visitors('browserName==Brave')).toBe('');
    expect(await visitors('browserName==Netscape Navigator 9000')).toBe('4');
    // `=@Chr` compares the code of "Chr" (UNK), not the name.
    expect(await visitors('browserName=@Chr')).toBe('4');
    expect(await visitors('operatingSystemName==gnu/linux')).toBe('2');
    expect(await visitors('operatingSystemName==iPadOS')).toBe('3');
    expect(await visitors('operatingSystemName!=Windows')).toBe('234');
  });
});

describe('visitIp: the address as binary, so that ranges work', () => {
  test('equality and byte-wise ranges', async () => {
    expect(await visitors('visitIp==198.51.100.0')).toBe('1');
    expect(await visitors('visitIp>=198.51.100.0;visitIp<=198.51.100.255')).toBe('1');
    expect(await visitors('visitIp>=198.51.100.0;visitIp<=198.51.101.255')).toBe('12');
    // Byte order, not text order: 10.0.0.0 sorts before 198.…, and 203.… after.
    expect(await visitors('visitIp<100.0.0.0')).toBe('4');
    expect(await visitors('visitIp>198.51.101.0')).toBe('3');
    expect(await visitors('visitIp!=198.51.100.0')).toBe('234');
  });

  test('an IPv6 value compares byte by byte with the 4-byte IPv4 addresses', async () => {
    // 0x20 (2001:…) is between 0x0A (10.…) and 0xC6 (198.…).
    expect(await visitors('visitIp<2001:db8::1')).toBe('4');
    expect(await visitors('visitIp>::ffff:1.2.3.4')).toBe('1234');
  });

  test('a value that is no address is 0.0.0.0, as IPUtils::stringToBinaryIP makes it, and no error', async () => {
    expect(await visitors('visitIp==not-an-ip')).toBe('');
    expect(await visitors('visitIp>not-an-ip')).toBe('1234');
    expect(await visitors('visitIp>198.51.100.01')).toBe('1234');
  });

  test('contains, starts with: on whole bytes only', async () => {
    // 198.51.100.0 is C6.33.64.00; 0x33 0x64 is "51.100".
    expect(await visitors('visitIp=@51.100.0.0')).toBe('');
    expect(await visitors('visitIp=^198.51.100.0')).toBe('1');
  });
});

describe('time segments: UTC for "server" times, the visitor clock for local ones', () => {
  test('start and end hours, minutes and seconds', async () => {
    expect(await visitors('visitStartServerHour==23')).toBe('2');
    expect(await visitors('visitServerHour==0')).toBe('2');
    expect(await visitors('visitServerHour==8')).toBe('1');
    expect(await visitors('visitServerHour>=9')).toBe('34');
    expect(await visitors('visitStartServerMinute==15')).toBe('1');
    expect(await visitors('visitEndServerMinute==20')).toBe('1');
    expect(await visitors('visitEndServerSecond==5')).toBe('2');
    expect(await visitors('visitEndServerSecond==45')).toBe('1');
  });

  test('the end date and its parts', async () => {
    expect(await visitors('visitEndServerDate==2026-11-08')).toBe('2');
    expect(await visitors('visitEndServerDate==2026-11-8')).toBe('2');
    expect(await visitors('visitEndServerDate>=2026-11-20')).toBe('34');
    expect(await visitors('visitEndServerDayOfMonth==2')).toBe('1');
    // MySQL's DAYOFWEEK: Sunday 1, Monday 2, … Saturday 7.
    expect(await visitors('visitEndServerDayOfWeek==1')).toBe('2');
    expect(await visitors('visitEndServerDayOfWeek==2')).toBe('1');
    expect(await visitors('visitEndServerDayOfWeek==6')).toBe('3');
    expect(await visitors('visitEndServerDayOfYear==312')).toBe('2');
    expect(await visitors('visitEndServerDayOfYear>=324')).toBe('34');
    expect(await visitors('visitEndServerWeekOfYear==45')).toBe('12');
    expect(await visitors('visitEndServerWeekOfYear==48')).toBe('4');
    expect(await visitors('visitEndServerMonth==11')).toBe('1234');
    expect(await visitors('visitEndServerQuarter==4')).toBe('1234');
    expect(await visitors('visitEndServerQuarter==3')).toBe('');
    expect(await visitors('visitEndServerYear==2026')).toBe('1234');
  });

  test("the visitor's local hour and minute; visits without a local time match neither", async () => {
    expect(await visitors('visitLocalHour==9')).toBe('1');
    expect(await visitors('visitLocalMinute==45')).toBe('3');
    expect(await visitors('visitLocalMinute<10')).toBe('4');
    // `!=` also keeps the visit without a local time (NULL), as Matomo's segments do.
    expect(await visitors('visitLocalMinute!=45')).toBe('124');
  });

  test('action hours and minutes: a visit matches when one of its actions does', async () => {
    expect(await visitors('actionServerHour==0')).toBe('2');
    expect(await visitors('actionServerHour==23')).toBe('2');
    // `!=`: visits with no action in that hour.
    expect(await visitors('actionServerHour!=23')).toBe('134');
    expect(await visitors('actionServerMinute==6')).toBe('4');
  });

  test('values are read as MySQL reads a string compared with a number', async () => {
    // "abc" is 0; "8h" is 8.
    expect(await visitors('visitServerHour==abc')).toBe('2');
    expect(await visitors('visitServerHour==8h')).toBe('1');
  });
});

describe('coordinates', () => {
  test('latitude and longitude segments compare numbers; visits without coordinates match no range', async () => {
    expect(await visitors('latitude>52.51')).toBe('1');
    expect(await visitors('latitude>45;latitude<53;longitude>13;longitude<13.41')).toBe('1');
    expect(await visitors('longitude>=13.405')).toBe('12');
    expect(await visitors('latitude==')).toBe('34');
  });

  test('UserCountry.getCity: lat and long before the segment, the largest of the visits, rounded to 3 decimals', async () => {
    const rows = await run('UserCountry.getCity', 'period=month&date=today');
    expect(Array.isArray(rows)).toBe(true);
    const list = rows as Record<string, unknown>[];
    const berlin = list.find((row) => row.city_name === 'Berlin');
    expect(berlin).toMatchObject({ nb_visits: 2, lat: 52.52, long: 13.41 });
    const keys = Object.keys(berlin ?? {});
    expect(keys.slice(keys.indexOf('lat'), keys.indexOf('lat') + 3)).toEqual(['lat', 'long', 'segment']);
    const paris = list.find((row) => row.city_name === 'Paris');
    expect(paris).toBeDefined();
    expect(paris).not.toHaveProperty('lat');
    expect(list.find((row) => row.label === 'Unknown')).not.toHaveProperty('lat');
  });

  test('Live: latitude and longitude as DECIMAL(9,6) text, null without coordinates', async () => {
    const visits = await run('Live.getLastVisitsDetails', 'period=month&date=today&filter_limit=-1');
    const byVisitor = new Map(visits.map((visit) => [visit.visitorId.charAt(0), visit]));
    expect(byVisitor.get('1')).toMatchObject({ latitude: '52.520000', longitude: '13.405000' });
    expect(byVisitor.get('2')).toMatchObject({ latitude: '52.500000', longitude: '13.410000' });
    expect(byVisitor.get('3')).toMatchObject({ latitude: null, longitude: null });
  });
});

describe('DevicesDetection logos and labels from DeviceDetector tables', () => {
  test('OS families: iPadOS is iOS; unknown is Unknown', async () => {
    const rows = (await run('DevicesDetection.getOsFamilies', 'period=month&date=today')) as {
      label: string;
      logo: string;
    }[];
    const logos = Object.fromEntries(rows.map((row) => [row.label, row.logo]));
    expect(logos).toEqual({
      Windows: 'plugins/Morpheus/icons/dist/os/WIN.png',
      'GNU/Linux': 'plugins/Morpheus/icons/dist/os/LIN.png',
      iOS: 'plugins/Morpheus/icons/dist/os/IOS.png',
      Unknown: 'plugins/Morpheus/icons/dist/os/UNK.png',
    });
  });

  test('browsers: the code logo and segment', async () => {
    const rows = (await run('DevicesDetection.getBrowsers', 'period=month&date=today')) as {
      label: string;
      logo: string;
      segment?: string;
    }[];
    expect(rows.find((row) => row.label === 'Mobile Safari')).toMatchObject({
      logo: 'plugins/Morpheus/icons/dist/browsers/MF.png',
      segment: 'browserCode==MF',
    });
    expect(rows.find((row) => row.label === 'Unknown')).toMatchObject({
      logo: 'plugins/Morpheus/icons/dist/browsers/UNK.png',
      segment: 'browserCode==UNK',
    });
  });
});

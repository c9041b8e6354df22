import type { DeviceType } from '../../db/analytics.schema';

/**
 * Where the demo visitors are and how their browsers are set up, per country: a few cities (with
 * the ISO 3166-2 subdivision code Matomo stores as the region, and the city's timezone for the
 * visitor's local time) and the Accept-Language headers seen there. Weights are relative.
 */

export interface CityEntry {
  city: string;
  /** ISO 3166-2 subdivision code without the country. */
  region: string;
  timezone: string;
  weight: number;
  /** The city centre's latitude and longitude, in degrees. */
  coordinates: readonly [number, number];
}

export interface PlaceEntry {
  cities: readonly CityEntry[];
  /** Accept-Language headers, lower case as Matomo stores them. */
  languages: readonly (readonly [string, number])[];
}

const city = (
  name: string,
  region: string,
  timezone: string,
  weight: number,
  coordinates: readonly [number, number],
): CityEntry => ({ city: name, region, timezone, weight, coordinates });

export const PLACES: Readonly<Record<string, PlaceEntry>> = {
  de: {
    cities: [
      city('Berlin', 'BE', 'Europe/Berlin', 5, [52.52, 13.405]),
      city('Munich', 'BY', 'Europe/Berlin', 4, [48.1351, 11.582]),
      city('Hamburg', 'HH', 'Europe/Berlin', 3, [53.5511, 9.9937]),
      city('Cologne', 'NW', 'Europe/Berlin', 2, [50.9375, 6.9603]),
    ],
    languages: [
      ['de-de,de', 70],
      ['de', 15],
      ['en-us,en', 10],
      ['en-gb,en', 5],
    ],
  },
  fr: {
    cities: [
      city('Paris', 'IDF', 'Europe/Paris', 6, [48.8566, 2.3522]),
      city('Lyon', 'ARA', 'Europe/Paris', 2, [45.764, 4.8357]),
      city('Bordeaux', 'NAQ', 'Europe/Paris', 1, [44.8378, -0.5792]),
    ],
    languages: [
      ['fr-fr,fr', 80],
      ['fr', 10],
      ['en-us,en', 10],
    ],
  },
  gb: {
    cities: [
      city('London', 'ENG', 'Europe/London', 6, [51.5074, -0.1278]),
      city('Manchester', 'ENG', 'Europe/London', 2, [53.4808, -2.2426]),
      city('Edinburgh', 'SCT', 'Europe/London', 1, [55.9533, -3.1883]),
    ],
    languages: [
      ['en-gb,en', 80],
      ['en-us,en', 20],
    ],
  },
  nl: {
    cities: [
      city('Amsterdam', 'NH', 'Europe/Amsterdam', 3, [52.3676, 4.9041]),
      city('Utrecht', 'UT', 'Europe/Amsterdam', 1, [52.0907, 5.1214]),
    ],
    languages: [
      ['nl-nl,nl', 60],
      ['en-us,en', 40],
    ],
  },
  es: {
    cities: [
      city('Madrid', 'MD', 'Europe/Madrid', 3, [40.4168, -3.7038]),
      city('Barcelona', 'CT', 'Europe/Madrid', 2, [41.3874, 2.1686]),
    ],
    languages: [
      ['es-es,es', 85],
      ['ca-es,ca', 5],
      ['en-us,en', 10],
    ],
  },
  it: {
    cities: [
      city('Milan', '25', 'Europe/Rome', 3, [45.4642, 9.19]),
      city('Rome', '62', 'Europe/Rome', 2, [41.9028, 12.4964]),
    ],
    languages: [
      ['it-it,it', 90],
      ['en-us,en', 10],
    ],
  },
  pl: {
    cities: [
      city('Warsaw', '14', 'Europe/Warsaw', 3, [52.2297, 21.0122]),
      city('Kraków', '12', 'Europe/Warsaw', 2, [50.0647, 19.945]),
    ],
    languages: [
      ['pl-pl,pl', 85],
      ['en-us,en', 15],
    ],
  },
  se: {
    cities: [city('Stockholm', 'AB', 'Europe/Stockholm', 1, [59.3293, 18.0686])],
    languages: [
      ['sv-se,sv', 70],
      ['en-us,en', 30],
    ],
  },
  ch: {
    cities: [
      city('Zurich', 'ZH', 'Europe/Zurich', 2, [47.3769, 8.5417]),
      city('Geneva', 'GE', 'Europe/Zurich', 1, [46.2044, 6.1432]),
    ],
    languages: [
      ['de-ch,de', 60],
      ['fr-ch,fr', 25],
      ['en-us,en', 15],
    ],
  },
  us: {
    cities: [
      city('New York', 'NY', 'America/New_York', 4, [40.7128, -74.006]),
      city('San Francisco', 'CA', 'America/Los_Angeles', 3, [37.7749, -122.4194]),
      city('Seattle', 'WA', 'America/Los_Angeles', 2, [47.6062, -122.3321]),
      city('Austin', 'TX', 'America/Chicago', 2, [30.2672, -97.7431]),
      city('Chicago', 'IL', 'America/Chicago', 2, [41.8781, -87.6298]),
    ],
    languages: [
      ['en-us,en', 90],
      ['es-us,es', 10],
    ],
  },
  ca: {
    cities: [
      city('Toronto', 'ON', 'America/Toronto', 3, [43.6532, -79.3832]),
      city('Vancouver', 'BC', 'America/Vancouver', 2, [49.2827, -123.1207]),
      city('Montreal', 'QC', 'America/Toronto', 2, [45.5017, -73.5673]),
    ],
    languages: [
      ['en-ca,en', 70],
      ['fr-ca,fr', 30],
    ],
  },
  mx: {
    cities: [
      city('Mexico City', 'CMX', 'America/Mexico_City', 3, [19.4326, -99.1332]),
      city('Guadalajara', 'JAL', 'America/Mexico_City', 1, [20.6597, -103.3496]),
    ],
    languages: [
      ['es-mx,es', 90],
      ['en-us,en', 10],
    ],
  },
  br: {
    cities: [
      city('São Paulo', 'SP', 'America/Sao_Paulo', 3, [-23.5505, -46.6333]),
      city('Rio de Janeiro', 'RJ', 'America/Sao_Paulo', 2, [-22.9068, -43.1729]),
    ],
    languages: [
      ['pt-br,pt', 90],
      ['en-us,en', 10],
    ],
  },
  ar: {
    cities: [city('Buenos Aires', 'C', 'America/Argentina/Buenos_Aires', 1, [-34.6037, -58.3816])],
    languages: [['es-ar,es', 1]],
  },
  in: {
    cities: [
      city('Bengaluru', 'KA', 'Asia/Kolkata', 3, [12.9716, 77.5946]),
      city('Mumbai', 'MH', 'Asia/Kolkata', 2, [19.076, 72.8777]),
      city('New Delhi', 'DL', 'Asia/Kolkata', 2, [28.6139, 77.209]),
    ],
    languages: [
      ['en-in,en', 70],
      ['en-us,en', 20],
      ['hi-in,hi', 10],
    ],
  },
  jp: {
    cities: [
      city('Tokyo', '13', 'Asia/Tokyo', 6, [35.6762, 139.6503]),
      city('Osaka', '27', 'Asia/Tokyo', 2, [34.6937, 135.5023]),
      city('Fukuoka', '40', 'Asia/Tokyo', 1, [33.5904, 130.4017]),
    ],
    languages: [
      ['ja-jp,ja', 80],
      ['ja', 10],
      ['en-us,en', 10],
    ],
  },
  kr: {
    cities: [
      city('Seoul', '11', 'Asia/Seoul', 3, [37.5665, 126.978]),
      city('Busan', '26', 'Asia/Seoul', 1, [35.1796, 129.0756]),
    ],
    languages: [
      ['ko-kr,ko', 90],
      ['en-us,en', 10],
    ],
  },
  cn: {
    cities: [
      city('Shanghai', 'SH', 'Asia/Shanghai', 2, [31.2304, 121.4737]),
      city('Beijing', 'BJ', 'Asia/Shanghai', 2, [39.9042, 116.4074]),
    ],
    languages: [['zh-cn,zh', 1]],
  },
  au: {
    cities: [
      city('Sydney', 'NSW', 'Australia/Sydney', 3, [-33.8688, 151.2093]),
      city('Melbourne', 'VIC', 'Australia/Melbourne', 2, [-37.8136, 144.9631]),
    ],
    languages: [['en-au,en', 1]],
  },
  nz: {
    cities: [
      city('Auckland', 'AUK', 'Pacific/Auckland', 2, [-36.8485, 174.7633]),
      city('Wellington', 'WGN', 'Pacific/Auckland', 1, [-41.2865, 174.7762]),
    ],
    languages: [['en-nz,en', 1]],
  },
  sg: {
    cities: [city('Singapore', '01', 'Asia/Singapore', 1, [1.3521, 103.8198])],
    languages: [
      ['en-sg,en', 70],
      ['zh-sg,zh', 30],
    ],
  },
};

/**
 * The coordinates a geolocation database gives the visitors of a city (Matomo stores them with
 * each visit); none for a city not listed here.
 */
export function cityCoordinates(country: string, city: string | null): readonly [number, number] | undefined {
  return PLACES[country]?.cities.find((entry) => entry.city === city)?.coordinates;
}

/** A visitor whose location is unknown (`xx`): no city, often no language either. */
export const UNKNOWN_PLACE: PlaceEntry = {
  cities: [],
  languages: [
    ['xx', 50],
    ['en-us,en', 50],
  ],
};

/** Screen resolutions per device type; `unknown` where the browser did not send one. */
export const RESOLUTIONS: Record<DeviceType, readonly (readonly [string, number])[]> = {
  Desktop: [
    ['1920x1080', 40],
    ['2560x1440', 12],
    ['1536x864', 10],
    ['1366x768', 9],
    ['1440x900', 8],
    ['3840x2160', 4],
    ['1280x720', 3],
    ['unknown', 1],
  ],
  Smartphone: [
    ['390x844', 25],
    ['393x873', 20],
    ['412x915', 20],
    ['360x800', 15],
    ['430x932', 12],
    ['unknown', 1],
  ],
  Phablet: [
    ['412x915', 3],
    ['384x854', 2],
  ],
  Tablet: [
    ['810x1080', 4],
    ['820x1180', 3],
    ['800x1280', 3],
  ],
  TV: [['1920x1080', 1]],
  Console: [['1920x1080', 1]],
  Unknown: [['unknown', 1]],
};

/**
 * The English names of the regions above, per country and ISO 3166-2 code, as Matomo names them
 * (plugins/GeoIp2/data/isoRegionNames.php, the `name` of each code).
 */
export const REGION_NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  de: { BE: 'Berlin', BY: 'Bayern', HH: 'Hamburg', NW: 'Nordrhein-Westfalen' },
  fr: { IDF: 'Île-de-France', ARA: 'Auvergne-Rhône-Alpes', NAQ: 'Nouvelle-Aquitaine' },
  gb: { ENG: 'England', SCT: 'Scotland' },
  nl: { NH: 'Noord-Holland', UT: 'Utrecht' },
  es: { MD: 'Madrid, Comunidad de', CT: 'Catalunya [Cataluña]' },
  it: { '25': 'Lombardia', '62': 'Lazio' },
  pl: { '14': 'Mazowieckie', '12': 'Małopolskie' },
  se: { AB: 'Stockholms län [SE-01]' },
  ch: { ZH: 'Zürich', GE: 'Genève' },
  us: { NY: 'New York', CA: 'California', WA: 'Washington', TX: 'Texas', IL: 'Illinois' },
  ca: { ON: 'Ontario', BC: 'British Columbia', QC: 'Quebec' },
  mx: { CMX: 'Ciudad de México', JAL: 'Jalisco' },
  br: { SP: 'São Paulo', RJ: 'Rio de Janeiro' },
  ar: { C: 'Ciudad Autónoma de Buenos Aires' },
  in: { KA: 'Karnātaka', MH: 'Mahārāshtra', DL: 'Delhi' },
  jp: { '13': 'Tokyo', '27': 'Osaka', '40': 'Fukuoka' },
  kr: { '11': 'Seoul-teukbyeolsi', '26': 'Busan-gwangyeoksi' },
  cn: { SH: 'Shanghai Shi', BJ: 'Beijing Shi' },
  au: { NSW: 'New South Wales', VIC: 'Victoria' },
  nz: { AUK: 'Auckland', WGN: 'Wellington' },
  sg: { '01': 'Central Singapore' },
};

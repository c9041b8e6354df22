/**
 * Matomo's continents (core/Intl/Data/Resources/continents.php and countries.php: MaxMind's mapping,
 * with Central America apart) and their English names (plugins/Intl/lang/en.json, `Continent_*`).
 */

export type ContinentCode = 'eur' | 'asi' | 'amc' | 'amn' | 'ams' | 'afr' | 'ant' | 'oce' | 'unk';

/** The countries (lower-case ISO codes) of each continent. */
const COUNTRIES_BY_CONTINENT: Readonly<Record<Exclude<ContinentCode, 'unk'>, string>> = {
  afr: 'ao bf bi bj bw cd cf cg ci cm cv dj dz eg eh er et ga gh gm gn gq gw ke km lr ls ly ma mg ml mr mu mw mz na ne ng re rw sc sd sh sl sn so ss st sz td tg tn tz ug yt za zm zw',
  amc: 'ag ai aw bb bl bm bq bs bz cr cu cw dm do gd gp gt hn ht jm kn ky lc mf mq ms ni pa pr sv sx tc tt vc vg vi',
  amn: 'ca gl mx pm us',
  ams: 'ar bo br cl co ec fk gf gy pe py sr uy ve',
  ant: 'aq bv gs hm tf',
  asi: 'ae af am az bd bh bn bt cc cn cx ge hk id il in io iq ir jo jp kg kh kp kr kw kz la lb lk mm mn mo mv my np om ph pk ps qa sa sg sy th tj tl tm tw uz vn ye',
  eur: 'ad al at ax ba be bg by ch cy cz de dk ee es fi fo fr gb gg gi gr hr hu ie im is it je li lt lu lv mc md me mk mt nl no pl pt ro rs ru se si sj sk sm tr ua va',
  oce: 'as au ck fj fm gu ki mh mp nc nf nr nu nz pf pg pn pw sb tk to tv um vu wf ws',
};

const CONTINENT_NAMES = {
  afr: 'Africa',
  amc: 'Central America',
  amn: 'North America',
  ams: 'South America',
  ant: 'Antarctica',
  asi: 'Asia',
  eur: 'Europe',
  oce: 'Oceania',
  unk: 'Unknown',
} as const satisfies Record<ContinentCode, string>;

export type ContinentName = (typeof CONTINENT_NAMES)[ContinentCode];

const continentOfCountry = new Map<string, ContinentCode>(
  Object.entries(COUNTRIES_BY_CONTINENT).flatMap(([continent, countries]) =>
    countries.split(' ').map((country) => [country, continent as ContinentCode] as const),
  ),
);

/** `Common::getContinent`: the continent of a country code; `unk` for `xx` and unknown codes. */
export function continentOf(country: string): ContinentCode {
  return continentOfCountry.get(country.toLowerCase()) ?? 'unk';
}

/** `continentTranslate`: the English name of a continent code. */
export function continentName(code: ContinentCode): ContinentName {
  return CONTINENT_NAMES[code];
}

/** Every country with its continent, for the segment's SQL mapping. */
export function countryContinents(): ReadonlyMap<string, ContinentCode> {
  return continentOfCountry;
}

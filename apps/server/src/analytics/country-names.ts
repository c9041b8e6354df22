const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

/** A country's English name (`de` → Germany); `xx` and codes the runtime does not know are "Unknown". */
export function countryName(code: string): string {
  if (!/^[a-z]{2}$/.test(code) || code === 'xx') return 'Unknown';
  const name = regionNames.of(code.toUpperCase());
  return name === undefined || name === code.toUpperCase() ? 'Unknown' : name;
}

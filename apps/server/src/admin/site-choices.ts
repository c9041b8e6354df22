/** A choice of a select: the value sent, and what people read. */
export interface Choice {
  value: string;
  label: string;
}

/** Every IANA time zone this runtime knows, after UTC (which Intl does not list). */
const timezones: readonly Choice[] = ['UTC', ...Intl.supportedValuesOf('timeZone')].map((zone) => ({
  value: zone,
  label: zone.replace(/_/g, ' '),
}));

const currencyNames = new Intl.DisplayNames(['en'], { type: 'currency' });

/** Every ISO 4217 currency this runtime knows, with its English name. */
const currencies: readonly Choice[] = Intl.supportedValuesOf('currency').map((code) => ({
  value: code,
  label: `${code} · ${currencyNames.of(code) ?? code}`,
}));

/** The choices, with `value` first when it is not among them (a value sent, or stored earlier), so nothing is lost. */
function keeping(choices: readonly Choice[], value: string): readonly Choice[] {
  return value === '' || choices.some((choice) => choice.value === value)
    ? choices
    : [{ value, label: value }, ...choices];
}

export const timezoneChoices = (value: string) => keeping(timezones, value);
export const currencyChoices = (value: string) => keeping(currencies, value);

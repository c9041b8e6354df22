import { civilDate } from './calendar';
import type { PeriodDays, PeriodName } from './periods';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Matomo's English interval separator: an en dash between thin spaces. */
const DASH = '\u2009\u2013\u2009';

/**
 * A period as Matomo's `Period::getLocalizedShortString` writes it in English: `Sat, Jan 2`,
 * `Jul 2012`, `2009`, and for weeks and ranges `Dec 21 – 27, 2009`, `Nov 13 – Dec 14, 2010`,
 * `Dec 28, 2009 – Jan 3, 2010` (expected outputs of Matomo's MultiSites system tests).
 */
export function periodShortLabel(period: PeriodName, { first, last }: PeriodDays): string {
  const start = civilDate(first);
  const monthOf = (month: number): string => MONTHS[month - 1] ?? '';
  switch (period) {
    case 'day':
      return `${WEEKDAYS[new Date(first * 86_400_000).getUTCDay()]}, ${monthOf(start.month)} ${start.day}`;
    case 'month':
      return `${monthOf(start.month)} ${start.year}`;
    case 'year':
      return String(start.year);
    default: {
      const end = civilDate(last);
      if (start.year !== end.year) {
        return `${monthOf(start.month)} ${start.day}, ${start.year}${DASH}${monthOf(end.month)} ${end.day}, ${end.year}`;
      }
      if (start.month !== end.month) {
        return `${monthOf(start.month)} ${start.day}${DASH}${monthOf(end.month)} ${end.day}, ${end.year}`;
      }
      return `${monthOf(start.month)} ${start.day}${DASH}${end.day}, ${end.year}`;
    }
  }
}

import { s } from './dom';

export interface Point {
  /** `YYYY-MM-DD` */
  date: string;
  value: number;
}

const height = 260;
const margin = { top: 16, right: 16, bottom: 34, left: 48 };

/** A round step for the value axis: 1, 2 or 5 times a power of ten, about four ticks. */
function tickStep(max: number): number {
  const raw = Math.max(max, 1) / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const factor = [1, 2, 5, 10].find((f) => f * power >= raw) ?? 10;
  return factor * power;
}

const dayLabel = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const fullLabel = new Intl.DateTimeFormat('en', {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});
const label = (format: Intl.DateTimeFormat, date: string) => format.format(new Date(`${date}T00:00:00Z`));

/**
 * Visits per day as an SVG area-and-line chart with both axes, a title and a description for
 * screen readers. Drawn for `width` pixels (its container's), so that its text keeps its size on
 * a phone; the view box scales it if the container changes.
 */
export function visitsChart(title: string, points: Point[], width = 720): SVGSVGElement {
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const max = Math.max(0, ...points.map((p) => p.value));
  const step = tickStep(max);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const x = (i: number) =>
    margin.left + (points.length > 1 ? (i / (points.length - 1)) * plotWidth : plotWidth / 2);
  const y = (value: number) => margin.top + plotHeight - (value / top) * plotHeight;
  const total = points.reduce((sum, p) => sum + p.value, 0);
  const first = points[0];
  const last = points.at(-1);
  const description =
    first && last
      ? `${total} visits from ${label(fullLabel, first.date)} to ${label(fullLabel, last.date)}, at most ${max} a day.`
      : 'No data.';

  const grid = [];
  for (let value = 0; value <= top; value += step) {
    grid.push(
      s('line', { class: 'grid', x1: margin.left, x2: width - margin.right, y1: y(value), y2: y(value) }),
      s('text', { class: 'tick', x: margin.left - 8, y: y(value) + 4, 'text-anchor': 'end' }, value),
    );
  }
  // A label every week (every two on a narrow chart, so that labels never touch), counted back
  // from the last day, so that the last day always has one.
  const dayWidth = plotWidth / Math.max(points.length - 1, 1);
  const every = 7 * dayWidth >= 72 ? 7 : 14;
  const xTicks = points.flatMap((point, i) =>
    (points.length - 1 - i) % every === 0
      ? [
          s(
            'text',
            // The last day's label ends at its point, so that it stays inside the chart.
            {
              class: 'tick',
              x: x(i),
              y: height - 12,
              'text-anchor': i === points.length - 1 ? 'end' : 'middle',
            },
            label(dayLabel, point.date),
          ),
        ]
      : [],
  );
  const line = points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`)
    .join(' ');
  const area = points.length
    ? `${line} L${x(points.length - 1).toFixed(1)},${y(0)} L${x(0).toFixed(1)},${y(0)} Z`
    : '';
  const dots = points.map((p, i) =>
    s(
      'circle',
      { class: 'dot', cx: x(i).toFixed(1), cy: y(p.value).toFixed(1), r: 3 },
      s('title', {}, `${label(fullLabel, p.date)}: ${p.value} visits`),
    ),
  );

  return s(
    'svg',
    {
      class: 'chart',
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-labelledby': 'chart-title chart-desc',
    },
    s('title', { id: 'chart-title' }, title),
    s('desc', { id: 'chart-desc' }, description),
    ...grid,
    s('line', { class: 'axis', x1: margin.left, x2: width - margin.right, y1: y(0), y2: y(0) }),
    s('line', { class: 'axis', x1: margin.left, x2: margin.left, y1: margin.top, y2: y(0) }),
    ...xTicks,
    s('path', { class: 'area', d: area }),
    s('path', { class: 'line', d: line }),
    ...dots,
  );
}

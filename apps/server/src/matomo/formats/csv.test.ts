// Golden comparisons: results rendered as Matomo's system tests expect them
// (matomo-org/matomo tests/PHPUnit/System/expected/*.csv, decoded from UTF-16LE).
import { describe, expect, test } from 'vitest';
import { renderCsvText } from './csv';
import { formatCsvValue } from './csv-value';
import { readMatomoResult } from './matomo-result';

const csv = (value: unknown, { multiSite = false, dataTable = true, separator = ',' } = {}) =>
  renderCsvText(readMatomoResult(value, { dataTable, multiSite }), { separator });
const lines = (...text: string[]) => text.join('\n');

describe('Matomo’s CSV', () => {
  test('a record (test_csvExport_xp0__VisitsSummary.get_day.csv)', () => {
    const record = {
      nb_uniq_visitors: 2,
      nb_users: 0,
      nb_visits: 2,
      nb_actions: 2,
      nb_visits_converted: 0,
      bounce_count: 2,
      sum_visit_length: 542,
      max_actions: 1,
      bounce_rate: '100%',
      nb_actions_per_visit: 1,
      avg_time_on_site: 271,
    };
    expect(csv(record)).toBe(
      lines(
        'nb_uniq_visitors,nb_users,nb_visits,nb_actions,nb_visits_converted,bounce_count,sum_visit_length,max_actions,bounce_rate,nb_actions_per_visit,avg_time_on_site',
        '2,0,2,2,0,2,542,1,100%,1,271',
      ),
    );
  });

  test('a map by period of tables, metadata last (test_csvExport_multi__Contents.getContentNames_week.csv)', () => {
    const row = (
      label: string,
      visits: number,
      impressions: number,
      interactions: number,
      rate: string,
      segment: string,
    ) => ({
      label,
      nb_visits: visits,
      nb_impressions: impressions,
      nb_interactions: interactions,
      sum_daily_nb_uniq_visitors: visits,
      segment,
      interaction_rate: rate,
    });
    const byWeek = {
      '2009-12-28,2010-01-03': [
        row('ImageAd', 8, 8, 2, '25%', 'contentName==ImageAd'),
        row('Text Ad', 6, 6, 4, '66.67%', 'contentName==Text+Ad'),
        row('Video Ad', 2, 4, 0, '0%', 'contentName==Video+Ad'),
      ],
    };
    expect(csv(byWeek)).toBe(
      lines(
        'date,label,nb_visits,nb_impressions,nb_interactions,sum_daily_nb_uniq_visitors,interaction_rate,metadata_segment',
        '"2009-12-28,2010-01-03",ImageAd,8,8,2,8,25%,contentName==ImageAd',
        '"2009-12-28,2010-01-03",Text Ad,6,6,4,6,66.67%,contentName==Text+Ad',
        '"2009-12-28,2010-01-03",Video Ad,2,4,0,2,0%,contentName==Video+Ad',
      ),
    );
  });

  test('a map by site of records (test_AllWebsitesTest_superuser__VisitsSummary.get_.csv)', () => {
    const record = (uniq: number, visits: number) => ({
      nb_uniq_visitors: uniq,
      nb_visits: visits,
      bounce_rate: '100%',
    });
    expect(csv({ '1': record(2, 2), '2': record(1, 1), '3': record(2, 2) }, { multiSite: true })).toBe(
      lines('idSite,nb_uniq_visitors,nb_visits,bounce_rate', '1,2,2,100%', '2,1,1,100%', '3,2,2,100%'),
    );
  });

  test('a map by site of maps by period: both keys first, every row aligned', () => {
    const bySite = {
      '1': { '2026-11-29': { nb_visits: 3, bounce_rate: '67%' } },
      '2': { '2026-11-29': { nb_visits: 2, bounce_rate: '0%' } },
    };
    expect(csv(bySite, { multiSite: true })).toBe(
      lines('idSite,date,nb_visits,bounce_rate', '1,2026-11-29,3,67%', '2,2026-11-29,2,0%'),
    );
  });

  test('single values', () => {
    expect(csv({ value: 43 })).toBe('value\n43');
    expect(csv({ '2026-11-29': 3, '2026-11-30': 0 })).toBe(
      lines('date,value', '2026-11-29,3', '2026-11-30,0'),
    );
  });

  test('nested columns are flattened (test_csvExport__Live.getLastVisitsDetails_day.csv: pluginsIcons_0_pluginIcon)', () => {
    const visits = [
      {
        idVisit: 2,
        plugins: 'cookie, flash, java',
        pluginsIcons: [{ pluginIcon: 'a.png', pluginName: 'cookie' }],
      },
    ];
    expect(csv(visits)).toBe(
      lines(
        'idVisit,plugins,pluginsIcons_0_pluginIcon,pluginsIcons_0_pluginName',
        '2,"cookie, flash, java",a.png,cookie',
      ),
    );
  });

  test('subtables and subtable ids are not exported', () => {
    expect(
      csv([{ label: 'Search Engines', nb_visits: 1, idsubdatatable: 2, subtable: [{ label: 'x' }] }]),
    ).toBe(lines('label,nb_visits', 'Search Engines,1'));
  });

  test('an empty result has no text (Matomo then answers "No data available")', () => {
    expect(csv([])).toBe('');
  });

  test('TSV: the same layout with tabs; the success message on one line (plugins/API/Renderer/Tsv.php)', () => {
    expect(csv({ nb_visits: 3, label: 'a\tb' }, { separator: '\t' })).toBe('nb_visits\tlabel\n3\ta b');
    expect(csv({ result: 'success', message: 'ok' }, { dataTable: false, separator: '\t' })).toBe(
      'message\tok',
    );
    expect(csv({ result: 'success', message: 'ok' }, { dataTable: false })).toBe('message\nok');
  });

  test('arrays deeper than rows are refused, as Matomo refuses them', () => {
    expect(() => csv({ '1': [{ note: 'x' }] }, { dataTable: false })).toThrow(
      "Data structure returned is not convertible in the requested format: Multidimensional column values not supported. Found unexpected array value for column '0' in row '1'",
    );
    expect(() => csv({ sites: [1], other: 2 }, { dataTable: false })).toThrow(
      "Only integer keys supported for array columns on base level. Unsupported string 'sites' found",
    );
  });
});

describe('a cell (Csv::formatValue)', () => {
  test.each([
    ['=1+2', "'=1+2"],
    ['+33 1 23', "'+33 1 23"],
    ['-cmd', "'-cmd"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['%=x', "'%=x"],
    ['-5', '-5'],
    ['-5%', '-5%'],
    ['+1.5e3', '+1.5e3'],
    ['a,b', '"a,b"'],
    ['a;b', '"a;b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['tab\there', 'tab here'],
    ['=HYPERLINK("x"),1', `"'=HYPERLINK(""x""),1"`],
  ])('%j → %s', (value, cell) => {
    expect(formatCsvValue(value, ',')).toBe(cell);
  });

  test('numbers and booleans as PHP writes them', () => {
    expect([1.7, 0, true, false, null].map((value) => formatCsvValue(value, ','))).toEqual([
      '1.7',
      '0',
      '1',
      '0',
      '',
    ]);
  });
});

// Golden comparisons: results rendered as Matomo's system tests expect them
// (matomo-org/matomo tests/PHPUnit/System/expected/*.xml and plugins/*/tests/System/expected).
import { describe, expect, test } from 'vitest';
import { readMatomoResult } from './matomo-result';
import { renderXml, renderXmlError } from './xml';

const report = (value: unknown, multiSite = false) =>
  renderXml(readMatomoResult(value, { dataTable: true, multiSite }));
const array = (value: unknown) => renderXml(readMatomoResult(value, { dataTable: false, multiSite: false }));
const lines = (...text: string[]) => text.join('\n');
const declaration = '<?xml version="1.0" encoding="utf-8" ?>';

describe('Matomo’s XML', () => {
  test('a table, with goals keyed idgoal=N (test_OneVisitorTwoVisits__UserCountry.getCountry_day.xml)', () => {
    const rows = [
      {
        label: 'France',
        nb_uniq_visitors: 1,
        nb_visits: 2,
        nb_actions: 8,
        max_actions: 7,
        sum_visit_length: 1622,
        bounce_count: 1,
        nb_visits_converted: 2,
        goals: {
          'idgoal=1': { nb_conversions: 1, nb_visits_converted: 1, revenue: 42 },
          'idgoal=2': { nb_conversions: 1, nb_visits_converted: 1, revenue: 1 },
        },
        nb_conversions: 2,
        revenue: 43,
        code: 'fr',
        logo: 'plugins/Morpheus/icons/dist/flags/fr.png',
        segment: 'countryCode==fr',
        logoHeight: 16,
      },
    ];
    expect(report(rows)).toBe(
      lines(
        declaration,
        '<result>',
        '\t<row>',
        '\t\t<label>France</label>',
        '\t\t<nb_uniq_visitors>1</nb_uniq_visitors>',
        '\t\t<nb_visits>2</nb_visits>',
        '\t\t<nb_actions>8</nb_actions>',
        '\t\t<max_actions>7</max_actions>',
        '\t\t<sum_visit_length>1622</sum_visit_length>',
        '\t\t<bounce_count>1</bounce_count>',
        '\t\t<nb_visits_converted>2</nb_visits_converted>',
        '\t\t<goals>',
        "\t\t\t<row idgoal='1'>",
        '\t\t\t\t<nb_conversions>1</nb_conversions>',
        '\t\t\t\t<nb_visits_converted>1</nb_visits_converted>',
        '\t\t\t\t<revenue>42</revenue>',
        '\t\t\t</row>',
        "\t\t\t<row idgoal='2'>",
        '\t\t\t\t<nb_conversions>1</nb_conversions>',
        '\t\t\t\t<nb_visits_converted>1</nb_visits_converted>',
        '\t\t\t\t<revenue>1</revenue>',
        '\t\t\t</row>',
        '\t\t</goals>',
        '\t\t<nb_conversions>2</nb_conversions>',
        '\t\t<revenue>43</revenue>',
        '\t\t<code>fr</code>',
        '\t\t<logo>plugins/Morpheus/icons/dist/flags/fr.png</logo>',
        '\t\t<segment>countryCode==fr</segment>',
        '\t\t<logoHeight>16</logoHeight>',
        '\t</row>',
        '</result>',
      ),
    );
  });

  test('a record (test_MultipleSitesArchivingTest_sitesGroup__VisitsSummary.get_day.xml)', () => {
    expect(report({ nb_uniq_visitors: 3, nb_visits: 5, bounce_rate: '100%' })).toBe(
      lines(
        declaration,
        '<result>',
        '\t<nb_uniq_visitors>3</nb_uniq_visitors>',
        '\t<nb_visits>5</nb_visits>',
        '\t<bounce_rate>100%</bounce_rate>',
        '</result>',
      ),
    );
  });

  test('a single value (test_ImportLogs__VisitsSummary.getVisits_month.xml)', () => {
    expect(report({ value: 43 })).toBe(`${declaration}\n<result>43</result>`);
    expect(array({ value: '5.4.0' })).toBe(`${declaration}\n<result>5.4.0</result>`);
  });

  test('a map of values by period, zero as an empty element (test_ImportLogs__Referrers.getNumberOfDistinctWebsites_day.xml)', () => {
    const byDay = { '2012-08-09': 0, '2012-08-12': 0, '2012-08-13': 1, '2012-08-14': 0, '2012-08-15': 3 };
    expect(report(byDay)).toBe(
      lines(
        declaration,
        '<results>',
        '\t<result date="2012-08-09" />',
        '\t<result date="2012-08-12" />',
        '\t<result date="2012-08-13">1</result>',
        '\t<result date="2012-08-14" />',
        '\t<result date="2012-08-15">3</result>',
        '</results>',
      ),
    );
  });

  test('a map of records with empty periods (test_Archive_InvalidationWebsite1_NewDataShouldAppear__VisitsSummary.get_month.xml)', () => {
    const byMonth = { '2010-03': { nb_visits: 2, bounce_rate: '0%' }, '2010-04': [], '2010-05': [] };
    expect(report(byMonth)).toBe(
      lines(
        declaration,
        '<results>',
        '\t<result date="2010-03">',
        '\t\t<nb_visits>2</nb_visits>',
        '\t\t<bounce_rate>0%</bounce_rate>',
        '\t</result>',
        '\t<result date="2010-04" />',
        '\t<result date="2010-05" />',
        '</results>',
      ),
    );
  });

  test('a map by site of maps by period of tables (test_SiteSearch_AllSites__Actions.getPageTitlesFollowingSiteSearch_day.xml)', () => {
    const bySite = {
      '1': {
        '2010-01-03': [{ label: ' Im just a page', nb_visits: 1, min_bandwidth: null }],
        '2010-01-04': [],
      },
    };
    expect(report(bySite, true)).toBe(
      lines(
        declaration,
        '<results>',
        '\t<result idSite="1">',
        '\t\t<result date="2010-01-03">',
        '\t\t\t<row>',
        '\t\t\t\t<label> Im just a page</label>',
        '\t\t\t\t<nb_visits>1</nb_visits>',
        '\t\t\t\t<min_bandwidth />',
        '\t\t\t</row>',
        '\t\t</result>',
        '\t\t<result date="2010-01-04" />',
        '\t</result>',
        '</results>',
      ),
    );
  });

  test('expanded rows carry their subtable (test_OneVisitorTwoVisits__Referrers.getReferrerType_day.xml)', () => {
    const rows = [{ label: 'Search Engines', nb_visits: 1, subtable: [{ label: 'purchase', nb_visits: 1 }] }];
    expect(report(rows)).toBe(
      lines(
        declaration,
        '<result>',
        '\t<row>',
        '\t\t<label>Search Engines</label>',
        '\t\t<nb_visits>1</nb_visits>',
        '\t\t<subtable>',
        '\t\t\t<row>',
        '\t\t\t\t<label>purchase</label>',
        '\t\t\t\t<nb_visits>1</nb_visits>',
        '\t\t\t</row>',
        '\t\t</subtable>',
        '\t</row>',
        '</result>',
      ),
    );
  });

  test('an array keyed by site (plugins/Annotations test_annotations__Annotations.getAll_day.xml)', () => {
    const bySite = {
      '1': [
        {
          date: '2011-12-01',
          note: '0: Site 1 annotation for 2011-12-01',
          starred: 1,
          canEditOrDelete: true,
        },
      ],
    };
    expect(array(bySite)).toBe(
      lines(
        declaration,
        '<result>',
        '\t<row key="1">',
        '\t\t<row>',
        '\t\t\t<date>2011-12-01</date>',
        '\t\t\t<note>0: Site 1 annotation for 2011-12-01</note>',
        '\t\t\t<starred>1</starred>',
        '\t\t\t<canEditOrDelete>1</canEditOrDelete>',
        '\t\t</row>',
        '\t</row>',
        '</result>',
      ),
    );
  });

  test('an array record is one <row>; empty values are empty elements', () => {
    expect(array({ idsite: 1, group: '', ecommerce: false })).toBe(
      lines(
        declaration,
        '<result>',
        '\t<row>',
        '\t\t<idsite>1</idsite>',
        '\t\t<group />',
        '\t\t<ecommerce>0</ecommerce>',
        '\t</row>',
        '</result>',
      ),
    );
  });

  test('empty results', () => {
    expect(report([])).toBe(`${declaration}\n<result />`);
    expect(array([])).toBe(`${declaration}\n<result />`);
    expect(report({ value: '' })).toBe(`${declaration}\n<result />`);
  });

  test('a void method’s success (plugins/API/Renderer/Xml.php)', () => {
    expect(array({ result: 'success', message: 'ok' })).toBe(
      lines(declaration, '<result>', '\t<success message="ok" />', '</result>'),
    );
  });

  test('text is escaped; names that are not tags become <col name="…">', () => {
    expect(report([{ label: `<b>"Tom" & 'Jerry'</b>`, 'nb visits': 1 }])).toBe(
      lines(
        declaration,
        '<result>',
        '\t<row>',
        `\t\t<col name="label">&lt;b&gt;&quot;Tom&quot; &amp; 'Jerry'&lt;/b&gt;</col>`,
        '\t\t<col name="nb visits">1</col>',
        '\t</row>',
        '</result>',
      ),
    );
  });

  test('an error (plugins/API/Renderer/Xml.php)', () => {
    expect(renderXmlError('Bad &amp; worse')).toBe(
      lines(declaration, '<result>', '\t<error message="Bad &amp; worse" />', '</result>'),
    );
  });
});

import { describe, expectTypeOf, test } from 'vitest';
import type { components, operations, paths } from './openapi';

type Schemas = components['schemas'];
type FormBody<Op extends { requestBody?: unknown }> =
  NonNullable<Op['requestBody']> extends {
    content: { 'application/x-www-form-urlencoded': infer Body };
  }
    ? Body
    : never;
type Json200<Op extends { responses: { 200: unknown } }> = Op['responses'][200] extends {
  content: { 'application/json': infer Body };
}
  ? Body
  : never;

describe('VisitsSummary.get', () => {
  type Body = FormBody<operations['VisitsSummary.get']>;
  type Query = operations['VisitsSummary.get.query']['parameters']['query'];

  test('takes idSite, period and date, required, in the body and in the query', () => {
    expectTypeOf<Body['idSite']>().toEqualTypeOf<number | string>();
    expectTypeOf<Body['period']>().toEqualTypeOf<'day' | 'week' | 'month' | 'year' | 'range'>();
    expectTypeOf<Body['date']>().toEqualTypeOf<string>();
    expectTypeOf<Query['idSite']>().toEqualTypeOf<number | string>();
    expectTypeOf<Query['period']>().toEqualTypeOf<Body['period']>();
    // @ts-expect-error: period is required
    const missing: Body = { idSite: 1, date: 'today' };
    void missing;
  });

  test('format takes Matomo’s four formats, any case', () => {
    expectTypeOf<NonNullable<Body['format']>>().toEqualTypeOf<
      'json' | 'xml' | 'csv' | 'tsv' | 'JSON' | 'XML' | 'CSV' | 'TSV'
    >();
  });

  test('answers a record, a map by period or by site, their `columns` shapes, or a Matomo error', () => {
    expectTypeOf<Json200<operations['VisitsSummary.get']>>().toEqualTypeOf<
      Schemas['VisitsSummaryResult'] | Schemas['VisitsSummaryColumnsResult'] | Schemas['MatomoError']
    >();
    expectTypeOf<Schemas['VisitsSummaryResult']>().toEqualTypeOf<
      Schemas['VisitsSummaryOrEmpty'] | Schemas['VisitsSummaryByPeriod'] | Schemas['VisitsSummaryBySite']
    >();
    expectTypeOf<Schemas['VisitsSummaryByPeriod'][string]>().toEqualTypeOf<Schemas['VisitsSummary'] | []>();
  });

  test('has Matomo metric names and formats', () => {
    type Record = Schemas['VisitsSummary'];
    expectTypeOf<Record['nb_visits']>().toEqualTypeOf<number>();
    // Unique visitors and users: days, weeks and months only, as Matomo reports them.
    expectTypeOf<Record['nb_uniq_visitors']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Record['nb_users']>().toEqualTypeOf<number | undefined>();
    // "45%", or the raw ratio with format_metrics=0.
    expectTypeOf<Record['bounce_rate']>().toEqualTypeOf<string | number>();
    expectTypeOf<Record['nb_actions_per_visit']>().toEqualTypeOf<number>();
    expectTypeOf<keyof Record>().toEqualTypeOf<
      | 'nb_uniq_visitors'
      | 'nb_users'
      | 'nb_visits_converted'
      | 'nb_visits'
      | 'nb_actions'
      | 'bounce_count'
      | 'sum_visit_length'
      | 'max_actions'
      | 'bounce_rate'
      | 'nb_actions_per_visit'
      | 'avg_time_on_site'
    >();
  });

  test('is a GET and a POST on its virtual path', () => {
    expectTypeOf<paths['/api/VisitsSummary.get']['post']>().toEqualTypeOf<operations['VisitsSummary.get']>();
    expectTypeOf<paths['/api/VisitsSummary.get']['get']>().toEqualTypeOf<
      operations['VisitsSummary.get.query']
    >();
  });
});

describe('scalars and lists', () => {
  test('VisitsSummary.getVisits answers {value} or plain numbers by key', () => {
    expectTypeOf<Schemas['IntegerResult']>().toEqualTypeOf<
      { value: number } | { [key: string]: number } | { [key: string]: number | { [key: string]: number } }
    >();
  });

  test('Actions.getPageUrls rows nest their subtables', () => {
    type Row = Schemas['PageUrlRow'];
    expectTypeOf<Row['subtable']>().toEqualTypeOf<Row[] | undefined>();
    expectTypeOf<Row['idsubdatatable']>().toEqualTypeOf<number | undefined>();
  });

  test('Annotations.getAll is keyed by site, or [] when no site has notes (as Matomo sends it)', () => {
    type BySite = Exclude<Schemas['AnnotationsBySite'], unknown[]>;
    expectTypeOf<BySite[string]>().toEqualTypeOf<Schemas['Annotation'][]>();
  });
});

describe('OAuth 2.0', () => {
  test('the token request is one schema per grant, told apart by grant_type', () => {
    type Request = FormBody<operations['token']>;
    expectTypeOf<Request['grant_type']>().toEqualTypeOf<
      'authorization_code' | 'client_credentials' | 'refresh_token'
    >();
    expectTypeOf<
      Extract<Request, { grant_type: 'refresh_token' }>['refresh_token']
    >().toEqualTypeOf<string>();
  });

  test('the token response has the granted scopes, an optional refresh token and an optional ID token', () => {
    type Token = Json200<operations['token']>;
    expectTypeOf<Token['token_type']>().toEqualTypeOf<'Bearer'>();
    // One Matomo scope, then the identity scopes granted: `matomo:read openid profile`.
    expectTypeOf<Token['scope']>().toEqualTypeOf<Schemas['GrantedScope']>();
    expectTypeOf<Schemas['GrantedScope']>().toEqualTypeOf<string>();
    expectTypeOf<Token['refresh_token']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Token['id_token']>().toEqualTypeOf<string | undefined>();
  });

  test('a Matomo scope is one of four; the identity scopes are three', () => {
    expectTypeOf<Schemas['Scope']>().toEqualTypeOf<
      'matomo:read' | 'matomo:write' | 'matomo:admin' | 'matomo:superuser'
    >();
    expectTypeOf<Schemas['IdentityScope']>().toEqualTypeOf<'openid' | 'profile' | 'email'>();
  });

  test('UserInfo has sub, and the profile and email claims when granted', () => {
    type User = Json200<operations['userinfo']>;
    expectTypeOf<User>().toEqualTypeOf<Schemas['UserInfo']>();
    expectTypeOf<User['sub']>().toEqualTypeOf<string>();
    expectTypeOf<User['email']>().toEqualTypeOf<string | undefined>();
  });

  test('the OpenID configuration adds the UserInfo and end-session endpoints', () => {
    type Configuration = Json200<operations['openidConfiguration']>;
    expectTypeOf<Configuration['userinfo_endpoint']>().toEqualTypeOf<string>();
    expectTypeOf<Configuration['end_session_endpoint']>().toEqualTypeOf<string>();
  });

  test('prompt=none errors are OAuth error codes', () => {
    type Code = Schemas['OAuthErrorCode'];
    expectTypeOf<'login_required' | 'consent_required' | 'interaction_required'>().toExtend<Code>();
  });

  test('errors use the RFC 6749 codes', () => {
    type Error = operations['token']['responses'][400]['content']['application/json'];
    expectTypeOf<Error['error']>().toExtend<string>();
    expectTypeOf<'invalid_grant'>().toExtend<Error['error']>();
    expectTypeOf<'made_up'>().not.toExtend<Error['error']>();
  });

  test('introspection of an inactive token says nothing else', () => {
    type Description = Json200<operations['introspect']>;
    expectTypeOf<Extract<Description, { active: false }>>().toEqualTypeOf<{ active: false }>();
  });
});

describe('named result types', () => {
  test('are the contract’s schemas, exported from the main entry', () => {
    expectTypeOf<import('./index').VisitsSummary>().toEqualTypeOf<Schemas['VisitsSummary']>();
    expectTypeOf<import('./index').PageUrlRow>().toEqualTypeOf<Schemas['PageUrlRow']>();
    expectTypeOf<import('./index').CountryRow>().toEqualTypeOf<Schemas['CountryRow']>();
    expectTypeOf<import('./index').Visit>().toEqualTypeOf<Schemas['Visit']>();
    expectTypeOf<import('./index').Site>().toEqualTypeOf<Schemas['Site']>();
    expectTypeOf<import('./index').GoalsSummary>().toEqualTypeOf<Schemas['GoalsSummary']>();
    expectTypeOf<import('./index').Goal>().toEqualTypeOf<Schemas['Goal']>();
    expectTypeOf<import('./index').EventRow>().toEqualTypeOf<Schemas['EventRow']>();
    expectTypeOf<import('./index').VisitAction>().toEqualTypeOf<Schemas['VisitAction']>();
    expectTypeOf<import('./index').VisitorProfile>().toEqualTypeOf<Schemas['VisitorProfile']>();
    expectTypeOf<import('./index').RowGoalMetrics>().toEqualTypeOf<Schemas['RowGoalMetrics']>();
  });
});

import { expect, test } from 'vitest';
import { createMetrics } from './metrics';

test('a grant type outside the known ones is counted as "other": label values stay bounded', async () => {
  const metrics = createMetrics({ processMetrics: false });
  metrics.tokenIssued('urn:ietf:params:oauth:grant-type:something-new');
  metrics.tokenIssued(undefined);
  metrics.tokenIssued('client_credentials');
  const text = await metrics.registry.metrics();
  expect(text).toContain('oauth_tokens_issued_total{grant_type="other"} 2');
  expect(text).toContain('oauth_tokens_issued_total{grant_type="client_credentials"} 1');
  expect(text).toContain('oauth_tokens_issued_total{grant_type="authorization_code"} 0');
  expect(text).not.toContain('something-new');
});

test('each server has its own registry, without process metrics unless asked', async () => {
  const one = createMetrics({ processMetrics: false });
  const other = createMetrics({ processMetrics: true });
  one.authorizationCodeReplayed();
  expect(await one.registry.metrics()).toContain('oauth_authorization_code_replay_total 1');
  expect(await other.registry.metrics()).toContain('oauth_authorization_code_replay_total 0');
  expect(await one.registry.metrics()).not.toContain('process_cpu_user_seconds_total');
  expect(await other.registry.metrics()).toContain('process_cpu_user_seconds_total');
});

/**
 * Mutation testing of the security-critical files (`pnpm mutation`): StrykerJS changes one
 * operator or condition at a time and checks that a unit test fails. Incremental: only mutants
 * in changed code, or covered by changed tests, run again; the result file is committed so that
 * CI and the next contributor start from it. The run fails below 90% killed overall, and each
 * file is held to 90% as well (scripts/mutation-scores.mjs at the root). An equivalent mutant (no behaviour can
 * differ) is marked where it is, `// Stryker disable next-line <mutator>: <reason>`.
 */
export default {
  packageManager: 'pnpm',
  testRunner: 'vitest',
  // Named explicitly: under pnpm, Stryker cannot find its plugins by scanning node_modules.
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts' },
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  thresholds: { high: 95, low: 90, break: 90 },
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  clearTextReporter: { allowColor: false, logTests: false },
  // A run that fails (below the threshold, a failing test) leaves no sandbox behind either.
  cleanTempDir: 'always',
  mutate: [
    'src/account/connected-apps.ts',
    'src/accounts/user.service.ts',
    'src/admin/secret-flash.ts',
    'src/admin/spent-nonces.ts',
    'src/admin/admin-guard.ts',
    'src/clients/client-secret.ts',
    'src/clients/client-settings.ts',
    'src/clients/redirect-uri.ts',
    'src/config/trust-proxy.ts',
    'src/crypto/constant-time.ts',
    'src/http/client-address.ts',
    'src/http/params.ts',
    'src/matomo/access-check.ts',
    'src/matomo/list-param.ts',
    'src/matomo/method-dispatch.ts',
    'src/matomo/bearer-authentication.ts',
    'src/oauth/access-token-state.ts',
    'src/oauth/authorization-request.ts',
    'src/oauth/end-session.endpoint.ts',
    'src/oauth/grants/authorization-code.grant.ts',
    'src/oauth/grants/client-credentials.grant.ts',
    'src/oauth/grants/refresh-token.grant.ts',
    'src/oauth/pkce.ts',
    'src/oauth/shared/authenticate-client.ts',
    'src/oauth/shared/check-token-request.ts',
    'src/oauth/shared/client-authentication.ts',
    'src/oauth/userinfo.endpoint.ts',
    'src/protocol/identity-scopes.ts',
    'src/protocol/scopes.ts',
    'src/rate-limit/rate-limiter.ts',
    'src/sessions/login-csrf.ts',
    'src/sessions/return-to.ts',
    'src/sessions/session.middleware.ts',
    'src/sessions/session-store.ts',
    'src/sessions/sign-in-form-targets.ts',
    'src/tokens/access-token.ts',
    'src/tokens/id-token.ts',
    'src/users/api-caller.ts',
    'src/users/password-check.ts',
    'src/users/password-confirmation.ts',
    'src/users/password-policy.ts',
  ],
};

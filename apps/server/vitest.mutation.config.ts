import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against each mutant of the security-critical files (stryker.config.json):
 * the unit tests beside those files, which pin every rule and run in seconds. The end-to-end
 * tests in test/ keep covering the flows; they run in `pnpm test`, not once per mutant.
 */
export default defineConfig({
  test: {
    include: [
      'src/account/connected-apps.test.ts',
      'src/accounts/user.service.test.ts',
      'src/admin/secret-flash.test.ts',
      'src/admin/spent-nonces.test.ts',
      'src/admin/admin-guard.test.ts',
      'src/clients/client-secret.test.ts',
      'src/clients/client-settings.test.ts',
      'src/clients/redirect-uri.test.ts',
      'src/config/trust-proxy.test.ts',
      'src/crypto/constant-time.test.ts',
      'src/http/client-address.test.ts',
      'src/http/params.test.ts',
      'src/matomo/access-check.test.ts',
      'src/matomo/list-param.test.ts',
      'src/matomo/method-dispatch.test.ts',
      'src/matomo/bearer-authentication.test.ts',
      'src/oauth/access-token-state.test.ts',
      'src/oauth/authorization-request.test.ts',
      'src/oauth/end-session.endpoint.test.ts',
      'src/oauth/grants/authorization-code.grant.test.ts',
      'src/oauth/grants/client-credentials.grant.test.ts',
      'src/oauth/grants/refresh-token.grant.test.ts',
      'src/oauth/pkce.test.ts',
      'src/oauth/shared/authenticate-client.test.ts',
      'src/oauth/shared/check-token-request.test.ts',
      'src/oauth/shared/client-authentication.test.ts',
      'src/oauth/userinfo.endpoint.test.ts',
      'src/protocol/identity-scopes.test.ts',
      'src/protocol/scopes.test.ts',
      'src/rate-limit/rate-limiter.test.ts',
      'src/sessions/login-csrf.test.ts',
      'src/sessions/return-to.open-redirect.test.ts',
      'src/sessions/return-to.test.ts',
      'src/sessions/session.middleware.test.ts',
      'src/sessions/session-store.test.ts',
      'src/sessions/sign-in-form-targets.test.ts',
      'src/tokens/access-token.test.ts',
      'src/tokens/id-token.test.ts',
      'src/users/api-caller.test.ts',
      'src/users/password-check.test.ts',
      'src/users/password-confirmation.test.ts',
      'src/users/password-policy.test.ts',
    ],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});

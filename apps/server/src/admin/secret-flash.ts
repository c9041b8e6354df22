import { decrypt, encrypt } from '../crypto/key-encryption';
import type { AppContext } from '../http/state';
import type { SessionCookies } from '../sessions/session-cookies';

/**
 * A client secret is shown in full once, on the page the browser lands on after creating or
 * rotating it (post/redirect/get). It travels there in a cookie sealed with AES-256-GCM under a
 * key derived from the operator's secret, bound to the client id, kept two minutes at most, and
 * cleared as it is read: a reload shows the secret masked, and no instance stores it anywhere.
 */
export function createSecretFlash({ key, cookies }: { key: Buffer; cookies: SessionCookies }) {
  return {
    put(ctx: AppContext, clientId: string, secret: string): void {
      cookies.write(ctx, 'secretFlash', encrypt(key, secret, `secret-flash:${clientId}`), 120);
    },

    /** The secret put for this client, once; undefined on any later read. */
    take(ctx: AppContext, clientId: string): string | undefined {
      const sealed = cookies.read(ctx, 'secretFlash');
      if (sealed === undefined) return undefined;
      cookies.write(ctx, 'secretFlash', undefined);
      try {
        return decrypt(key, sealed, `secret-flash:${clientId}`);
      } catch {
        return undefined;
      }
    },
  };
}

export type SecretFlash = ReturnType<typeof createSecretFlash>;

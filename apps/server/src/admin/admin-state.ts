import type { UserRow } from '../db/schema';
import type { SessionState } from '../sessions/session-state';

/** What the admin guard leaves on `ctx.state`: the signed-in super user and the session's anti-CSRF token. */
export interface AdminState extends SessionState {
  admin?: { user: UserRow; csrfToken: string };
}

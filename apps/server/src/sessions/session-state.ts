import type { UserRow } from '../db/schema';
import type { RequestState } from '../http/state';
import type { Session } from './session-store';

/** What `loadSession` leaves on `ctx.state`: the signed-in user, if any. */
export interface SessionState extends RequestState {
  session?: { cookieValue: string; data: Session; user: UserRow };
}

import type { Actor } from '../audit/actor';
import type { AppContext } from '../http/state';
import { adminOf } from './admin-guard';
import type { AdminState } from './admin-state';

/** Who made a change, as the audit log records it: the signed-in super user, from where. */
export function actorOf(ctx: AppContext<AdminState>): Actor {
  return { login: adminOf(ctx).user.login, ip: ctx.ip };
}

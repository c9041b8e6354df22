import type { AuditLog } from '../../audit/audit-log';
import type { Clock } from '../../config/clock';
import type { Db } from '../../db/database';
import * as grants from '../../tokens/grant.repository';
import type { RevokeGrant } from './grant';

/** Revokes a grant, recording it in the audit log when it was still live. */
export function createRevokeGrant({
  db,
  clock,
  audit,
}: {
  db: Db;
  clock: Clock;
  audit: AuditLog;
}): RevokeGrant {
  return async function revokeGrant(grantId, reason, origin) {
    if (!(await grants.revoke(db, grantId, clock()))) return;
    const owner = await grants.findOwner(db, grantId);
    audit.record('grant.revoked', {
      actor: owner?.user_login,
      clientId: owner?.client_id,
      ip: origin.ip,
      detail: { reason },
    });
  };
}

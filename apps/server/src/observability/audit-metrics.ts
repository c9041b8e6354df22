import type { AuditEntry, AuditEvent } from '../audit/audit-log';
import type { Metrics } from './metrics';

type CountedMetrics = Pick<Metrics, 'tokenIssued' | 'refreshTokenReused' | 'authorizationCodeReplayed'>;

/**
 * The audit log's `onRecord` hook that counts the security events operators alert on: the grants
 * record them once, where they decide, so counting here adds no second call site that could drift.
 */
export function countAuditEvents(metrics: CountedMetrics): (event: AuditEvent, entry: AuditEntry) => void {
  return function countAuditEvent(event, entry) {
    if (event === 'token.issued') metrics.tokenIssued(entry.detail?.grant_type);
    else if (event === 'refresh_token.reuse_detected') metrics.refreshTokenReused();
    else if (event === 'authorization_code.replayed') metrics.authorizationCodeReplayed();
  };
}

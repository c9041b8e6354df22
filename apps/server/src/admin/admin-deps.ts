import type { UserService } from '../accounts/user.service';
import type { AuditLog } from '../audit/audit-log';
import type { ClientService } from '../clients/client.service';
import type { Clock } from '../config/clock';
import type { Db } from '../db/database';
import type { SessionDeps } from '../sessions/session.middleware';
import type { SiteService } from '../sites/site.service';
import type { ConfirmPassword } from '../users/password-confirmation';
import type { SecretFlash } from './secret-flash';

/** What the admin pages use: the shared services (the same ones the API methods and the CLI use). */
export interface AdminDeps {
  db: Db;
  clock: Clock;
  audit: AuditLog;
  session: SessionDeps;
  clients: ClientService;
  users: UserService;
  sites: SiteService;
  confirmPassword: ConfirmPassword;
  secretFlash: SecretFlash;
  /** The issuer, to show the authorization and token endpoints beside the client list. */
  issuer: string;
}

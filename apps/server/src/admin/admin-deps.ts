import type { UserService } from '../accounts/user.service';
import type { ClientService } from '../clients/client.service';
import type { Clock } from '../config/clock';
import type { Db } from '../db/database';
import type { SessionDeps } from '../sessions/session.middleware';
import type { SiteService } from '../sites/site.service';
import type { ConfirmPassword } from '../users/password-confirmation';
import type { SecretFlash } from './secret-flash';

/**
 * What the admin pages use, all sections together: the shared services (the same ones the API
 * methods and the CLI use). Each section takes only its part (`Pick<AdminDeps, …>`).
 */
export interface AdminDeps {
  /** The audit log's entries, read by the audit page. */
  db: Db;
  clock: Clock;
  session: SessionDeps;
  clients: ClientService;
  users: UserService;
  sites: SiteService;
  confirmPassword: ConfirmPassword;
  secretFlash: SecretFlash;
  /** The issuer, to show the authorization and token endpoints beside the client list. */
  issuer: string;
}

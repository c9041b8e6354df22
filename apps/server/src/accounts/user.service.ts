import type { Actor } from '../audit/actor';
import type { AuditLog } from '../audit/audit-log';
import * as clients from '../clients/client.repository';
import type { Clock } from '../config/clock';
import { hashPassword } from '../crypto/password';
import type { Db } from '../db/database';
import type { SiteAccessLevel, UserRow } from '../db/schema';
import { serializable } from '../db/serializable';
import { ConflictError, NotFoundError, ValidationError } from '../errors/domain-error';
import { deleteSessionsOf } from '../sessions/session-store';
import * as sites from '../sites/site.repository';
import * as grants from '../tokens/grant.repository';
import { checkNewPassword } from '../users/password-policy';
import * as users from '../users/user.repository';

/** A user as the admin pages and the CLI show it: never the password hash. */
export interface UserSummary {
  login: string;
  email: string;
  superuser: boolean;
  createdAt: number;
  /** Site access, by site id (super users have every site and no rows). */
  access: { idsite: number; access: SiteAccessLevel }[];
}

export interface NewUser {
  login: string;
  email: string;
  password: string;
  superuser?: boolean;
}

/** What a user may be given on one site; `none` removes it. */
export type SiteAccessChoice = SiteAccessLevel | 'none';

export const siteAccessChoices: readonly SiteAccessChoice[] = ['none', 'view', 'write', 'admin'];

/** Matomo's rule for logins: 2 to 100 letters, digits, `_ - . @ +`. */
const LOGIN_PATTERN = /^[A-Za-z0-9_.@+-]{2,100}$/;
const EMAIL_PATTERN = /^[^\s@<>"]{1,64}@[^\s@<>"]+\.[^\s@<>".]{2,}$/;

const userNotFound = (login: string) =>
  new NotFoundError(`The user "${login.slice(0, 100)}" does not exist.`);

function summary(user: UserRow, access: UserSummary['access']): UserSummary {
  return {
    login: user.login,
    email: user.email,
    superuser: user.superuser === 1,
    createdAt: user.created_at,
    access,
  };
}

function checkEmail(email: string): string {
  const trimmed = email.trim();
  if (trimmed.length > 255 || !EMAIL_PATTERN.test(trimmed))
    throw new ValidationError('Please enter a valid e-mail address.', 'email');
  return trimmed;
}

/**
 * Checks a new user's login, e-mail and password (in that order, the first problem thrown as a
 * ValidationError naming its field); returns the input trimmed. `create` checks the same: a form
 * calls it first to refuse bad input before asking for the operator's password.
 */
export function checkNewUser(input: NewUser): NewUser {
  const login = input.login.trim();
  if (!LOGIN_PATTERN.test(login))
    throw new ValidationError(
      'The login must be 2 to 100 characters: letters, digits, or _ - . @ +',
      'login',
    );
  // `/admin/users/new` is the form that creates a user: no user may be named so.
  if (login.toLowerCase() === 'new')
    throw new ValidationError('The login "new" is reserved; choose another.', 'login');
  const email = checkEmail(input.email);
  checkNewPassword(input.password, login);
  return { ...input, login, email };
}

/**
 * User management: what the admin pages and the operator's CLI do. Throws domain errors; knows
 * nothing of HTTP. Ending a user's access ends it everywhere at once: sessions, grants (with
 * their refresh and access tokens) and pending codes.
 */
export function createUserService({ db, audit, clock }: { db: Db; audit: AuditLog; clock: Clock }) {
  async function getRow(login: string): Promise<UserRow> {
    // Stryker disable next-line ConditionalExpression: no stored login is longer (checked on create; varchar(100)): the guard only spares the query
    const user = login.length <= 100 ? await users.find(db, login) : undefined;
    if (!user) throw userNotFound(login);
    return user;
  }

  async function get(login: string): Promise<UserSummary> {
    const user = await getRow(login);
    return summary(user, user.superuser === 1 ? [] : await users.siteAccess(db, login));
  }

  /**
   * Runs a change that may take a super user away, refusing it when it would leave none. The count
   * and the change are one serializable transaction, so two changes at once cannot each see the
   * other super user and both pass.
   */
  async function keepingOneSuperuser<T>(
    login: string,
    message: string,
    change: (trx: Db, user: UserRow) => Promise<T>,
  ): Promise<T> {
    return serializable(db, async (trx) => {
      const user = await users.find(trx, login);
      if (!user) throw userNotFound(login);
      if (user.superuser === 1 && (await users.countSuperusers(trx)) <= 1) throw new ConflictError(message);
      return change(trx, user);
    });
  }

  return {
    get,

    async list(): Promise<UserSummary[]> {
      const [rows, access] = await Promise.all([users.list(db), users.allSiteAccess(db)]);
      return rows.map((user) =>
        summary(
          user,
          user.superuser === 1
            ? []
            : access
                .filter((row) => row.login === user.login)
                .map(({ idsite, access: level }) => ({ idsite, access: level })),
        ),
      );
    },

    async create(input: NewUser, actor: Actor): Promise<UserSummary> {
      const { login, email } = checkNewUser(input);
      if (await users.findIgnoringCase(db, login))
        throw new ConflictError(`The login "${login}" is already taken.`);
      // A token's `sub` is a user's login or a client's id: the two must never coincide.
      if (await clients.find(db, login)) throw new ConflictError(`The login "${login}" is already taken.`);
      const row: UserRow = {
        login,
        email,
        password_hash: await hashPassword(input.password),
        superuser: input.superuser === true ? 1 : 0,
        created_at: clock(),
      };
      await users.insert(db, row);
      audit.record('user.created', {
        actor: actor.login,
        ip: actor.ip,
        detail: { login, superuser: row.superuser === 1 },
      });
      return summary(row, []);
    },

    async setEmail(login: string, email: string, actor: Actor): Promise<void> {
      await getRow(login);
      await users.update(db, login, { email: checkEmail(email) });
      audit.record('user.updated', { actor: actor.login, ip: actor.ip, detail: { login } });
    },

    /** Sets a new password; the user's sessions end (their applications stay authorized). */
    async setPassword(login: string, password: string, actor: Actor): Promise<void> {
      await getRow(login);
      checkNewPassword(password, login);
      await users.update(db, login, { password_hash: await hashPassword(password) });
      await deleteSessionsOf(db, login);
      audit.record('user.password_changed', { actor: actor.login, ip: actor.ip, detail: { login } });
    },

    async setSiteAccess(
      login: string,
      idsite: number,
      access: SiteAccessChoice,
      actor: Actor,
    ): Promise<void> {
      const user = await getRow(login);
      if (!siteAccessChoices.includes(access))
        throw new ValidationError('The access must be none, view, write or admin.', 'access');
      if (!(await sites.find(db, idsite)))
        throw new NotFoundError(`The website id = ${idsite} does not exist.`);
      if (user.superuser === 1)
        throw new ConflictError(`"${login}" is a super user and has access to every site.`);
      if (access === 'none') await users.removeSiteAccess(db, login, idsite);
      else await users.setSiteAccess(db, login, idsite, access);
      // Tokens are capped by the user's current access when used: a lower level applies at once.
      audit.record('user.access_changed', {
        actor: actor.login,
        ip: actor.ip,
        detail: { login, idsite, access },
      });
    },

    async setSuperuser(login: string, superuser: boolean, actor: Actor): Promise<void> {
      const user = await getRow(login);
      if ((user.superuser === 1) === superuser) return;
      if (superuser) await users.update(db, login, { superuser: 1 });
      else
        await keepingOneSuperuser(login, 'The last super user cannot lose super user access.', (trx) =>
          users.update(trx, login, { superuser: 0 }),
        );
      audit.record('user.access_changed', {
        actor: actor.login,
        ip: actor.ip,
        detail: { login, superuser },
      });
    },

    /** Deletes a user, ending their logins and grants; the clients they own are deleted with them. */
    async delete(login: string, actor: Actor): Promise<{ deletedClients: string[] }> {
      await getRow(login);
      const { user, owned } = await keepingOneSuperuser(
        login,
        'The last super user cannot be deleted.',
        async (trx, user) => {
          const owned = (await clients.list(trx)).filter((client) => client.ownerLogin === user.login);
          // Everything the user is signed in to ends: sessions, grants (their tokens with them).
          await deleteSessionsOf(trx, user.login);
          await grants.revokeAllOfUser(trx, user.login, clock());
          // The clients they own go with them (the foreign keys cascade), and with those every
          // grant and code of those clients.
          await users.remove(trx, user.login);
          return { user, owned };
        },
      );
      for (const client of owned) {
        audit.record('client.deleted', {
          actor: actor.login,
          ip: actor.ip,
          clientId: client.clientId,
          detail: { name: client.name, reason: 'owner deleted' },
        });
      }
      audit.record('user.deleted', { actor: actor.login, ip: actor.ip, detail: { login: user.login } });
      return { deletedClients: owned.map((client) => client.clientId) };
    },

    /** Whether the user is a super user and the only one: the one who cannot be demoted or deleted. */
    async isLastSuperuser(login: string): Promise<boolean> {
      const user = await users.find(db, login);
      return user?.superuser === 1 && (await users.countSuperusers(db)) <= 1;
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;

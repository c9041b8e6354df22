import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Scope } from '../protocol/scopes';
import type { AnalyticsTables } from './analytics.schema';
import type { Flag, JsonText, Millis } from './columns';

export interface UserTable {
  login: string;
  email: string;
  password_hash: string;
  superuser: Flag;
  created_at: Millis;
}

export interface SiteTable {
  idsite: Generated<number>;
  name: string;
  main_url: string;
  urls: JsonText;
  ts_created: Millis;
  ecommerce: Generated<Flag>;
  sitesearch: Generated<Flag>;
  /** Comma-separated, as Matomo stores them (the lists below too). */
  sitesearch_keyword_parameters: Generated<string>;
  sitesearch_category_parameters: Generated<string>;
  timezone: string;
  currency: string;
  exclude_unknown_urls: Generated<Flag>;
  excluded_ips: Generated<string>;
  excluded_parameters: Generated<string>;
  excluded_user_agents: Generated<string>;
  excluded_referrers: Generated<string>;
  site_group: Generated<string>;
  type: Generated<string>;
  /** 0: the global default, 1: keep, 2: remove (Matomo's values). */
  keep_url_fragment: Generated<KeepUrlFragment>;
  creator_login: string;
}

export type KeepUrlFragment = 0 | 1 | 2;

export type SiteAccessLevel = 'view' | 'write' | 'admin';

export interface SiteAccessTable {
  login: string;
  idsite: number;
  access: SiteAccessLevel;
}

export interface ClientTable {
  client_id: string;
  name: string;
  description: string;
  type: 'confidential' | 'public';
  /** SHA-256 of the secret (hex); null for public clients. */
  secret_digest: string | null;
  grant_types: JsonText;
  /** The client's ceiling: its tokens carry this scope or a lower one. */
  scope: Scope;
  redirect_uris: JsonText;
  active: Flag;
  owner_login: string;
  created_at: Millis;
  updated_at: Millis;
  last_used_at: Millis | null;
  /** Replaced whenever the client's client credentials tokens must end (they carry it as `gid`). */
  credentials_id: Generated<string>;
  /** The OpenID Connect scopes the client may ask for (JSON array). */
  identity_scopes: Generated<JsonText>;
  /** Where RP-initiated logout may send the browser back (JSON array; matched as redirect URIs are). */
  post_logout_redirect_uris: Generated<JsonText>;
}

export interface AuthorizationCodeTable {
  /** SHA-256 of the code (hex): the code itself is never stored. */
  code_digest: string;
  client_id: string;
  user_login: string;
  /** The redirect URI the code was sent to. */
  redirect_uri: string;
  /** Whether the authorization request named it (then the token request must repeat it). */
  redirect_uri_sent: Flag;
  scope: Scope;
  code_challenge: string | null;
  created_at: Millis;
  expires_at: Millis;
  consumed_at: Millis | null;
  /** The grant its redemption created: revoked if the code is ever presented again. */
  grant_id: string | null;
  /** The identity scopes granted with it, space-separated (`openid profile`), or ''. */
  identity_scopes: Generated<string>;
  /** When the user last entered their password before this authorization (ms); null before OpenID support. */
  auth_time: Generated<Millis | null>;
  /** The sign-in session's public id (the ID token's `sid`). */
  sid: Generated<string | null>;
  /** The authorization request's `nonce`, for the ID token. */
  nonce: Generated<string | null>;
}

/** One authorization by a user of a client: every refresh and access token descends from one. */
export interface GrantTable {
  grant_id: string;
  client_id: string;
  user_login: string;
  scope: Scope;
  created_at: Millis;
  /** The absolute end of the grant: no refresh token outlives it. */
  expires_at: Millis;
  revoked_at: Millis | null;
  /** The only access token of the grant that is still valid (older ones die on refresh). */
  access_token_jti: string;
  /** The identity scopes granted with it, space-separated (`openid profile`), or ''. */
  identity_scopes: Generated<string>;
  /** When the user last entered their password before this authorization (ms); null before OpenID support. */
  auth_time: Generated<Millis | null>;
  /** The sign-in session's public id (the ID token's `sid`). */
  sid: Generated<string | null>;
}

export interface RefreshTokenTable {
  /** SHA-256 of the token (hex). */
  token_digest: string;
  grant_id: string;
  created_at: Millis;
  expires_at: Millis;
  used_at: Millis | null;
}

/** Access tokens revoked before their expiry (RFC 7009), kept until they expire. */
export interface RevokedTokenTable {
  jti: string;
  expires_at: Millis;
}

/** Nonces used once (the one-time showing of a client secret), kept until they expire. */
export interface SpentNonceTable {
  nonce: string;
  /** From then on the nonce counts as unspent again, and the sweep deletes it. */
  expires_at: Millis;
}

export interface SigningKeyTable {
  kid: string;
  /** The public JWK, as JSON. */
  public_jwk: string;
  /** The private key (PKCS#8), encrypted with AES-256-GCM under the key-encryption secret. */
  private_key: string;
  created_at: Millis;
  /** When it starts signing; until then it is only published. */
  signs_from: Millis;
}

export interface SessionTable {
  /** SHA-256 of the session cookie's value (hex). */
  session_digest: string;
  user_login: string;
  csrf_token: string;
  created_at: Millis;
  expires_at: Millis;
}

export interface AuditLogTable {
  id: Generated<number>;
  created_at: Millis;
  event: string;
  actor: string | null;
  client_id: string | null;
  ip: string | null;
  /** JSON object with event-specific details; never a secret or token. */
  detail: string;
}

export interface Database extends AnalyticsTables {
  users: UserTable;
  sites: SiteTable;
  site_access: SiteAccessTable;
  clients: ClientTable;
  authorization_codes: AuthorizationCodeTable;
  grants: GrantTable;
  refresh_tokens: RefreshTokenTable;
  revoked_tokens: RevokedTokenTable;
  spent_nonces: SpentNonceTable;
  signing_keys: SigningKeyTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
}

export type UserRow = Selectable<UserTable>;
export type SiteRow = Selectable<SiteTable>;
export type NewSite = Insertable<SiteTable>;
export type SiteUpdate = Updateable<SiteTable>;
export type ClientRow = Selectable<ClientTable>;
export type SigningKeyRow = Selectable<SigningKeyTable>;

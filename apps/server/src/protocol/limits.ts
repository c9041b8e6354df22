/**
 * Lengths beyond which a value is refused before any lookup: every one of these is far above what
 * this server issues, and a cap keeps hostile input away from hashing and the database.
 */

/** Refresh tokens and authorization codes this server issues are 43 characters. */
export const MAX_OPAQUE_TOKEN_LENGTH = 512;

/** An access token (a JWT) longer than this is refused unread. */
export const MAX_ACCESS_TOKEN_LENGTH = 4096;

/** Client ids are 32 hex characters, or a short name for the demo's clients. */
export const MAX_CLIENT_ID_LENGTH = 80;

/** A password longer than this is refused without hashing it. */
export const MAX_PASSWORD_LENGTH = 1024;

/** Cookie values this server sets are 43 characters. */
export const MAX_COOKIE_VALUE_LENGTH = 100;

/** `state` of an authorization request. */
export const MAX_STATE_LENGTH = 2048;

/** Longest `nonce` an authorization request may carry (it is stored and signed into the ID token). */
export const MAX_NONCE_LENGTH = 512;

/** Longest `max_age`, seconds: about 68 years, beyond any session. */
export const MAX_MAX_AGE = 2_147_483_647;

/** Longest `id_token_hint` the end-session endpoint reads. */
export const MAX_ID_TOKEN_LENGTH = 8192;

import type { Params } from '../http/params';
import type { AccessLevel } from '../protocol/scopes';
import type { ApiCaller } from '../users/api-caller';

/** What a Matomo API method gets for one call: who calls, and what they sent. */
export interface MethodContext {
  caller: ApiCaller;
  params: Params;
  /** The POST body's parameters: secrets such as password confirmations must come from there. */
  postBody: Params | undefined;
  ip: string;
}

/** A Matomo API method: the level it needs (as `x-matomo-access` in openapi.yaml) and its work. */
export interface MatomoMethod {
  access: AccessLevel;
  /**
   * The token's scope needed, where it is above `access` (as `x-matomo-scope`): Matomo lets a user
   * with view access add an annotation, but a `matomo:read` token never writes.
   */
  scope?: AccessLevel;
  /** GET is refused: the method carries a secret that must not be in a URL. */
  postOnly?: boolean;
  run(context: MethodContext): Promise<unknown>;
}

export type MethodTable = Record<string, MatomoMethod>;

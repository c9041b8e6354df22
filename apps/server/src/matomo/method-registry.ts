import type { Db } from '../db/database';
import type { Params } from '../http/params';
import type { AccessLevel } from '../oauth/scopes';
import type { Services } from '../services';
import type { ApiCaller } from './caller';

export interface MethodContext {
  services: Services;
  db: Db;
  caller: ApiCaller;
  params: Params;
  /** Whether the parameters came in a POST body (secrets such as password confirmations must). */
  postBody: Params | undefined;
  ip: string;
}

/** A Matomo API method: the level it needs (as `x-matomo-access` in openapi.yaml) and its work. */
export interface MatomoMethod {
  access: AccessLevel;
  /** GET is refused: the method carries a secret that must not be in a URL. */
  postOnly?: boolean;
  run(context: MethodContext): Promise<unknown>;
}

export type MethodTable = Record<string, MatomoMethod>;

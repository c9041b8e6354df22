import { MatomoApiError } from '../errors/matomo-api-error';
import type { ApiCaller } from '../users/api-caller';
import { checkScope, checkSuperuser } from './access-check';
import type { MatomoMethod, MethodTable } from './method-registry';

/** The method `name` names, or Matomo's error for a method that does not exist. */
export function findMethod(methods: MethodTable, name: string): MatomoMethod {
  const method = Object.hasOwn(methods, name) ? methods[name] : undefined;
  if (method) return method;
  const module = name.split('.')[0];
  throw new MatomoApiError(
    `The method '${name.slice(0, 100)}' does not exist or is not available in the module '${String(module).slice(0, 100)}'.`,
    400,
  );
}

/**
 * What every call of a method passes before it runs, whether it comes alone or inside
 * `API.getBulkRequest`: a POST-only method (one that carries a secret) only from a form body, the
 * token's scope at least the method's, and a super user for a super-user method. The method then
 * checks the sites it reads.
 */
export function checkCall(
  name: string,
  method: MatomoMethod,
  caller: ApiCaller,
  { fromPostBody }: { fromPostBody: boolean },
): void {
  if (method.postOnly && !fromPostBody)
    throw new MatomoApiError(`The method '${name}' only accepts POST requests.`, 400);
  checkScope(caller, method.scope ?? method.access);
  if (method.access === 'superuser') checkSuperuser(caller);
}

import { MatomoApiError } from '../errors/matomo-api-error';
import type { ApiCaller } from '../users/api-caller';
import { checkScope, checkSuperuser } from './access-check';
import type { MatomoMethod, MethodTable } from './method-registry';

/**
 * The method `name` names, or Matomo's error for it (`Request::process`, in its order): a name
 * that is not `module.method` is invalid; a module this server does not serve is a plugin that is
 * not enabled (a plain exception: status 200, as in Matomo); a method its module lacks is Matomo's
 * `General_ExceptionMethodNotFound`, naming the module's API class (a bad request: 400). Names in
 * messages are cut to 100 characters.
 */
export function findMethod(methods: MethodTable, name: string): MatomoMethod {
  const method = Object.hasOwn(methods, name) ? methods[name] : undefined;
  if (method) return method;
  const parts = name.split('.');
  if (parts.length !== 2)
    throw new MatomoApiError("The method name is invalid. Expected 'module.methodName'");
  const [module, action] = parts as [string, string];
  const served = Object.keys(methods).some((known) => known.startsWith(`${module}.`));
  if (!served) {
    throw new MatomoApiError(
      `The plugin ${module.slice(0, 100)} is not enabled. You can activate the plugin on Settings > Plugins page in Matomo.`,
    );
  }
  throw new MatomoApiError(
    `The method '${action.slice(0, 100)}' does not exist or is not available in the module '\\Piwik\\Plugins\\${module}\\API'.`,
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

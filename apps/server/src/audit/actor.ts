/** Who makes a change, for the audit log: a signed-in user, an API caller, or an operator's command. */
export interface Actor {
  login: string;
  /** The address the request came from; unset for the command line. */
  ip?: string | undefined;
}

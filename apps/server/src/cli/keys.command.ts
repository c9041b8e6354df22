import { openKeyEncryptionSecret } from '../tokens/key-encryption-secret';
import { openSigningKeyStore, type SigningKeyStore } from '../tokens/signing-keys';
import { CliError } from './cli-error';
import type { CommandGroup, DatabaseContext } from './command';
import { isoTime, table } from './output';

/** The signing keys, opened as the server opens them: never with a new secret for keys that exist. */
async function openKeys(context: DatabaseContext): Promise<SigningKeyStore> {
  const { config, db, clock } = context;
  const { secret } = await openKeyEncryptionSecret(db, {
    provided: config.keyEncryptionSecret,
    databasePath: config.databasePath,
    create: false,
  });
  return openSigningKeyStore({
    db,
    masterSecret: secret,
    clock,
    accessTokenTtlMs: config.accessTokenTtl * 1000,
    alg: config.accessTokenAlg,
  });
}

function keyList(keys: SigningKeyStore) {
  return keys.describe().map((key) => ({
    kid: key.kid,
    alg: key.alg,
    state: key.signing ? 'signing' : key.published ? 'published' : 'retired',
    created_at: new Date(key.createdAt).toISOString(),
    signs_from: new Date(key.signsFrom).toISOString(),
  }));
}

function keyTable(keys: SigningKeyStore): string {
  return table(
    ['KID', 'ALG', 'STATE', 'CREATED', 'SIGNS FROM'],
    keyList(keys).map((key) => [
      key.kid,
      key.alg,
      key.state,
      isoTime(Date.parse(key.created_at)),
      isoTime(Date.parse(key.signs_from)),
    ]),
    'No signing keys.',
  );
}

const runningServerNote =
  'A running server on this database sees the change at once: in its JWK Set, and in the key it signs with.';

export const keysCommands: CommandGroup = {
  name: 'keys',
  summary: 'the signing keys of access tokens',
  commands: [
    {
      name: 'keys list',
      summary: 'every key: signing (signs now), published (in the JWK Set), retired',
      async run(context) {
        const keys = await openKeys(context);
        context.out.result(keyList(keys), () => keyTable(keys));
      },
    },
    {
      name: 'keys rotate',
      summary: 'a new key (of ACCESS_TOKEN_ALG): published at once, signs after KEY_ROTATION_LEAD',
      notes: ['Keys whose tokens have all expired are removed.', runningServerNote],
      async run(context) {
        const { config, clock, audit, out } = context;
        const keys = await openKeys(context);
        const kid = await keys.rotate(config.keyRotationLead * 1000);
        const signsFrom = new Date(clock() + config.keyRotationLead * 1000).toISOString();
        audit.record('key.created', { actor: context.actor.login, detail: { kid, signs_from: signsFrom } });
        const pruned = await keys.prune();
        out.result({ kid, signs_from: signsFrom, pruned, keys: keyList(keys) }, () =>
          [
            `New signing key ${kid}: published now, signs from ${signsFrom} (in ${config.keyRotationLead} s).`,
            ...(pruned > 0 ? [`Removed ${pruned} retired key(s) whose tokens have all expired.`] : []),
            '',
            keyTable(keys),
          ].join('\n'),
        );
      },
    },
    {
      name: 'keys revoke',
      args: ['KID'],
      summary: 'a compromised key: leaves the JWK Set, and every token it signed is refused, at once',
      notes: [
        'When the key signs now, a new key that signs at once replaces it first, so that tokens keep',
        'being issued. Tokens the revoked key signed are refused by every server on this database',
        'at once; clients get new ones from the token endpoint.',
        runningServerNote,
      ],
      async run(context, input) {
        const kid = input.args[0] as string;
        const keys = await openKeys(context);
        const revoked = await keys.revoke(kid);
        if (!revoked) throw new CliError(`unknown key "${kid.slice(0, 100)}"`);
        const { replacement } = revoked;
        if (replacement !== undefined)
          context.audit.record('key.created', {
            actor: context.actor.login,
            detail: { kid: replacement, signs_from: new Date(context.clock()).toISOString(), replaces: kid },
          });
        context.audit.record('key.revoked', {
          actor: context.actor.login,
          detail: { kid, ...(replacement === undefined ? {} : { replaced_by: replacement }) },
        });
        context.out.result(
          { kid, revoked: true, replaced_by: replacement ?? null, keys: keyList(keys) },
          () =>
            [
              `Revoked the signing key ${kid}: it left the JWK Set, and every token it signed is refused.`,
              ...(replacement === undefined ? [] : [`New signing key ${replacement} signs from now.`]),
              '',
              keyTable(keys),
            ].join('\n'),
        );
      },
    },
  ],
};

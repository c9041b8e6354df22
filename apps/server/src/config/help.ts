import { type Option, options } from './options';

/** How a secret option may also be given: the file convention of container secrets. */
function fromFileText(option: Option, code: (text: string) => string): string {
  return option.secret
    ? `; or ${code(`${option.env}_FILE`)} / ${code(`--${option.flag}-file`)}: a file that holds it`
    : '';
}

/** The settings, one a line, as `--help` of every command lists them. */
export function optionsHelp(): string {
  const lines = Object.values(options).map((option) => {
    const flag = option.kind === 'boolean' ? `--${option.flag}` : `--${option.flag} <value>`;
    const shown = option.default ?? option.defaultText;
    const fallback = shown === undefined ? '' : ` [${shown}]`;
    const file = fromFileText(option, (text) => text);
    return `  ${flag.padEnd(32)} ${option.env.padEnd(24)} ${option.description}${fallback}${file}`;
  });
  return [
    'Settings (each also read from the environment variable shown; flags win):',
    ...lines,
    `  ${'--help'.padEnd(32)} ${''.padEnd(24)} show this help`,
  ].join('\n');
}

/** The `--help` text: the commands, then the settings. */
export function helpText(): string {
  return [
    'Usage: matomo-oauth2-server [command] [options]',
    '       (from a clone of the repository: npm run server -- [command] [options])',
    '',
    'Commands (each has --help):',
    '  serve (default)     start the server (npm start adds --demo)',
    '  clients             list|show|create|update|rotate-secret|pause|resume|delete OAuth clients',
    '  users               list|create|set-password|set-access|delete users',
    '  sites               list|add|update websites',
    '  keys                list|rotate|revoke signing keys (keys:rotate and keys:list still work)',
    '  audit               tail|export the audit log',
    '  backup FILE         a consistent copy of the database, while the server runs',
    '  restore FILE        replace the database with a backup (stop the server first)',
    '',
    optionsHelp(),
  ].join('\n');
}

function markdownDefault(option: Option): string {
  if (option.default !== undefined) return `\`${option.default}\``;
  return option.defaultText ?? '';
}

/**
 * The README's configuration table, rendered from the same options as `--help`: a test keeps the
 * README equal to it, so that the two cannot drift.
 */
export function configurationTable(): string {
  const rows = Object.values(options).map(
    (option) =>
      `| \`${option.env}\` | \`--${option.flag}\` | ${markdownDefault(option)} | ${option.description}${fromFileText(option, (text) => `\`${text}\``)} |`,
  );
  return ['| Variable | Flag | Default | |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

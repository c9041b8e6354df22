import { type Option, options } from './options';

/** The `--help` text. */
export function helpText(): string {
  const lines = Object.values(options).map((option) => {
    const flag = option.kind === 'boolean' ? `--${option.flag}` : `--${option.flag} <value>`;
    const shown = option.default ?? option.defaultText;
    const fallback = shown === undefined ? '' : ` [${shown}]`;
    return `  ${flag.padEnd(32)} ${option.env.padEnd(24)} ${option.description}${fallback}`;
  });
  return [
    'Usage: matomo-oauth2-server [command] [options]',
    '',
    'Commands:',
    '  serve (default)     start the server',
    '  keys:rotate         add a signing key; it is published at once and signs after --key-rotation-lead',
    '  keys:list           list the signing keys',
    '',
    'Options (each also read from the environment variable shown; flags win):',
    ...lines,
    `  ${'--help'.padEnd(32)} ${''.padEnd(24)} show this help`,
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
      `| \`${option.env}\` | \`--${option.flag}\` | ${markdownDefault(option)} | ${option.description} |`,
  );
  return ['| Variable | Flag | Default | |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

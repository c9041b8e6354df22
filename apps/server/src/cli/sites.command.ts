import type { SiteRow } from '../db/schema';
import { NotFoundError } from '../errors/domain-error';
import { siteJson } from '../matomo/methods/site-json';
import { createSiteService, type SiteService, siteUrls } from '../sites/site.service';
import { checkNewSiteSettings, checkSiteSettings, type SiteSettingsInput } from '../sites/site-settings';
import { CliError } from './cli-error';
import {
  type CommandGroup,
  type CommandInput,
  type CommandOption,
  type DatabaseContext,
  wholeNumber,
} from './command';
import { details, isoTime, table } from './output';

const settingOptions: Record<string, CommandOption> = {
  name: { type: 'string', value: 'NAME', description: 'the site name, 1 to 90 characters' },
  url: {
    type: 'string',
    multiple: true,
    value: 'URL',
    description: 'repeatable; the first is the main URL (given on update: replaces them all)',
  },
  timezone: { type: 'string', value: 'ZONE', description: 'an IANA time zone (Europe/Paris) or UTC' },
  currency: { type: 'string', value: 'CODE', description: 'ISO 4217, three capitals (EUR)' },
};

function service(context: DatabaseContext): SiteService {
  return createSiteService({ db: context.db, audit: context.audit });
}

/** A site as `--json` prints it: `SitesManager.getSiteFromId`'s shape, with its URLs. */
function siteView(row: SiteRow) {
  return { ...siteJson(row), urls: siteUrls(row) };
}

function settingsInput(input: CommandInput): SiteSettingsInput {
  const urls = input.strings('url');
  return {
    name: input.string('name'),
    urls: urls.length > 0 ? urls : undefined,
    timezone: input.string('timezone'),
    currency: input.string('currency'),
  };
}

async function findSite(sites: SiteService, id: string): Promise<SiteRow> {
  try {
    return await sites.get(wholeNumber(id, 'the site id'));
  } catch (error) {
    if (error instanceof NotFoundError) throw new CliError(`unknown site "${id}"`);
    throw error;
  }
}

function siteDetails(row: SiteRow): string {
  return details([
    ['id', String(row.idsite)],
    ['name', row.name],
    ['URLs', siteUrls(row).join(' ') || '-'],
    ['timezone', row.timezone],
    ['currency', row.currency],
    ['created', isoTime(row.ts_created)],
  ]);
}

export const sitesCommands: CommandGroup = {
  name: 'sites',
  summary: 'websites',
  commands: [
    {
      name: 'sites list',
      summary: 'every site',
      async run(context) {
        const rows = await service(context).all();
        context.out.result(rows.map(siteView), () =>
          table(
            ['ID', 'NAME', 'MAIN URL', 'TIMEZONE', 'CURRENCY', 'CREATED'],
            rows.map((row) => [
              String(row.idsite),
              row.name,
              row.main_url || '-',
              row.timezone,
              row.currency,
              isoTime(row.ts_created),
            ]),
            'No sites yet: add one with `sites add`.',
          ),
        );
      },
    },
    {
      name: 'sites add',
      summary: 'a new site (timezone UTC and currency USD unless given)',
      options: settingOptions,
      notes: ['Example:', '  sites add --name "Shop" --url https://shop.example.org --timezone Europe/Paris'],
      async run(context, input) {
        const sites = service(context);
        const settings = checkNewSiteSettings(settingsInput(input), context.clock());
        const row = await sites.get(await sites.add(settings, context.actor));
        context.out.result(siteView(row), () =>
          [`Added the site "${row.name}" with id ${row.idsite}.`, '', siteDetails(row)].join('\n'),
        );
      },
    },
    {
      name: 'sites update',
      args: ['ID'],
      summary: 'change a site; a flag not given keeps its value',
      options: settingOptions,
      async run(context, input) {
        const sites = service(context);
        const current = await findSite(sites, input.args[0] as string);
        await sites.update(current.idsite, checkSiteSettings(settingsInput(input)), context.actor);
        const row = await sites.get(current.idsite);
        context.out.result(siteView(row), () =>
          [`Updated the site "${row.name}".`, '', siteDetails(row)].join('\n'),
        );
      },
    },
  ],
};

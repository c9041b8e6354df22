// Matomo's report plugins answer with DataTables (tables, records, and maps of them per site and
// period); the rest of its API answers with PHP arrays, scalars or nothing. The two are rendered
// differently in XML and CSV (`ResponseBuilder::handleDataTable` and `handleArray`).

const reportModules = new Set([
  'Actions',
  'Contents',
  'CustomDimensions',
  'DevicePlugins',
  'DevicesDetection',
  'Events',
  'Goals',
  'MultiSites',
  'Referrers',
  'Resolution',
  'UserCountry',
  'UserLanguage',
  'VisitFrequency',
  'VisitTime',
  'VisitorInterest',
  'VisitsSummary',
]);

// Methods of report modules that return arrays, and the one Live method that returns a DataTable.
const arrayMethods = new Set(['Goals.getGoals', 'Goals.getGoal']);
const dataTableMethods = new Set(['Live.getLastVisitsDetails']);

/** Whether Matomo's `method` (`Module.action`) returns a DataTable. */
export function returnsDataTable(method: string): boolean {
  if (dataTableMethods.has(method)) return true;
  if (arrayMethods.has(method)) return false;
  return reportModules.has(method.split('.')[0] ?? '');
}

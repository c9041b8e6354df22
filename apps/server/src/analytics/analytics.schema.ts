/** The analytics tables (visit logs, actions, annotations). Filled in by the analytics module. */
// biome-ignore lint/suspicious/noEmptyInterface: extended as the analytics tables are added
export interface AnalyticsTables {}

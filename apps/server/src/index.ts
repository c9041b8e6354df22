export { createApp, createRouter } from './app';
export type { Config } from './config/config';
export { loadConfig } from './config/config';
export { matomoApi } from './matomo/matomo-api.routes';
export { matomoMethods } from './matomo/methods';
export { demoConfidentialClient, demoPublicClient, demoUser } from './seed/demo';
export type { RunningServer, StartOptions } from './server';
export { startServer } from './server';

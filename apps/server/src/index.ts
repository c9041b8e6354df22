// The server package's public surface: what an embedding application, an operator's tool or the
// cross-package tests may use. Anything else is internal.
export type { AppState } from './app';
export { createApp, createRouter } from './app';
export * as clientRepository from './clients/client.repository';
export { type ClientRegistration, registerClient } from './clients/client-registration';
export type { Config } from './config/config';
export { loadConfig } from './config/config';
export { defaultRateLimits, type RateLimits } from './config/settings';
export { createLogger, type Logger, type LoggerOptions } from './logging/logger';
export { demoConfidentialClient, demoPublicClient, demoUser } from './seed/demo';
export type { RunningServer, StartOptions } from './server';
export { startServer } from './server';
export { createEndpoints, createServices, type Endpoints, type Services } from './services';

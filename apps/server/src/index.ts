export { createApp } from './app';
export type { Config } from './config/config';
export { loadConfig } from './config/config';
export { demoConfidentialClient, demoPublicClient, demoUser } from './seed/demo';
export type { RunningServer, StartOptions } from './server';
export { startServer } from './server';

/**
 * @opencx/server's entry: what launchers and the end-to-end tests (test/) build on. Deeper modules are
 * reachable as '@opencx/server/<path>' too, but prefer these.
 */
export { createApp, MAX_BODY_BYTES } from './app';
export { startServer, type RunningServer, type StartOptions } from './start-server';
export { loadConfig, ConfigError, type Config, type HubSpotAppCredentials } from './config';
export type { AppDeps, AppEnv } from './deps';
export { AppError, ERROR_STATUS, toErrorResponse, type ErrorCode, type ErrorBody } from './errors';
export { createLogger, createSilentLogger, type Logger } from './logger';
export { systemClock, createFixedClock, type Clock } from './clock';
export { createLifecycle, type Lifecycle } from './lifecycle';
export { openStore, openConfiguredStore } from './store/open-store';
export { openDatabase, type SqliteDatabase } from './store/db';
export { createSqliteStore, type SqliteStore } from './store/sqlite-store';
export type { Store, Repositories, ClosableStore } from './store/store';
export { createTokenCipher, type TokenCipher } from './crypto/token-cipher';
export { applyAiCommand } from './ai-control/apply-command';

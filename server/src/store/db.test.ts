import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from './db';
import { applyMigrations, type Migration } from './migrate';
import { MIGRATIONS } from './migrations';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'opencx-db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const tablesOf = (db: Database.Database) =>
  db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();

describe('openDatabase', () => {
  it('creates the folder and a file only its owner can read, with WAL, foreign keys, busy timeout and NORMAL sync', () => {
    const path = join(dir, 'a', 'b', 'opencx.sqlite');
    const db = openDatabase(path);
    try {
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });

  it('holds every table of the first release', () => {
    const db = openDatabase(join(dir, 'opencx.sqlite'));
    try {
      expect(tablesOf(db)).toEqual([
        'action_executions',
        'admin_sessions',
        'admin_sign_in_links',
        'admins',
        'ai_control',
        'ai_control_events',
        'ai_replies',
        'app_meta',
        'chat_history',
        'chat_sessions',
        'effect_steps',
        'effects_outbox',
        'handoff_settings',
        'hubspot_connections',
        'integration_problems',
        'legacy_webhook_endpoints',
        'oauth_states',
        'opencx_api_keys',
        'opencx_sessions',
        'organizations',
        'pending_installs',
        'schema_migrations',
        'signature_settings',
        'ticket_links',
        'webhook_inbox',
      ]);
    } finally {
      db.close();
    }
  });

  it('is harmless to open (and migrate) twice', () => {
    const path = join(dir, 'opencx.sqlite');
    const logger = { info: vi.fn(), warn: vi.fn() };
    openDatabase(path, { logger }).close();
    expect(logger.info).toHaveBeenCalledWith({ versions: MIGRATIONS.map((m) => m.version) }, 'database migrations applied');

    logger.info.mockClear();
    const db = openDatabase(path, { logger });
    try {
      expect(logger.info).not.toHaveBeenCalled();
      expect(db.prepare('SELECT version, name FROM schema_migrations').all()).toEqual(
        MIGRATIONS.map(({ version, name }) => ({ version, name })),
      );
      expect(applyMigrations(db, MIGRATIONS)).toEqual({ applied: [], unknown: [] });
    } finally {
      db.close();
    }
  });
});

describe('applyMigrations', () => {
  const first: Migration = { version: 1, name: 'first', sql: 'CREATE TABLE a (x INTEGER) STRICT;' };
  const second: Migration = { version: 2, name: 'second', sql: 'CREATE TABLE b (y INTEGER) STRICT;' };

  it('applies only new migrations, each recorded', () => {
    const db = new Database(':memory:');
    expect(applyMigrations(db, [first]).applied).toEqual([1]);
    expect(applyMigrations(db, [first, second]).applied).toEqual([2]);
    expect(tablesOf(db)).toEqual(['a', 'b', 'schema_migrations']);
  });

  it('rolls a failing migration back entirely', () => {
    const db = new Database(':memory:');
    const broken: Migration = { version: 2, name: 'broken', sql: 'CREATE TABLE c (z INTEGER); SELECT * FROM missing;' };
    applyMigrations(db, [first]);
    expect(() => applyMigrations(db, [first, broken])).toThrow(/missing/);
    expect(tablesOf(db)).toEqual(['a', 'schema_migrations']);
  });

  it('refuses to start when a landed migration was edited', () => {
    const db = new Database(':memory:');
    applyMigrations(db, [first]);
    const edited = { ...first, sql: 'CREATE TABLE a (x TEXT) STRICT;' };
    expect(() => applyMigrations(db, [edited])).toThrow(/was edited after it was applied/);
  });

  it('reports versions the code does not know (a database used by newer code)', () => {
    const db = new Database(':memory:');
    applyMigrations(db, [first, second]);
    expect(applyMigrations(db, [first])).toEqual({ applied: [], unknown: [2] });
  });

  it('refuses duplicated or unordered versions', () => {
    const db = new Database(':memory:');
    expect(() => applyMigrations(db, [second, first])).toThrow(/out of order/);
  });
});

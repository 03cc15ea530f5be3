import type { Migration } from '../../migrate';
import { operations as sqlite } from '../010_operations';

/**
 * Retention and dead-letter indexes: see ../010_operations.ts. Partial indexes are spelled the same in both
 * engines, so PostgreSQL runs the very same text (its own checksum is recorded in its own database).
 */
export const operations: Migration = { version: 10, name: 'operations', sql: sqlite.sql };

import type { Migration } from '../migrate';
import { initial } from './001_initial';

/**
 * Every migration, in order. Append; never edit or reorder a landed one (see README.md).
 * Reserved: 002 Connect (admins, sessions, OAuth states, pending installs), 003 webhook/effects processing,
 * 004 workflow actions.
 */
export const MIGRATIONS: readonly Migration[] = [initial];

import type { Migration } from '../../migrate';
import { initial } from './001_initial';
import { sessionStatus } from './002_session_status';
import { connect } from './003_connect';
import { webhookProcessing } from './004_webhook_processing';
import { actionExecutions } from './005_action_executions';
import { outboxOpenRows } from './006_outbox_open_rows';
import { multiInstance } from './007_multi_instance';
import { aiUser } from './008_ai_user';
import { opencxApi } from './009_opencx_api';
import { operations } from './010_operations';
import { handoffSettings } from './011_handoff_settings';

/** PostgreSQL's migrations: the same versions and names as SQLite's (../index.ts; a test keeps them in step). */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  initial,
  sessionStatus,
  connect,
  webhookProcessing,
  actionExecutions,
  outboxOpenRows,
  multiInstance,
  aiUser,
  opencxApi,
  operations,
  handoffSettings,
];

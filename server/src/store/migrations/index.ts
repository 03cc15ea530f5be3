import type { Migration } from '../migrate';
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

/**
 * Every migration, in order. Append; never edit or reorder a landed one (see README.md).
 * Reserved: 003 Connect (admins, sign-in sessions, OAuth states, pending installs), 004 webhook/effects
 * processing, 005 workflow actions.
 */
export const MIGRATIONS: readonly Migration[] = [initial, sessionStatus, connect, webhookProcessing, actionExecutions, outboxOpenRows, multiInstance, aiUser, opencxApi, operations, handoffSettings];

import { useCallback, useEffect, useState } from 'react';
import { Button, EmptyState, ErrorState, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import { toRequestError, type CardApi } from './card-api';
import type { CardAction, CardStatus } from './shared-generated/contract';
import {
  CARD_TEXT,
  commandErrorAlert,
  errorMessageOf,
  outcomeAlert,
  type CardAlert,
  type CardRequestError,
} from './shared-generated/view';
import { StatusPanel } from './StatusPanel';

export interface AiStatusViewProps {
  api: CardApi;
  /** HubSpot's `actions.addAlert`. */
  addAlert: (alert: CardAlert) => void;
  /** The portal's IANA timezone (`context.portal.timezone`). */
  timeZone: string;
  now?: () => number;
}

type Load = { phase: 'loading' } | { phase: 'failed'; error: CardRequestError } | { phase: 'ready'; status: CardStatus };

/** Loads the AI status, shows the view for it, and runs the agent's commands one at a time. */
export function AiStatusView({ api, addAlert, timeZone, now = Date.now }: AiStatusViewProps) {
  const [load, setLoad] = useState<Load>({ phase: 'loading' });
  const [inFlight, setInFlight] = useState<CardAction | null>(null);
  const [commandError, setCommandError] = useState<CardAlert | null>(null);

  const refresh = useCallback(async () => {
    setLoad({ phase: 'loading' });
    try {
      setLoad({ phase: 'ready', status: await api.loadStatus() });
    } catch (error) {
      setLoad({ phase: 'failed', error: toRequestError(error) });
    }
  }, [api]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const run = async (action: CardAction) => {
    if (inFlight) return;
    setInFlight(action);
    setCommandError(null);
    try {
      const command = action === 'request_handoff' ? { action, reason: CARD_TEXT.handoffReasonFromCard } : { action };
      const result = await api.sendCommand(command);
      setLoad({ phase: 'ready', status: result.status });
      addAlert(outcomeAlert(result.outcome));
    } catch (error) {
      const alert = commandErrorAlert(action, toRequestError(error));
      setCommandError(alert);
      addAlert(alert);
    } finally {
      setInFlight(null);
    }
  };

  if (load.phase === 'loading') return <LoadingSpinner testId="loading" label={CARD_TEXT.loading} layout="centered" />;
  if (load.phase === 'failed') {
    return (
      <ErrorState testId="load-error" title={CARD_TEXT.loadErrorTitle}>
        <Text>{errorMessageOf(load.error)}</Text>
        <Button testId="retry" onClick={() => void refresh()}>
          {CARD_TEXT.retry}
        </Button>
      </ErrorState>
    );
  }
  const { status } = load;
  switch (status.view) {
    case 'not_connected':
      return (
        <EmptyState testId="not-connected" title={CARD_TEXT.notConnectedTitle} imageName="integrations" layout="vertical" flush>
          <Text>{CARD_TEXT.notConnectedBody}</Text>
        </EmptyState>
      );
    case 'reconnect_required':
      return (
        <ErrorState testId="reconnect-required" title={CARD_TEXT.reconnectTitle}>
          <Text>{status.reason ?? CARD_TEXT.reconnectBody}</Text>
          {status.reason ? <Text>{CARD_TEXT.reconnectBody}</Text> : null}
        </ErrorState>
      );
    case 'no_conversation':
      return (
        <EmptyState testId="no-conversation" title={CARD_TEXT.noConversationTitle} imageName="tickets" layout="vertical" flush>
          <Text>{CARD_TEXT.noConversationBody}</Text>
        </EmptyState>
      );
    case 'status':
      return (
        <StatusPanel
          status={status}
          now={now()}
          timeZone={timeZone}
          inFlight={inFlight}
          commandError={commandError}
          onAction={(action) => void run(action)}
        />
      );
    default: {
      const exhaustive: never = status;
      throw new Error(`unknown card view ${JSON.stringify(exhaustive)}`);
    }
  }
}

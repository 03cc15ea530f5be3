import { Alert, Button, Divider, Flex, StatusTag, Text } from '@hubspot/ui-extensions';
import type { CardAction, CardStatus } from './shared-generated/contract';
import {
  CARD_TEXT,
  cardButtons,
  describeAiState,
  describeLastAiReply,
  statusTagOf,
  type CardAlert,
} from './shared-generated/view';

export interface StatusPanelProps {
  status: Extract<CardStatus, { view: 'status' }>;
  now: number;
  timeZone: string;
  inFlight: CardAction | null;
  commandError: CardAlert | null;
  onAction: (action: CardAction) => void;
}

/** The AI status of a ticket with an AI conversation. Every text comes from shared/src/card (labels, format). */
export function StatusPanel({ status, now, timeZone, inFlight, commandError, onAction }: StatusPanelProps) {
  const tag = statusTagOf(status.ai.status);
  const { headline, reason } = describeAiState(status.ai, now, timeZone);
  const reply = describeLastAiReply(status.lastAiReply, now, timeZone);
  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" gap="xs" align="center">
        <Text format={{ fontWeight: 'demibold' }}>{CARD_TEXT.statusLabel}</Text>
        <StatusTag testId="ai-status" variant={tag.variant}>
          {tag.text}
        </StatusTag>
      </Flex>
      <Text testId="ai-headline">{headline}</Text>
      {reason && (
        <Text testId="ai-reason" variant="microcopy">
          {reason}
        </Text>
      )}
      <Divider />
      <Text format={{ fontWeight: 'demibold' }}>{CARD_TEXT.lastReplyLabel}</Text>
      <Text testId="last-reply">{reply ? reply.text : CARD_TEXT.noReplyYet}</Text>
      {reply && (
        <Text testId="last-reply-when" variant="microcopy">
          {reply.when}
        </Text>
      )}
      {commandError && (
        <Alert testId="command-error" title={commandError.title} variant="danger">
          {commandError.message}
        </Alert>
      )}
      <Flex direction="row" gap="sm" wrap>
        {cardButtons(status.ai.status, inFlight).map((button) => (
          <Button
            key={button.action}
            testId={`action-${button.action}`}
            variant={button.variant}
            disabled={button.disabled}
            onClick={() => onAction(button.action)}
          >
            {button.label}
          </Button>
        ))}
      </Flex>
    </Flex>
  );
}

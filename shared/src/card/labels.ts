import type { AiStateView, CardAction, CardCommandResult } from './contract';

/** Every fixed text of the AI status card, so that wording changes are made (and reviewed) in one place. */
export const CARD_TEXT = {
  statusLabel: 'OpenCX AI',
  loading: 'Loading OpenCX AI status',
  loadErrorTitle: 'Could not load the OpenCX AI status',
  retry: 'Try again',
  notConnectedTitle: 'This HubSpot account is not connected to OpenCX',
  notConnectedBody: 'An admin can connect it in OpenCX Settings → Integrations → HubSpot.',
  reconnectTitle: 'Reconnect required',
  reconnectBody: 'HubSpot no longer accepts OpenCX\'s access, so the AI cannot answer here. An admin can reconnect in OpenCX Settings → Integrations → HubSpot.',
  noConversationTitle: 'No AI conversation on this ticket',
  noConversationBody: 'OpenCX has not talked with the customer on this ticket, so there is nothing to pause or hand off.',
  lastReplyLabel: 'Last AI reply',
  noReplyYet: 'The AI has not replied yet.',
  /** Sent as the handoff reason, since the card asks for no input. */
  handoffReasonFromCard: 'Requested from the OpenCX card in HubSpot',
} as const;

export type StatusTagVariant = 'success' | 'warning' | 'danger' | 'info' | 'default';

const STATUS_TAGS = {
  active: { text: 'Active', variant: 'success' },
  paused: { text: 'Paused', variant: 'warning' },
  // A handoff waits for a human: the strongest colour, so that it is not overlooked.
  handoff_requested: { text: 'Handoff requested', variant: 'danger' },
} as const satisfies Record<AiStateView['status'], { text: string; variant: StatusTagVariant }>;

export const statusTagOf = (status: AiStateView['status']) => STATUS_TAGS[status];

const BUTTONS = {
  pause: { label: 'Pause AI', busyLabel: 'Pausing…', variant: 'secondary', verb: 'pause the AI' },
  resume: { label: 'Resume AI', busyLabel: 'Resuming…', variant: 'primary', verb: 'resume the AI' },
  request_handoff: {
    label: 'Request handoff',
    busyLabel: 'Requesting handoff…',
    variant: 'secondary',
    verb: 'request a handoff',
  },
} as const satisfies Record<CardAction, { label: string; busyLabel: string; variant: string; verb: string }>;

/** Only the actions that change something are offered; a handoff already waiting can only be resumed. */
const ACTIONS_BY_STATUS = {
  active: ['pause', 'request_handoff'],
  paused: ['resume', 'request_handoff'],
  handoff_requested: ['resume'],
} as const satisfies Record<AiStateView['status'], readonly CardAction[]>;

export interface CardButton {
  action: CardAction;
  label: string;
  variant: 'primary' | 'secondary';
  disabled: boolean;
}

/**
 * The buttons for a status. While any command is in flight every button is disabled (two commands racing
 * would leave the agent unsure which one won), and the busy one says what it is doing.
 */
export const cardButtons = (status: AiStateView['status'], inFlight: CardAction | null): CardButton[] =>
  ACTIONS_BY_STATUS[status].map((action) => ({
    action,
    label: inFlight === action ? BUTTONS[action].busyLabel : BUTTONS[action].label,
    variant: BUTTONS[action].variant,
    disabled: inFlight !== null,
  }));

/** The shape of HubSpot's `actions.addAlert` argument. */
export interface CardAlert {
  type: 'success' | 'info' | 'warning' | 'danger';
  title: string;
  message: string;
}

const OUTCOME_ALERTS = {
  paused: { type: 'success', title: 'OpenCX AI paused', message: 'The AI will not answer until it is resumed.' },
  already_paused: { type: 'info', title: 'Already paused', message: 'OpenCX AI was already paused on this ticket.' },
  resumed: { type: 'success', title: 'OpenCX AI resumed', message: 'The AI answers the customer again.' },
  already_active: { type: 'info', title: 'Already active', message: 'OpenCX AI was already answering.' },
  handoff_requested: {
    type: 'success',
    title: 'Handoff requested',
    message: 'The AI stopped and a note for the agent was added to the ticket.',
  },
  already_requested: { type: 'info', title: 'Handoff already requested', message: 'A handoff is already waiting.' },
  handoff_suppressed: {
    type: 'warning',
    title: 'Handoff not repeated',
    message: 'This conversation was already handed off for the same request.',
  },
  not_due: { type: 'info', title: 'Nothing changed', message: 'The AI status did not change.' },
  ignored: { type: 'info', title: 'Nothing changed', message: 'The AI status did not change.' },
} as const satisfies Record<CardCommandResult['outcome'], CardAlert>;

export const outcomeAlert = (outcome: CardCommandResult['outcome']): CardAlert => OUTCOME_ALERTS[outcome];

/** Errors the card itself detects; the others are the server's `{ error: { code, message } }` codes. */
export type CardClientErrorCode = 'network_error' | 'invalid_response';
export interface CardRequestError {
  code: CardClientErrorCode | (string & {});
  message: string;
}

const ERROR_MESSAGES: Record<string, string> = {
  network_error: 'OpenCX could not be reached. Try again in a moment.',
  invalid_response: 'OpenCX sent an answer this card does not understand. Try again, or reload the page.',
  not_oauth:
    'This HubSpot account is connected to OpenCX through a legacy Private App. Reconnect HubSpot through OAuth in ' +
    'OpenCX Settings → Integrations → HubSpot.',
  reconnect_required: 'OpenCX lost access to HubSpot. An admin must reconnect it in OpenCX Settings → Integrations → HubSpot.',
  unknown_portal: CARD_TEXT.notConnectedTitle + '.',
};

/** The sentence for a failed request: known codes get our wording, others the server's own message. */
export const errorMessageOf = (error: CardRequestError): string =>
  ERROR_MESSAGES[error.code] ?? (error.message.trim() || 'Something went wrong. Try again.');

export const commandErrorAlert = (action: CardAction, error: CardRequestError): CardAlert => ({
  type: 'danger',
  title: `Could not ${BUTTONS[action].verb}`,
  message: errorMessageOf(error),
});

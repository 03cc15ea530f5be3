import {
  apiErrorSchema,
  CARD_STATUS_PATH,
  cardCommandResultSchema,
  cardStatusSchema,
  type CardCommand,
  type CardCommandResult,
  type CardStatus,
} from './shared-generated/contract';
import type { CardRequestError } from './shared-generated/view';

/** The part of `hubspot.fetch` the card uses; tests pass a fake, so no HubSpot runtime is needed. */
export type CardFetch = (
  url: string,
  options: { method: 'GET' | 'POST'; body?: Record<string, unknown> },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

/** Who is looking at which ticket, from the extension context. */
export interface CardIdentity {
  ticketId: number | string;
  portalId: number;
  userId: number;
  userEmail: string;
}

export interface CardApi {
  loadStatus(): Promise<CardStatus>;
  sendCommand(command: CardCommand): Promise<CardCommandResult>;
}

/** A failed card request, with a stable code for labels.ts to word. */
export class CardApiError extends Error implements CardRequestError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CardApiError';
  }
}

export const toRequestError = (error: unknown): CardRequestError =>
  error instanceof CardApiError
    ? { code: error.code, message: error.message }
    : { code: 'network_error', message: error instanceof Error ? error.message : String(error) };

/**
 * The status URL with the caller's identity in the query, as HubSpot's own legacy-card-converter example does.
 * HubSpot signs the final URL (X-HubSpot-Signature-v3), so the server can trust these values once verified.
 */
// UNVERIFIED: whether hubspot.fetch also appends userId/portalId/userEmail/appId itself (docs/hubspot-contract.md §8.5,
// docs/hubspot-contract.md §4); if it does, a parameter appears twice and the server should require both to agree.
export const cardStatusUrl = (origin: string, identity: CardIdentity): string => {
  const query = new URLSearchParams({
    ticketId: String(identity.ticketId),
    portalId: String(identity.portalId),
    userId: String(identity.userId),
    userEmail: identity.userEmail,
  });
  return `${origin}${CARD_STATUS_PATH}?${query.toString()}`;
};

/**
 * The backend origin: the BACKEND_URL profile variable when HubSpot hands it to the card, otherwise the origin
 * generated from the upload profile (shared-generated/backend-origin.ts). Both come from the same hsprofile.
 */
// UNVERIFIED: that HubSpot fills `context.variables` with the profile's variables at runtime (the type
// BaseContext.variables: Record<string, ProfileVariableValue> exists in @hubspot/ui-extensions 0.17.0, no doc
// confirms it), hence the generated fallback.
export const resolveBackendOrigin = (variables: Record<string, unknown> | undefined, generated: string): string => {
  const candidate = variables?.BACKEND_URL;
  if (typeof candidate !== 'string') return generated;
  try {
    const url = new URL(candidate);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : generated;
  } catch {
    return generated;
  }
};

async function call<T>(
  fetch: CardFetch,
  url: string,
  options: Parameters<CardFetch>[1],
  schema: { safeParse(data: unknown): { success: true; data: T } | { success: false } },
): Promise<T> {
  let response: Awaited<ReturnType<CardFetch>>;
  try {
    response = await fetch(url, options);
  } catch (error) {
    throw new CardApiError('network_error', error instanceof Error ? error.message : String(error));
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const apiError = apiErrorSchema.safeParse(body);
    if (apiError.success) throw new CardApiError(apiError.data.error.code, apiError.data.error.message);
    throw new CardApiError(response.status >= 500 ? 'network_error' : `http_${response.status}`, `HTTP ${response.status}`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new CardApiError('invalid_response', 'The OpenCX answer does not match the card contract');
  return parsed.data;
}

export const createCardApi = (fetch: CardFetch, origin: string, identity: CardIdentity): CardApi => {
  const url = cardStatusUrl(origin, identity);
  return {
    loadStatus: () => call(fetch, url, { method: 'GET' }, cardStatusSchema),
    sendCommand: (command) => call(fetch, url, { method: 'POST', body: { ...command } }, cardCommandResultSchema),
  };
};

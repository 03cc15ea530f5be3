// Public surface of the HubSpot adapter. Everything else in this folder is internal.
export { buildPublicUrl, checkSignatureV3Headers, verifyHubSpotSignatureV1, verifyHubSpotSignatureV2, verifyHubSpotSignatureV3 } from './signature';
export type { RawBody, SignatureFailureReason, SignatureResult } from './signature';
export { buildAuthorizeUrl, type AuthorizeUrlInput } from './authorize-url';
export { createHubSpotOAuthClient } from './oauth-client';
export type { AccessTokenInfo, HubSpotOAuthClient, HubSpotOAuthClientOptions, OAuthEndpointVersion, TokenIntrospection, TokenSet, TokenTypeHint } from './oauth-client';
export { HubSpotOAuthError, type HubSpotOAuthErrorKind } from './oauth-error';
export { createHubSpotApiGateway, type AccessTokenSource, type HubSpotApiGateway, type HubSpotApiGatewayOptions } from './api-gateway';
export { HubSpotApiError, LOCAL_RATE_LIMIT, type HubSpotApiErrorKind } from './api-error';
export { SHUTTING_DOWN } from './shutdown';
export type { GatewayLogger } from './api-caller';
export { createPortalRateLimiter, type PortalRateLimiter, type PortalRateLimiterOptions } from './rate-limiter';
export { INTERACTIVE_RETRY_POLICY, type RetryPolicy } from './retry-policy';
export { NOTE_TO_TICKET_ASSOCIATION_TYPE_ID } from './crm-operations';
export type * from './gateway-types';
export type { TicketPipeline } from './handoff-operations';

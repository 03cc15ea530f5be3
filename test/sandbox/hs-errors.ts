// HubSpot's error bodies, built in one place (docs/hubspot-contract.md §5.1, §6, §1.3).
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { correlationId } from './ids';

export interface HubSpotErrorBody {
  status: 'error';
  message: string;
  correlationId: string;
  category: string;
  errors?: { message: string; code?: string; in?: string; context?: Record<string, string[]> }[];
  context?: Record<string, string[]>;
  links?: Record<string, string>;
  subCategory?: string;
}

export function errorBody(
  category: string,
  message: string,
  extra: Partial<Omit<HubSpotErrorBody, 'status' | 'message' | 'category' | 'correlationId'>> = {},
): HubSpotErrorBody {
  return { status: 'error', message, correlationId: correlationId(), category, ...extra };
}

export function hsError(
  c: Context,
  httpStatus: ContentfulStatusCode,
  category: string,
  message: string,
  extra?: Partial<HubSpotErrorBody>,
): Response {
  return c.json(errorBody(category, message, extra), httpStatus);
}

// ASSUMPTION (UNVERIFIED): message text of the 404; only category OBJECT_NOT_FOUND is standard. source: docs/hubspot-contract.md §5.1
export const notFound = (c: Context, id: string): Response =>
  hsError(c, 404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', { context: { id: [id] } });

export const validationError = (c: Context, message: string, errors?: HubSpotErrorBody['errors']): Response =>
  hsError(c, 400, 'VALIDATION_ERROR', message, errors ? { errors } : {});

/** CRM property validation failures: HubSpot embeds a JSON list of per-property results in `message`. */
export interface PropertyProblem {
  name: string;
  error: string;
  message: string;
}

export function propertyValidationError(c: Context, problems: PropertyProblem[]): Response {
  // ASSUMPTION (UNVERIFIED): "Property values were not valid: [...]" with PROPERTY_DOESNT_EXIST / INVALID_OWNER_ID /
  // INVALID_OPTION codes, as commonly seen in HubSpot CRM 400s; source: docs/hubspot-contract.md §6 (generic VALIDATION_ERROR body)
  const details = problems.map((p) => ({
    isValid: false,
    message: p.message,
    error: p.error,
    name: p.name,
    localizedErrorMessage: p.message,
  }));
  return validationError(c, `Property values were not valid: ${JSON.stringify(details)}`);
}

/** OAuth endpoint errors: RFC 6749 fields plus HubSpot's legacy `status`/`message` (§1.3). */
export function oauthError(
  c: Context,
  error: string,
  status: string,
  description: string,
  httpStatus: ContentfulStatusCode = 400,
): Response {
  return c.json(
    { error, error_description: description, status, message: description, correlationId: correlationId() },
    httpStatus,
  );
}

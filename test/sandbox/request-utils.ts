// Small request helpers shared by the API routes.
import type { Context } from 'hono';
import { validationError } from './hs-errors';

export type JsonObject = Record<string, unknown>;

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a JSON object body, or answers HubSpot's 400 for unreadable input. */
export async function readJsonObject(c: Context): Promise<JsonObject | Response> {
  const text = await c.req.text();
  try {
    const value: unknown = text === '' ? {} : JSON.parse(text);
    if (isObject(value)) return value;
    return validationError(c, 'Invalid input JSON: expected an object.');
  } catch (err) {
    // ASSUMPTION (UNVERIFIED): wording of HubSpot's unreadable-JSON 400. source: docs/hubspot-contract.md §6 (generic VALIDATION_ERROR)
    return validationError(c, `Invalid input JSON on line 1: ${(err as Error).message}`);
  }
}

/** `?properties=a,b&properties=c` → ['a','b','c'] (the SDK sends comma-joined lists). */
export function listParam(c: Context, name: string): string[] | undefined {
  const values = c.req.queries(name);
  if (!values) return undefined;
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** Offset-based paging cursors, opaque strings to the caller as in HubSpot. */
export function paginate<T>(items: T[], after: string | undefined, limit: number): { page: T[]; next?: string } {
  const start = after && /^\d+$/.test(after) ? Number(after) : 0;
  const page = items.slice(start, start + limit);
  const nextOffset = start + limit;
  return { page, next: nextOffset < items.length ? String(nextOffset) : undefined };
}

export function intParam(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  return Number.isInteger(n) ? n : fallback;
}

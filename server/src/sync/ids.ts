import { randomUUID } from 'node:crypto';

/** `ses_…`, `msg_…`: random ids for our own records (HubSpot's ids are kept in their own columns). */
export const newId = (prefix: string): string => `${prefix}_${randomUUID().replace(/-/g, '')}`;

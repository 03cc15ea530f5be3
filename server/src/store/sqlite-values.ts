/** Conversions between domain values and SQLite column values, shared by the *.sqlite.ts files. */

export const toFlag = (value: boolean): 0 | 1 => (value ? 1 : 0);
export const fromFlag = (value: number): boolean => value === 1;

export const toJson = (value: unknown): string => JSON.stringify(value);

/** JSON columns are CHECKed with json_valid, so parsing only fails if the database was edited by hand. */
export function fromJson<T>(text: string, column: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`column ${column} holds invalid JSON`, { cause: err });
  }
}

/** Longest error or note text a work-queue row keeps. */
const MAX_NOTE_LENGTH = 2000;

/**
 * Errors and notes are for operators: adapters' messages are already redacted, this only keeps rows small. Clipped
 * with an ellipsis so a reader sees that there was more.
 */
export function clipNote(text: string): string {
  return text.length > MAX_NOTE_LENGTH ? `${text.slice(0, MAX_NOTE_LENGTH)}…` : text;
}

/** better-sqlite3 reports constraint failures with these codes; stores translate them into AppErrors. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** What the AI status card shows: labels and formatting, pure and unit-tested here, copied into the card. */
export * from './labels';
export * from './format';

export * from './state';
export { decide } from './decide';
export * from './ticket-property';

export * from './state';
export { decide } from './decide';

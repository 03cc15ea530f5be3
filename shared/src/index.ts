export * from './types';
export * from './ai-control';
export * from './card/contract';
export * from './webhooks';
export * from './actions';
export * from './card/view';

export * from './fields';
export * from './outputs';
export * from './request';
export * from './pause-ai';
export * from './resume-ai';
export * from './send-to-ai';
export * from './request-handoff';
export * from './registry';

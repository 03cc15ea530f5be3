import { AppError } from '../errors';

/** The placeholder every route group answers with until its feature lands: 501 through the one error mapper. */
export function notImplemented(feature: string): () => never {
  return () => {
    throw new AppError('not_implemented', `${feature} is not implemented yet`);
  };
}

// What of an error the cache layer may log: name, message, code and the same of its cause, never values or keys.
// Wording for people is the core's job; this only keeps logs useful and free of cached content.

export interface ErrorSummary {
  name: string;
  message: string;
  code?: string;
  cause?: ErrorSummary;
}

export function describeError(err: unknown, depth = 0): ErrorSummary {
  if (!(err instanceof Error)) return { name: typeof err, message: String(err) };
  const code = (err as { code?: unknown }).code;
  return {
    name: err.name,
    message: err.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(err.cause !== undefined && depth < 2 ? { cause: describeError(err.cause, depth + 1) } : {}),
  };
}

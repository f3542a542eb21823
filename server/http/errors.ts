// JSON errors of the HTTP API: `{error, message}` with a fitting status.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorBody, ErrorCode } from '#shared';

export const STATUS_OF: Record<ErrorCode, ContentfulStatusCode> = {
  'bad-room': 404,
  'bad-update': 400,
  'bad-request': 400,
  gap: 409,
  'too-large': 413,
  'room-full': 413,
  'rate-limited': 429,
  'not-found': 404,
  disabled: 404,
  internal: 500,
};

export function jsonError(c: Context, error: ErrorCode, message: string, extra: Record<string, unknown> = {}): Response {
  const body: ErrorBody & Record<string, unknown> = { error, message, ...extra };
  return c.json(body, STATUS_OF[error]);
}

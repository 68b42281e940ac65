/**
 * What a client may send on /ws: only `{"type": "auth", "access_token": "..."}` (other
 * members ignored). `accessToken` is null for an `auth` message without a string token.
 */
export interface AuthMessage {
  type: 'auth';
  accessToken: string | null;
}

/** A text frame as a message this server knows, or null (not JSON, not an object, another type). */
export function parseClientMessage(text: string): AuthMessage | null {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return null;
  const { type, access_token: accessToken } = message as Record<string, unknown>;
  if (type !== 'auth') return null;
  return { type, accessToken: typeof accessToken === 'string' ? accessToken : null };
}

import type { IncomingMessage } from 'node:http';

import { ForbiddenException, type INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { ServerOptions } from 'ws';

import { PROBLEM_CONTENT_TYPE, problemFor } from '../common/http/problem';
import { requestIdFor } from '../common/logging/request-id';
import { Details } from '../common/messages';

/** Past this, `ws` refuses a frame itself (1009); the gateway's own bound is 64 KiB. */
export const MAX_FRAME_BYTES = 1024 * 1024;

type VerifyClient = NonNullable<ServerOptions['verifyClient']>;

/**
 * Nest's adapter for the `ws` library, with the handshake checks of /ws: an `Origin`
 * that CORS_ORIGINS does not list is refused with a 403 problem before any socket
 * exists (a client with no `Origin`, not a browser, is let in). Frames reach the
 * gateway raw: the protocol's messages are `{"type": ...}`, not Nest's `{event, data}`.
 */
export class EventsWsAdapter extends WsAdapter {
  private readonly origins: ReadonlySet<string>;

  constructor(app: INestApplicationContext, corsOrigins: readonly string[]) {
    super(app, { messageParser: () => undefined });
    this.origins = new Set(corsOrigins);
  }

  override create(port: number, options: Record<string, unknown> = {}): unknown {
    return super.create(port, {
      ...options,
      maxPayload: MAX_FRAME_BYTES,
      verifyClient: this.verifyOrigin,
    });
  }

  private readonly verifyOrigin: VerifyClient = ({ req }, done) => {
    const { origin } = req.headers;
    if (origin === undefined || this.origins.has(origin)) return done(true);
    const body = JSON.stringify(problemFor(new ForbiddenException(Details.wsOriginNotAllowed)));
    done(false, 403, body, this.refusalHeaders(req));
  };

  /** The headers every response of the service carries (app.setup.ts), on a refused handshake. */
  private refusalHeaders(request: IncomingMessage): Record<string, string> {
    return {
      'Content-Type': PROBLEM_CONTENT_TYPE,
      'X-Request-ID': requestIdFor(request),
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      ...(this.origins.size > 0 && { Vary: 'Origin' }),
    };
  }
}

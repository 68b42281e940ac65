import { type BeforeApplicationShutdown, Logger, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { RawData, WebSocket } from 'ws';

import { TokensService } from '../auth/tokens.service';
import { Details } from '../common/messages';
import type { Settings } from '../config/settings';
import { parseClientMessage } from './client-message';
import { type Envelope, EventBus } from './event-bus';

/** Close codes of /ws: RFC 6455's, and the protocol's own in the 4000s (HTTP's status + 4000). */
export const CloseCode = {
  goingAway: 1001,
  unsupportedData: 1003,
  internalError: 1011,
  messageTooBig: 1009,
  badMessage: 4400,
  unauthenticated: 4401,
  tooManyConnections: 4429,
} as const;

/** The first message must sign in within this time of the upgrade. */
export const AUTH_TIMEOUT_MS = 5_000;
/** Largest message read; past MAX_FRAME_BYTES `ws` refuses the frame itself. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** A socket with more than this waiting to be sent is dropped, not buffered without bound. */
export const MAX_BUFFERED_BYTES = 256 * 1024;
/** How long a closing socket may take to answer the close on shutdown. */
const SHUTDOWN_GRACE_MS = 1_000;
/** setTimeout's largest delay (about 24.8 days); longer deadlines are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** One open socket, and who signed in on it once they have. */
interface Session {
  socket: WebSocket;
  userId: string | null;
  admin: boolean;
  /** Whether it answered the last ping. */
  alive: boolean;
  /** The 5-second sign-in deadline, then the access token's expiry. */
  deadline: NodeJS.Timeout;
  /** Messages are handled one at a time, in order (signing in reads the database). */
  queue: Promise<void>;
}

/**
 * /ws: clients sign in with their first message, then hear the events of their items
 * (an admin: of every item) from the event bus. The server pings every
 * WS_HEARTBEAT_SECONDS and closes every socket with 1001 before the process stops.
 */
@WebSocketGateway({ path: '/ws' })
export class EventsGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, BeforeApplicationShutdown
{
  private readonly logger = new Logger(EventsGateway.name);
  private readonly sessions = new Map<WebSocket, Session>();
  /** Signed-in sessions by user id; admins' also in `admins`. */
  private readonly byUser = new Map<string, Set<Session>>();
  private readonly admins = new Set<Session>();
  private readonly heartbeatMs: number;
  private readonly maxPerUser: number;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly tokens: TokensService,
    private readonly bus: EventBus,
    config: ConfigService<Settings, true>,
  ) {
    this.heartbeatMs = config.get('WS_HEARTBEAT_SECONDS', { infer: true }) * 1000;
    this.maxPerUser = config.get('WS_MAX_CONNECTIONS_PER_USER', { infer: true });
  }

  afterInit(): void {
    this.bus.listen((envelope) => this.deliver(envelope));
    this.heartbeat = setInterval(() => this.beat(), this.heartbeatMs);
  }

  handleConnection(socket: WebSocket): void {
    const session: Session = {
      socket,
      userId: null,
      admin: false,
      alive: true,
      deadline: setTimeout(
        () => this.close(session, CloseCode.unauthenticated, Details.notAuthenticated),
        AUTH_TIMEOUT_MS,
      ),
      queue: Promise.resolve(),
    };
    this.sessions.set(socket, session);
    socket.on('pong', () => {
      session.alive = true;
    });
    socket.on('message', (data: RawData, isBinary: boolean) =>
      this.received(session, data, isBinary),
    );
  }

  handleDisconnect(socket: WebSocket): void {
    const session = this.sessions.get(socket);
    if (session === undefined) return;
    clearTimeout(session.deadline);
    this.sessions.delete(socket);
    this.signOut(session);
  }

  /** Closes every socket with 1001 and waits (briefly) for each to answer, before HTTP stops. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    await Promise.all(
      [...this.sessions.values()].map(
        (session) =>
          new Promise<void>((resolve) => {
            session.socket.once('close', () => resolve());
            this.close(session, CloseCode.goingAway, Details.wsShuttingDown);
            setTimeout(() => session.socket.terminate(), SHUTDOWN_GRACE_MS).unref();
          }),
      ),
    );
  }

  /** An event to every signed-in socket of the item's owner and of every admin, once each. */
  deliver({ owner_id: ownerId, event }: Envelope): void {
    const text = JSON.stringify(event);
    for (const session of this.byUser.get(ownerId) ?? []) this.send(session, text);
    for (const session of this.admins) {
      if (session.userId !== ownerId) this.send(session, text);
    }
  }

  private received(session: Session, data: RawData, isBinary: boolean): void {
    if (session.socket.readyState !== session.socket.OPEN) return;
    if (isBinary) {
      return this.close(session, CloseCode.unsupportedData, Details.wsBinaryMessage);
    }
    const bytes = bytesOf(data);
    if (bytes.length > MAX_MESSAGE_BYTES) {
      return this.close(session, CloseCode.messageTooBig, Details.wsMessageTooBig);
    }
    const text = bytes.toString('utf8');
    session.queue = session.queue.then(() => this.handle(session, text));
  }

  private async handle(session: Session, text: string): Promise<void> {
    if (session.socket.readyState !== session.socket.OPEN) return;
    const message = parseClientMessage(text);
    if (message !== null && message.accessToken !== null) {
      return this.authenticate(session, message.accessToken);
    }
    if (session.userId === null || message !== null) {
      return this.close(session, CloseCode.unauthenticated, Details.notAuthenticated);
    }
    this.close(session, CloseCode.badMessage, Details.wsMessageNotAccepted);
  }

  /** Signs the socket in, or moves its deadline to a fresh token's expiry (same user only). */
  private async authenticate(session: Session, token: string): Promise<void> {
    let user;
    try {
      user = await this.tokens.userForAccessToken(token);
    } catch (error) {
      if (error instanceof UnauthorizedException) {
        return this.close(session, CloseCode.unauthenticated, Details.invalidToken);
      }
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : error);
      return this.close(session, CloseCode.internalError, Details.internalError);
    }
    if (session.socket.readyState !== session.socket.OPEN) return;
    if (session.userId !== null && session.userId !== user.id) {
      return this.close(session, CloseCode.unauthenticated, Details.invalidToken);
    }
    if (session.userId === null) {
      const sessions = this.byUser.get(user.id) ?? new Set<Session>();
      if (sessions.size >= this.maxPerUser) {
        return this.close(session, CloseCode.tooManyConnections, Details.wsTooManyConnections);
      }
      sessions.add(session);
      this.byUser.set(user.id, sessions);
      session.userId = user.id;
    }
    // The role as it is now: an admin is one who was an admin when they (last) signed in.
    session.admin = user.role === 'admin';
    if (session.admin) this.admins.add(session);
    else this.admins.delete(session);
    const expiresAt = expiryOf(token);
    this.expireAt(session, expiresAt.getTime());
    session.socket.send(
      JSON.stringify({
        type: 'authenticated',
        user_id: user.id,
        expires_at: expiresAt.toISOString(),
      }),
    );
  }

  /** Closes the socket when its token expires, unless a fresh `auth` moves the deadline. */
  private expireAt(session: Session, at: number): void {
    clearTimeout(session.deadline);
    const wait = at - Date.now();
    session.deadline = setTimeout(
      () =>
        wait > MAX_TIMER_MS
          ? this.expireAt(session, at)
          : this.close(session, CloseCode.unauthenticated, Details.invalidToken),
      Math.min(Math.max(wait, 0), MAX_TIMER_MS),
    );
  }

  /** Cuts off sockets that did not answer the last ping; pings the others. */
  private beat(): void {
    for (const session of this.sessions.values()) {
      if (!session.alive) {
        session.socket.terminate();
        continue;
      }
      session.alive = false;
      session.socket.ping();
    }
  }

  private send(session: Session, text: string): void {
    const { socket } = session;
    if (socket.readyState !== socket.OPEN) return;
    socket.send(text);
    // What the OS socket buffers could not take yet: a client that does not read is dropped.
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) socket.terminate();
  }

  private close(session: Session, code: number, reason: string): void {
    clearTimeout(session.deadline);
    this.signOut(session);
    session.socket.close(code, reason);
  }

  private signOut(session: Session): void {
    this.admins.delete(session);
    if (session.userId === null) return;
    const sessions = this.byUser.get(session.userId);
    sessions?.delete(session);
    if (sessions?.size === 0) this.byUser.delete(session.userId);
  }
}

/** A message's bytes, whichever of its forms `ws` hands over. */
function bytesOf(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}

/**
 * The expiry of an access token TokensService has just verified: its `exp` claim (the
 * payload is read again here rather than the service returning it for this one caller).
 */
function expiryOf(token: string): Date {
  const { exp } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as {
    exp: number;
  };
  return new Date(exp * 1000);
}

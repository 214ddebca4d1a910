// The contract over a WebSocket: client → {id, channel, request}; host → {id, result} where result
// is dispatch()'s Result, and {event, payload} pushes to every connected client (one user, maybe
// several tabs: progress should reach all of them).
import { z } from 'zod';
import type { WebSocket, WebSocketServer } from 'ws';
import { dispatch, type Handlers, type RequestContext } from '../api/dispatch.js';
import type { EventName, EventPayload, Result } from '../../src-shared/contract.js';

const ClientMessage = z.object({
  id: z.union([z.number().int(), z.string().max(64)]),
  channel: z.string().max(128),
  request: z.unknown(),
});

export interface ServerAnswer {
  id: number | string | null;
  result: Result<unknown>;
}

export function broadcaster(server: WebSocketServer): RequestContext['emit'] {
  return <E extends EventName>(event: E, payload: EventPayload<E>) => {
    const message = JSON.stringify({ event, payload });
    for (const client of server.clients) if (client.readyState === client.OPEN) client.send(message);
  };
}

/**
 * Requests one socket may have unanswered at once. The renderer keeps a handful in flight (4
 * thumbnails, a preview, a scan); a client that sends thousands without waiting would otherwise
 * queue unbounded work and memory in the host and the engine. Beyond it the answer is 'busy'.
 */
export const MAX_IN_FLIGHT_PER_SOCKET = 32;

export function serveContract(socket: WebSocket, handlers: Handlers, context: RequestContext): void {
  let inFlight = 0;
  // A protocol error from one client (a message over maxPayload, invalid UTF-8, a bad frame) is
  // emitted as 'error' on its socket; unheard, it throws and takes the whole host down. ws is
  // already closing that socket with the right code (e.g. 1009), so only this client goes.
  socket.on('error', (error) => console.warn(`[host] closed a client socket: ${error.message}`));
  const send = (reply: ServerAnswer): void => {
    if (socket.readyState !== socket.OPEN) return;
    let text: string;
    try {
      text = JSON.stringify(reply);
    } catch (error) {
      // A handler's value JSON cannot write (a BigInt, a cycle) is a bug: the client still gets an
      // answer for its id instead of waiting for ever, and the host stays up.
      const reason = error instanceof Error ? error.message : String(error);
      console.error(`[host] could not write an answer as JSON: ${reason}`);
      text = JSON.stringify({
        id: reply.id,
        result: { ok: false, error: { code: 'internal', message: `Clearframe could not send its answer: ${reason}` } },
      });
    }
    socket.send(text);
  };
  socket.on('message', (data, isBinary) => {
    const answer = async (): Promise<ServerAnswer> => {
      let parsed: unknown;
      try {
        parsed = isBinary ? undefined : JSON.parse(data.toString());
      } catch {
        parsed = undefined;
      }
      const message = ClientMessage.safeParse(parsed);
      if (!message.success) {
        return {
          id: null,
          result: {
            ok: false,
            error: { code: 'invalid-request', message: 'Messages must be JSON {id, channel, request}.' },
          },
        };
      }
      const { id, channel, request } = message.data;
      if (inFlight >= MAX_IN_FLIGHT_PER_SOCKET) {
        return {
          id,
          result: {
            ok: false,
            error: {
              code: 'busy',
              message: `Too many requests at once (${MAX_IN_FLIGHT_PER_SOCKET} unanswered); wait for some answers and try again.`,
            },
          },
        };
      }
      inFlight++;
      try {
        return { id, result: await dispatch(handlers, channel, request, context) };
      } finally {
        inFlight--;
      }
    };
    // ws ignores what a listener returns, so nothing would hear this promise fail (and an unhandled
    // rejection ends the host): answer() cannot reject, as dispatch() turns every failure into a
    // Result, and send() turns a reply it cannot write into an error answer.
    void answer().then(send);
  });
}

// A fault proxy of our own in front of a real Identity Server: it forwards every request, and the one `faultOf` picks
// meets a fault: the connection dropped before forwarding, dropped after the upstream committed and answered, a 502
// in place of that answer, the answer held until released, or a 429 with Retry-After (nothing forwarded).
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type Fault =
  | 'none'
  | 'drop-after-commit'
  | 'drop-before'
  | '502-after-commit'
  /** The upstream's answer is held until `release` settles; `held` is told once the upstream has answered. */
  | { hold: Promise<void>; held?: () => void }
  /** Answered 429 with this Retry-After (seconds); never forwarded. */
  | { rateLimitSeconds: number };

export interface FaultProxy {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** The request a fault is picked for: its method and path. */
export interface Asked {
  method: string;
  path: string;
}

export function isCreate(asked: Asked): boolean {
  return asked.method === 'POST' && /\/ExternalClient\/?$/.test(asked.path);
}

export function isGenerateSecret(asked: Asked): boolean {
  return asked.method === 'POST' && asked.path.replace(/\/$/, '').endsWith('/ExternalClient/GenerateSecret');
}

export function isUpdate(asked: Asked): boolean {
  return asked.method === 'PUT' && asked.path.includes('/ExternalClient/');
}

/** The list of an organisation's applications: GET /ExternalClient/{partition}. */
export function isList(asked: Asked): boolean {
  return (
    asked.method === 'GET' && /\/ExternalClient\/[^/]+\/?$/.test(asked.path) && !asked.path.includes('GenerateSecret')
  );
}

function answerWith(mode: Fault, req: IncomingMessage, res: ServerResponse, answer: IncomingMessage, body: Buffer) {
  const pass = () => res.writeHead(answer.statusCode ?? 500, answer.headers).end(body);
  // The organisation has committed and answered; the answer is lost on the way back, or becomes a 502.
  if (mode === 'drop-after-commit') req.socket.destroy();
  else if (mode === '502-after-commit')
    res.writeHead(502, { 'content-type': 'application/json' }).end('{"title":"Bad gateway"}');
  else if (typeof mode === 'object' && 'hold' in mode) {
    mode.held?.();
    void mode.hold.then(pass);
  } else pass();
}

export function faultProxy(upstream: string, faultOf: (asked: Asked) => Fault): Promise<FaultProxy> {
  const target = new URL(upstream);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const mode = faultOf({ method: req.method ?? 'GET', path: (req.url ?? '').split('?')[0] ?? '' });
    if (mode === 'drop-before') {
      req.socket.destroy();
      return;
    }
    if (typeof mode === 'object' && 'rateLimitSeconds' in mode) {
      req.resume();
      res
        .writeHead(429, { 'retry-after': String(mode.rateLimitSeconds), 'content-type': 'application/json' })
        .end('{"title":"Too many requests"}');
      return;
    }
    const forwarded = request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => answerWith(mode, req, res, answer, Buffer.concat(chunks)));
      },
    );
    forwarded.on('error', () => res.destroy());
    req.on('error', () => undefined);
    req.pipe(forwarded);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        server,
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

// The embedded server answers only to its own loopback names: a page in the user's browser that rebinds its own DNS
// name to 127.0.0.1 reaches the port, but its requests carry its own Host, and are refused (DNS rebinding).
import type { RequestListener } from 'node:http';

/** The Host values this server answers to on `port`: 127.0.0.1, [::1] and localhost (without a port for 80). */
export function allowedHosts(port: number): Set<string> {
  const names = ['127.0.0.1', '[::1]', 'localhost'];
  return new Set([...names.map((name) => `${name}:${port}`), ...(port === 80 ? names : [])]);
}

/** `handle` behind the Host check: any other Host (or none) is answered 421 with a JSON problem, and goes no further. */
export function onlyLoopbackHosts(port: number, handle: RequestListener): RequestListener {
  const allowed = allowedHosts(port);
  return (req, res) => {
    const host = req.headers.host?.toLowerCase();
    if (host !== undefined && allowed.has(host)) {
      handle(req, res);
      return;
    }
    res.statusCode = 421;
    res.setHeader('content-type', 'application/problem+json');
    res.end(
      JSON.stringify({
        status: 421,
        title: 'This server answers only to 127.0.0.1, [::1] or localhost on its port.',
      }),
    );
  };
}

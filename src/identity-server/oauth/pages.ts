// The Identity Server's own HTML pages (sign-in and error): self-contained, escaped, and sent with a strict CSP.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font:15px/1.4 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1f2329}
main{max-width:360px;margin:10vh auto;background:#fff;padding:28px 32px;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:20px;margin:0 0 4px}p.app{margin:0 0 20px;color:#555}label{display:block;margin:14px 0 4px;font-weight:600}
input{box-sizing:border-box;width:100%;padding:8px 10px;font:inherit;border:1px solid #aab;border-radius:4px}
button{margin-top:22px;width:100%;padding:9px;font:inherit;font-weight:600;color:#fff;background:#0067df;border:0;border-radius:4px;cursor:pointer}
p.error{color:#b00020;background:#fdecee;padding:8px 10px;border-radius:4px;margin:0 0 8px}`;

export interface PageSecurity {
  /** Where the page's form may lead, redirects included (Chromium checks form-action on each hop). */
  formActions?: readonly string[];
}

/** A full page and the headers it must go with: no scripts, only its own style, no framing, caching or referrer. */
export function htmlPage(
  title: string,
  body: string,
  security: PageSecurity = {},
): { headers: Record<string, string>; html: string } {
  const nonce = randomBytes(16).toString('base64');
  const formAction = security.formActions?.length ? security.formActions.join(' ') : "'none'";
  return {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; style-src 'nonce-${nonce}'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    },
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title><style nonce="${nonce}">${STYLE}</style></head><body><main>${body}</main></body></html>`,
  };
}

export function sendPage(
  res: ServerResponse,
  status: number,
  title: string,
  body: string,
  security: PageSecurity = {},
): void {
  const { headers, html } = htmlPage(title, body, security);
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(html);
}

interface SignInView {
  /** The form posts back to the interaction's own URL. */
  action: string;
  applicationName: string;
  userName: string;
  error: string | null;
}

export function signInBody(view: SignInView): string {
  return `<h1>Sign in</h1><p class="app">to continue to <strong>${escapeHtml(view.applicationName)}</strong></p>
${view.error ? `<p class="error" role="alert">${escapeHtml(view.error)}</p>` : ''}
<form method="post" action="${escapeHtml(view.action)}" autocomplete="on">
<label for="userName">User name</label>
<input id="userName" name="userName" autocomplete="username" required autofocus value="${escapeHtml(view.userName)}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`;
}

export function errorBody(heading: string, error: string, description: string): string {
  return `<h1>${escapeHtml(heading)}</h1><p><strong>${escapeHtml(error)}</strong></p><p>${escapeHtml(description)}</p>`;
}

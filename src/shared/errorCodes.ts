// The system's error codes as words a person acts on, the code kept beside them for a search: "the connection closed
// before the answer came (UND_ERR_SOCKET)". Zod-free: the CLI, main and the server alike.

const WORDS: Record<string, string> = {
  UND_ERR_SOCKET: 'the connection closed before the answer came',
  UND_ERR_CONNECT_TIMEOUT: 'the connection could not be made in time',
  UND_ERR_HEADERS_TIMEOUT: 'the answer did not start in time',
  UND_ERR_BODY_TIMEOUT: 'the answer stopped coming',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection closed while the request was sent',
  ECONNREFUSED: 'connection refused',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host cannot be reached from this network',
  ENETUNREACH: 'the network cannot be reached',
  EAI_AGAIN: 'the host name could not be looked up right now',
  ENOTFOUND: 'host not found',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate is signed by an authority this machine does not trust',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate could not be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host name',
  EEXIST: 'a file of that name is already there',
  ENOSPC: 'the disk is full',
  EDQUOT: 'your disk quota is used up',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ENOENT: 'it does not exist',
  ENOTDIR: 'a part of its path is not a folder',
  EISDIR: 'it is a folder',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many files are open',
  EBUSY: 'it is in use',
};

/** A code as words with the code beside them; an unknown code as itself. */
export function wordsOfCode(code: string): string {
  const words = WORDS[code];
  return words ? `${words} (${code})` : code;
}

// The gateway's HTTP API and its server-sent event stream (/api/stream), with our own reconnect:
// EventSource gives up for good on a non-200 answer, and a stream can go silent without an error.

export async function getJson(path) {
  const response = await fetch(path, { cache: 'no-store', headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`${path} answered HTTP ${response.status}`);
  return response.json();
}

/** Sends JSON; resolves to { ok, status, body } and never throws for an HTTP error. */
export async function sendJson(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let parsed = null;
  try { parsed = await response.json(); } catch { parsed = null; }
  return { ok: response.ok, status: response.status, body: parsed };
}

// The gateway sends a status at least every second; this much silence means the stream is dead.
const SILENCE_LIMIT_MS = 5000;
const MAX_BACKOFF_MS = 10000;

/**
 * The live stream. Handlers: open() after every (re)connect, status(s), tick(t), event(e), and
 * link({ state: 'connecting'|'live'|'reconnecting', attempt, retryAt }) for the page's own link.
 */
export class LiveStream {
  #handlers;
  #source = null;
  #attempt = 0;
  #lastMessageAt = 0;
  #retryTimer = 0;

  constructor(handlers) {
    this.#handlers = handlers;
    setInterval(() => this.#watchdog(), 1000);
  }

  start() {
    this.#connect();
  }

  #connect() {
    this.#retryTimer = 0;
    this.#handlers.link({ state: this.#attempt === 0 ? 'connecting' : 'reconnecting', attempt: this.#attempt, retryAt: null });
    const source = new EventSource('/api/stream');
    this.#source = source;
    this.#lastMessageAt = performance.now();
    source.onopen = () => {
      this.#attempt = 0;
      this.#lastMessageAt = performance.now();
      this.#handlers.link({ state: 'live', attempt: 0, retryAt: null });
      this.#handlers.open();
    };
    source.onerror = () => this.#drop();
    for (const name of ['status', 'tick', 'event']) {
      source.addEventListener(name, (message) => {
        this.#lastMessageAt = performance.now();
        let data;
        try { data = JSON.parse(message.data); } catch { return; }
        this.#handlers[name](data);
      });
    }
  }

  #watchdog() {
    if (this.#source && performance.now() - this.#lastMessageAt > SILENCE_LIMIT_MS) this.#drop();
  }

  #drop() {
    if (!this.#source) return;
    this.#source.close();
    this.#source = null;
    this.#attempt += 1;
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (this.#attempt - 1));
    this.#handlers.link({ state: 'reconnecting', attempt: this.#attempt, retryAt: performance.now() + delay });
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.#connect(), delay);
  }
}

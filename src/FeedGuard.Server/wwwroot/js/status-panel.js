// The status light and the facts beside it: last tick age (counting live), reconnect attempts,
// next-retry countdown, last error. Ages count on the page from the server's own numbers, so a
// browser clock that differs from the gateway's changes nothing.
import { byId, setText, setAttr, formatAge, formatClock, humanize, secondsSince } from './dom.js';

// Colour is never the only signal: each state has its words and its glyph.
export const STATES = {
  streaming: { label: 'streaming', glyph: '▶', hint: 'Live prices from the broker stream.' },
  polling: { label: 'polling', glyph: '⟳', hint: 'Stream down: prices come from REST polling while it reconnects.' },
  simulation: { label: 'simulation', glyph: '◆', hint: 'Simulated prices: not market data.' },
  error: { label: 'error', glyph: '✕', hint: 'No source is serving prices.' },
  connecting: { label: 'connecting', glyph: '…', hint: 'Connecting to the broker stream.' },
  stopped: { label: 'stopped', glyph: '■', hint: 'The feed is stopped.' },
  unknown: { label: 'no contact', glyph: '?', hint: 'The page has lost its link to the gateway.' },
};

export class StatusPanel {
  #status = null;
  #receivedAt = 0;
  #lastTickAt = null;
  #unreachable = false;

  update(status) {
    this.#status = status;
    this.#receivedAt = performance.now();
    this.#unreachable = false;
    this.render();
  }

  /** A tick just arrived on the stream: the age restarts at zero. */
  sawTick() {
    this.#lastTickAt = performance.now();
  }

  /** The page cannot reach the gateway: say so rather than show the last good state. */
  unreachable() {
    this.#unreachable = true;
    this.render();
  }

  get state() {
    if (this.#unreachable || !this.#status) return this.#unreachable ? 'unknown' : 'connecting';
    return STATES[this.#status.status] ? this.#status.status : 'unknown';
  }

  render() {
    const state = this.state;
    const info = STATES[state];
    const light = byId('status-light');
    setAttr(light, 'data-state', state);
    setText(byId('status-glyph'), info.glyph);
    setText(byId('status-label'), info.label);
    setText(byId('status-hint'), info.hint);
    const s = this.#status;
    if (!s) return;

    const elapsed = secondsSince(this.#receivedAt);
    const since = Date.parse(s.since);
    const asOf = Date.parse(s.as_of);
    setText(byId('status-since'), Number.isFinite(since) && Number.isFinite(asOf)
      ? `for ${formatAge((asOf - since) / 1000 + elapsed)} · since ${formatClock(since)}`
      : '');

    let age = s.last_tick_age == null ? null : s.last_tick_age + elapsed;
    if (this.#lastTickAt != null) age = Math.min(age ?? Infinity, secondsSince(this.#lastTickAt));
    setText(byId('fact-age'), age == null ? 'none yet' : `${formatAge(age)} ago`);
    const threshold = s.heartbeat_threshold;
    setAttr(byId('fact-age'), 'data-late', age != null && threshold != null && age > threshold);
    setText(byId('fact-age-note'), threshold != null ? `late after ${formatAge(threshold)}` : '');

    setText(byId('fact-attempts'), String(s.reconnect_attempts ?? 0));
    setText(byId('fact-attempts-note'), s.counters ? `this round · ${s.counters.reconnects} since start` : 'this round');

    const retry = byId('fact-retry');
    if (s.auth_blocked) {
      setText(retry, 'paused');
      setText(byId('fact-retry-note'), 'credentials rejected');
    } else if (s.next_reconnect_at) {
      const remaining = (Date.parse(s.next_reconnect_at) - asOf) / 1000 - elapsed;
      setText(retry, remaining > 0 ? `in ${formatAge(remaining)}` : 'due now');
      setText(byId('fact-retry-note'), `at ${formatClock(s.next_reconnect_at)}`);
    } else {
      setText(retry, '—');
      setText(byId('fact-retry-note'), s.status === 'streaming' ? 'connected' : 'none scheduled');
    }

    // Shown only when the gateway publishes to NATS (FeedGuard:Nats:Url / --nats).
    const nats = s.nats;
    byId('fact-nats-box').hidden = !nats;
    if (nats) {
      setText(byId('fact-nats'), nats.connected ? 'connected' : 'disconnected');
      setAttr(byId('fact-nats'), 'data-late', !nats.connected);
      setText(byId('fact-nats-note'), `${nats.published} published · ${nats.duplicates} duplicates · ${nats.buffered} buffered · ${nats.overflowed} overflowed · ${nats.publish_errors} errors`);
    }

    const error = s.last_error;
    byId('fact-error').hidden = !error;
    byId('fact-no-error').hidden = !!error;
    if (error) {
      setText(byId('error-reason'), humanize(error.reason));
      setText(byId('error-message'), error.message ?? '');
      const at = Date.parse(error.at);
      setText(byId('error-at'), Number.isFinite(at) ? `${formatClock(at)} · ${formatAge((asOf - at) / 1000 + elapsed)} ago` : '');
    }
  }
}

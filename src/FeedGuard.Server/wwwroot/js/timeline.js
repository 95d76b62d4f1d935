// The timeline of mode changes (newest first) with reason and how long each mode lasted, and the
// recoveries between them. The last mode's duration counts live.
import { el, byId, setText, formatAge, formatClock, humanize, secondsSince } from './dom.js';
import { STATES } from './status-panel.js';

const MAX_ENTRIES = 40;

export class Timeline {
  #events = new Map();
  #serverNow = null;
  #serverNowAt = 0;
  #ongoing = null;

  /** Events from /api/events or the stream; repeats (same sequence) are ignored. */
  add(events) {
    let changed = false;
    for (const event of events) {
      if ((event.type === 'mode_changed' || event.type === 'recovered') && !this.#events.has(event.sequence)) {
        this.#events.set(event.sequence, event);
        changed = true;
      }
    }
    if (changed) this.#build();
  }

  /** The server's clock from a status snapshot, for the live duration of the current mode. */
  clock(asOf) {
    const at = Date.parse(asOf);
    if (Number.isFinite(at)) {
      this.#serverNow = at;
      this.#serverNowAt = performance.now();
    }
  }

  render() {
    if (!this.#ongoing || this.#serverNow == null) return;
    const now = this.#serverNow + secondsSince(this.#serverNowAt) * 1000;
    setText(this.#ongoing.node, `${formatAge((now - this.#ongoing.from) / 1000)} so far`);
  }

  #build() {
    const sorted = [...this.#events.values()].sort((a, b) => a.sequence - b.sequence);
    while (sorted.length > MAX_ENTRIES) this.#events.delete(sorted.shift().sequence);
    const changes = sorted.filter((e) => e.type === 'mode_changed');
    const items = [];
    this.#ongoing = null;
    for (const event of sorted) {
      const at = Date.parse(event.timestamp);
      if (event.type === 'recovered') {
        items.push(el('li', { class: 'recovered' },
          el('time', { datetime: event.timestamp, text: formatClock(at) }),
          el('span', { class: 'what', text: `recovered after ${formatAge(event.downtime)} down, ${event.attempts} attempt${event.attempts === 1 ? '' : 's'}` })));
        continue;
      }
      const next = changes[changes.indexOf(event) + 1];
      const duration = el('span', { class: 'duration' });
      if (next) setText(duration, `lasted ${formatAge((Date.parse(next.timestamp) - at) / 1000)}`);
      else this.#ongoing = { node: duration, from: at };
      const reason = event.reason && event.reason !== 'none' ? humanize(event.reason) : null;
      items.push(el('li', { class: 'change', 'data-to': event.to },
        el('time', { datetime: event.timestamp, text: formatClock(at) }),
        el('span', { class: 'what' },
          el('span', { class: 'pill', 'data-state': event.from, text: STATES[event.from]?.label ?? event.from }),
          el('span', { class: 'to', 'aria-label': 'to', text: '→' }),
          el('span', { class: 'pill', 'data-state': event.to, text: STATES[event.to]?.label ?? event.to })),
        el('span', { class: 'why', title: event.message ?? '' },
          duration,
          ' · ',
          reason ? el('strong', { text: reason }) : null,
          reason && event.message ? ': ' : null,
          event.message ?? '')));
    }
    items.reverse();
    byId('timeline-list').replaceChildren(...items);
    byId('timeline-empty').hidden = items.length > 0;
    this.render();
  }
}

// The instrument table: one row per instrument with price, change, source, age and the stale flag.
// Rows come from /api/instruments (with the change basis), then live from ticks and status.
import { el, byId, setText, setAttr, formatPrice, formatSigned, formatAge, secondsSince } from './dom.js';

const SOURCE_LABELS = { stream: 'stream', poll: 'poll', simulated: 'sim' };

export class InstrumentTable {
  #rows = new Map();
  #selected = null;
  #onSelect;

  constructor(onSelect) {
    this.#onSelect = onSelect;
  }

  get selected() {
    return this.#selected;
  }

  /** Rows from /api/instruments: identity, price, change basis, source, age, stale. */
  load(list) {
    for (const item of list) {
      const row = this.#row(item);
      row.price = item.last_price;
      row.basis = item.last_price != null && item.change != null ? item.last_price - item.change : row.basis;
      row.basisKind = item.change_basis;
      row.source = item.source;
      row.age = item.age_seconds;
      row.ageAt = performance.now();
      row.stale = item.stale;
      row.sessionOpen = item.session_open;
    }
    if (this.#selected == null && list.length > 0) this.select(list[0].instrument);
    this.render();
  }

  /** Per-instrument freshness from a status snapshot. */
  status(instruments) {
    for (const item of instruments ?? []) {
      const row = this.#rows.get(item.instrument);
      if (!row) continue;
      row.stale = item.stale;
      row.sessionOpen = item.session_open;
      if (item.last_tick_age != null && (row.age == null || item.last_tick_age < row.age + secondsSince(row.ageAt))) {
        row.age = item.last_tick_age;
        row.ageAt = performance.now();
      }
    }
  }

  tick(tick) {
    const row = this.#rows.get(tick.instrument);
    if (!row) return;
    row.price = tick.ltp;
    row.source = tick.source;
    row.age = 0;
    row.ageAt = performance.now();
    row.stale = false;
  }

  select(instrument) {
    this.#selected = instrument;
    for (const [key, row] of this.#rows) setAttr(row.tr, 'aria-selected', key === instrument);
    const row = this.#rows.get(instrument);
    if (row) this.#onSelect(instrument, row.symbol ?? instrument);
  }

  render() {
    for (const row of this.#rows.values()) {
      const change = row.price != null && row.basis != null ? row.price - row.basis : null;
      const percent = change != null && row.basis ? (change / row.basis) * 100 : null;
      const direction = change == null || change === 0 ? 'flat' : change > 0 ? 'up' : 'down';
      setText(row.cells.price, formatPrice(row.price));
      setAttr(row.cells.change, 'data-direction', direction);
      setText(row.cells.arrow, direction === 'up' ? '▲' : direction === 'down' ? '▼' : '');
      setText(row.cells.changeValue, formatSigned(change));
      setText(row.cells.percent, percent == null ? '' : `${formatSigned(percent)}%`);
      setAttr(row.cells.change, 'title', row.basisKind === 'close' ? 'change since the previous close' : 'change since the gateway started');
      setAttr(row.cells.source, 'data-source', row.source ?? 'none');
      setText(row.cells.source, row.source ? SOURCE_LABELS[row.source] ?? row.source : '—');
      setText(row.cells.age, row.age == null ? '—' : formatAge(row.age + secondsSince(row.ageAt)));
      setAttr(row.cells.flag, 'data-flag', row.stale ? 'stale' : row.sessionOpen === false ? 'closed' : 'fresh');
      setText(row.cells.flag, row.stale ? '⚠ stale' : row.sessionOpen === false ? 'closed' : 'fresh');
    }
  }

  #row(item) {
    let row = this.#rows.get(item.instrument);
    if (row) return row;
    const cells = {
      price: el('td', { class: 'num price' }),
      arrow: el('span', { class: 'arrow', 'aria-hidden': 'true' }),
      changeValue: el('span', { class: 'abs' }),
      percent: el('span', { class: 'pct' }),
      source: el('span', { class: 'badge source' }),
      age: el('td', { class: 'num age' }),
      flag: el('span', { class: 'flag' }),
    };
    cells.change = el('td', { class: 'num change' }, cells.arrow, cells.changeValue, cells.percent);
    const select = () => this.select(item.instrument);
    const tr = el('tr', { 'data-instrument': item.instrument, 'aria-selected': 'false', onclick: select },
      el('th', { scope: 'row', class: 'symbol' },
        el('button', { type: 'button', class: 'symbol-button', onclick: (e) => { e.stopPropagation(); select(); } },
          el('span', { class: 'sym', text: item.symbol ?? item.token }),
          el('span', { class: 'key', text: `${item.exchange} · ${item.token}` }))),
      cells.price,
      cells.change,
      el('td', { class: 'src' }, cells.source),
      cells.age,
      el('td', { class: 'stale' }, cells.flag));
    byId('instrument-rows').append(tr);
    row = { tr, cells, symbol: item.symbol, price: null, basis: null, basisKind: null, source: null, age: null, ageAt: 0, stale: false, sessionOpen: true };
    this.#rows.set(item.instrument, row);
    return row;
  }
}

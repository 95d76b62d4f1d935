// DOM building and formatting shared by the panels. Server strings only ever reach the page through
// textContent or attributes set one by one: nothing here parses data as HTML.

/** Creates an element: props set attributes (`text` sets textContent, `on*` adds listeners). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value == null || value === false) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export const byId = (id) => document.getElementById(id);

/** Sets text only when it changed, so a 4 Hz refresh does not churn the DOM. */
export function setText(node, text) {
  const value = String(text);
  if (node.textContent !== value) node.textContent = value;
}

export function setAttr(node, name, value) {
  const text = String(value);
  if (node.getAttribute(name) !== text) node.setAttribute(name, text);
}

const priceFormat = new Intl.NumberFormat('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signedFormat = new Intl.NumberFormat('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });

export const formatPrice = (value) => (value == null ? '—' : priceFormat.format(value));
export const formatSigned = (value) => (value == null ? '—' : signedFormat.format(value));

/** Seconds as a short age: "0.4 s", "12 s", "3 m 05 s", "2 h 04 m". */
export function formatAge(seconds) {
  if (seconds == null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, seconds);
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.floor(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} m ${String(Math.floor(s % 60)).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} m`;
}

/** Local wall-clock time, 24 h, to the second. */
export function formatClock(value) {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '—';
  return date.toLocaleTimeString('en-GB', { hour12: false });
}

/** `no_data` → "no data": the API's reason names, readable. */
export const humanize = (name) => (name == null ? '' : String(name).replaceAll('_', ' '));

/** Seconds since a performance.now() stamp. */
export const secondsSince = (stamp) => (performance.now() - stamp) / 1000;

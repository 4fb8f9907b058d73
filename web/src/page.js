// What the campaign pages share: reading an API answer (its refusal kept as the page's reason),
// and a table cell that carries the figure's exact value for the end-to-end tests to compare.

export const API = '/api/v1';

// The JSON answer of `path`, or null with the API's reason in `errors[name]`.
export async function getJson(path, errors, name) {
  const r = await fetch(API + path, { cache: 'no-cache' });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) { errors[name] = body.error || String(r.status); return null; }
  return body;
}

// A figure shown with its exact value in data-value (what the tests compare).
export function cell(v, text) {
  const td = document.createElement('td');
  td.dataset.value = v ?? '';
  td.textContent = text ?? (v == null ? '—' : String(v));
  return td;
}

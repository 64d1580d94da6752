/**
 * The plain page at `/` until the portal arrives: what the catalog holds, searchable, with links
 * to each entity's JSON. Server-rendered, no script.
 */
import { countEntitiesByKind, listEntities } from '../catalog/index.js';
import type { Store } from '../store/Store.js';

const SHOWN = 500;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function homePage(store: Store, search: string | undefined): Promise<string> {
  const counts = await countEntitiesByKind(store);
  const total = counts.reduce((sum, row) => sum + row.count, 0);
  const page = await listEntities(store, search ? { q: search } : {}, { limit: SHOWN });
  const rows = page.items
    .map((entity) => {
      const [kind, rest] = entity.ref.split(':') as [string, string];
      const [namespace, name] = rest.split('/') as [string, string];
      const href = `/api/v1/entities/${encodeURIComponent(kind)}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
      return `<tr><td><a href="${href}">${escapeHtml(entity.ref)}</a></td><td>${escapeHtml(entity.title ?? '')}</td><td>${escapeHtml(entity.type ?? '')}</td><td>${escapeHtml(entity.lifecycle ?? '')}</td><td>${escapeHtml(entity.owner ?? '')}</td></tr>`;
    })
    .join('\n');
  const kinds = counts.map((row) => `<li>${escapeHtml(row.kind)}: ${row.count}</li>`).join('');
  const more =
    page.totalItems > page.items.length
      ? `<p>Showing ${page.items.length} of ${page.totalItems}. Narrow the search, or use <code>/api/v1/entities</code>.</p>`
      : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pave catalog</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #1f2328; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #d0d7de; }
th { background: #f6f8fa; }
ul { display: flex; gap: 1.5rem; list-style: none; padding: 0; }
</style>
</head>
<body>
<h1>Pave catalog</h1>
<p>${total} entities. API: <a href="/openapi.json">/openapi.json</a>.</p>
<ul>${kinds}</ul>
<form method="get" action="/"><input name="q" type="search" placeholder="Search name, title, description" value="${escapeHtml(search ?? '')}"> <button>Search</button></form>
${more}
<table>
<thead><tr><th>Entity</th><th>Title</th><th>Type</th><th>Lifecycle</th><th>Owner</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}

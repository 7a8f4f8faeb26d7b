// Search over the Pagefind index, with filters for kind, service and
// severity. Pagefind keeps one index per page language (Chinese documents
// are segmented into words, English ones stemmed); this page searches all
// of them and merges the results by score. Results are built as DOM
// nodes; only Pagefind's excerpt, which it escapes itself and marks up
// with <mark>, is inserted as HTML.
const form = document.querySelector("[data-search]");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const base = new URL("../", document.baseURI).pathname;
let loading = null;

// load prepares one Pagefind instance per index language, once.
function load() {
  loading = loading || prepare();
  return loading;
}

async function prepare() {
  const entry = await (await fetch(base + "pagefind/pagefind-entry.json")).json();
  const html = document.documentElement;
  const own = html.lang;
  const instances = [];
  try {
    for (const lang of Object.keys(entry.languages)) {
      // Each language gets its own copy of the module: Pagefind keeps its
      // WebAssembly state per module, and two indexes in one copy break
      // each other. An instance takes its language from <html lang>
      // while it starts; no worker, which would be shared between them.
      const pf = await import(base + "pagefind/pagefind.js?language=" + encodeURIComponent(lang));
      html.lang = lang;
      const inst = pf.createInstance({ basePath: base + "pagefind/", baseUrl: base, noWorker: true });
      await inst.init();
      instances.push(inst);
    }
  } finally {
    html.lang = own;
  }
  const counts = {};
  for (const inst of instances) {
    const filters = await inst.filters();
    for (const [name, values] of Object.entries(filters)) {
      counts[name] = counts[name] || {};
      for (const [v, n] of Object.entries(values)) counts[name][v] = (counts[name][v] || 0) + n;
    }
  }
  for (const select of form.querySelectorAll("[data-filter]")) {
    const values = counts[select.dataset.filter] || {};
    for (const v of Object.keys(values).sort()) {
      const o = document.createElement("option");
      o.value = v;
      o.textContent = v + " (" + values[v] + ")";
      select.appendChild(o);
    }
  }
  return instances;
}

async function run() {
  const q = form.q.value.trim();
  const filters = {};
  for (const select of form.querySelectorAll("[data-filter]")) {
    if (select.value) filters[select.dataset.filter] = select.value;
  }
  status.textContent = status.dataset.tLoading;
  const all = await load();
  const found = [];
  for (const inst of all) {
    const search = await inst.search(q || null, { filters });
    if (search && search.results) found.push(...search.results);
  }
  found.sort((a, b) => b.score - a.score);
  list.replaceChildren();
  if (!found.length) {
    status.textContent = status.dataset.tNone;
    return;
  }
  const results = await Promise.all(found.slice(0, 20).map((r) => r.data()));
  status.textContent = status.dataset.tResults.replace("{n}", String(found.length));
  for (const r of results) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = r.url;
    a.textContent = (r.meta && r.meta.title) || r.url;
    const p = document.createElement("p");
    p.innerHTML = r.excerpt;
    li.append(a, p);
    list.appendChild(li);
  }
  const u = new URL(location.href);
  u.searchParams.set("q", q);
  history.replaceState(null, "", u);
}

const runShowingErrors = () => run().catch((e) => { status.textContent = String(e); });
form.addEventListener("submit", (e) => { e.preventDefault(); runShowingErrors(); });
for (const select of form.querySelectorAll("[data-filter]")) select.addEventListener("change", runShowingErrors);
const initial = new URLSearchParams(location.search).get("q");
load().then(() => { if (initial) { form.q.value = initial; return run(); } }).catch((e) => { status.textContent = String(e); });

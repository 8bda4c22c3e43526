// cadenza's web page: the runs, and one run live (its execution tree, decisions,
// and at the end its per-requirement table and steps). Reads the same API as any
// client; the page's session cookie stands for the token. Text from runs is only
// ever set as textContent.
"use strict";

const $ = (selector) => document.querySelector(selector);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

const fmt = {
  time: (s) => (s ? new Date(s * 1000).toLocaleTimeString([], { hour12: false }) : ""),
  score: (x) => (x === null || x === undefined ? "" : Number(x).toFixed(2)),
  cost: (x) => (x === null || x === undefined ? "" : "$" + Number(x).toFixed(4)),
  secs: (x) => (x === null || x === undefined ? "" : Number(x).toFixed(2) + " s"),
};

async function api(path, options = {}) {
  const response = await fetch(path, { credentials: "same-origin", ...options });
  if (!response.ok) {
    let message = response.statusText;
    try { message = (await response.json()).error.message; } catch (_) { /* not JSON */ }
    throw new Error(`${response.status}: ${message}`);
  }
  return response.json();
}

function badge(status, id) {
  const attrs = { class: `badge ${status}`, "data-status": status, text: status.replace("_", " ") };
  if (id) attrs.id = id;
  return el("span", attrs);
}

// ------------------------------------------------------------------ the runs

let selected = null;

async function loadRuns() {
  const { runs } = await api("/v1/runs?limit=200");
  const body = $("#runs tbody");
  body.replaceChildren();
  $("#no-runs").hidden = runs.length > 0;
  for (const run of runs) {
    const row = el("tr", { "data-run-id": run.id },
      el("td", { text: fmt.time(run.created) }),
      el("td", { class: "task", text: run.input, title: run.input }),
      el("td", {}, badge(run.status)),
      el("td", { text: fmt.score(run.score) }),
      el("td", { text: run.calls ?? "" }),
      el("td", { text: fmt.cost(run.cost_usd) }));
    if (run.id === selected) row.classList.add("selected");
    row.addEventListener("click", () => { location.hash = `#/runs/${run.id}`; });
    body.append(row);
  }
}

function followFeed() {
  const feed = new EventSource("/v1/events");
  feed.addEventListener("hello", () => { $("#feed-state").textContent = "live"; loadRuns(); });
  feed.addEventListener("run", () => loadRuns());
  feed.onerror = () => { $("#feed-state").textContent = "reconnecting…"; };
}

// ------------------------------------------------------------------ one run

let stream = null;
let view = null;

function newView(id) {
  return { id, candidates: new Map(), order: [], decisions: [], calls: 0, speculative: 0 };
}

async function showRun(id) {
  selected = id;
  if (stream) stream.close();
  for (const row of document.querySelectorAll("#runs tbody tr")) {
    row.classList.toggle("selected", row.dataset.runId === id);
  }
  $("#run-panel").hidden = false;
  $("#final").hidden = true;
  $("#run-error").hidden = true;
  view = newView(id);
  renderTree();
  renderDecisions();
  const run = await api(`/v1/runs/${encodeURIComponent(id)}`);
  renderHead(run);
  stream = new EventSource(`/v1/runs/${encodeURIComponent(id)}/events`);
  const current = view;
  stream.onmessage = null;
  for (const kind of ["status", "call", "candidate", "decision", "end"]) {
    stream.addEventListener(kind, (message) => {
      if (view !== current) return;
      onEvent(JSON.parse(message.data));
    });
  }
}

function onEvent(event) {
  switch (event.type) {
    case "status":
      setStatus(event.status, event.queued);
      break;
    case "call":
      view.calls += 1;
      if (event.speculative) view.speculative += 1;
      renderCalls();
      break;
    case "candidate": {
      const c = event.candidate;
      if (!view.candidates.has(c.id)) view.order.push(c.id);
      view.candidates.set(c.id, { ...view.candidates.get(c.id), ...c });
      renderTree();
      break;
    }
    case "decision":
      view.decisions.push(event);
      renderDecisions();
      break;
    case "end":
      stream.close();
      setStatus(event.status, false);
      if (event.error) showError(event.error.message);
      if (event.result) renderFinal(event.result);
      loadRuns();
      break;
  }
}

function renderHead(run) {
  $("#run-title").textContent = run.id;
  $("#run-input").textContent = run.input;
  $("#run-meta").textContent = `${run.strategy || ""} on ${(run.models || []).join(", ")}`;
  setStatus(run.status, run.queued);
  if (run.error) showError(run.error.message);
}

function setStatus(status, queued) {
  $("#run-status").replaceWith(badge(status, "run-status"));
  if (queued) $("#run-status").textContent = "waiting for a slot";
}

function showError(message) {
  $("#run-error").hidden = false;
  $("#run-error").textContent = message;
}

function renderCalls() {
  const extra = view.speculative ? ` (${view.speculative} speculative)` : "";
  $("#calls").textContent = `${view.calls} model call(s) started${extra}`;
}

function renderTree() {
  const root = $("#tree");
  root.replaceChildren();
  const lists = new Map();
  for (const id of view.order) {
    const c = view.candidates.get(id);
    const item = el("li", {}, candidateNode(c));
    const children = el("ul");
    item.append(children);
    lists.set(id, children);
    const parent = c.parents && c.parents.length ? lists.get(c.parents[0]) : null;
    (parent || root).append(item);
  }
}

function candidateNode(c) {
  const verdicts = el("div", { class: "chips" });
  for (const v of c.verdicts || []) {
    const state = v.method === "pending" ? "pending" : (v.passed ? "pass" : "fail");
    verdicts.append(el("span", {
      class: `chip ${state}`, title: v.reason,
      text: `${state === "pass" ? "✓" : state === "fail" ? "✗" : "…"} ${v.requirement}`,
    }));
  }
  const stats = [
    c.model, `score ${fmt.score(c.score)}`, `${c.tokens ?? 0} tokens`,
    fmt.cost(c.cost_usd), fmt.secs(c.latency_s),
  ].filter(Boolean).join(" · ");
  const node = el("div", { class: `node ${c.status}`, "data-candidate": c.id },
    el("div", { class: "head" },
      el("span", { class: "id", text: c.id }),
      el("span", { text: c.origin + (c.speculative ? " (speculative)" : "") }),
      badge(c.status),
      el("span", { class: "stats", text: stats })),
    verdicts);
  if (c.text) node.append(el("details", {}, el("summary", { text: "answer" }), el("pre", { text: c.text })));
  if (c.note) node.append(el("div", { class: "stats", text: c.note }));
  return node;
}

function renderDecisions() {
  const body = $("#decisions tbody");
  body.replaceChildren();
  for (const d of view.decisions) {
    body.append(el("tr", {}, el("td", { text: d.round }), el("td", { text: d.action }),
      el("td", { text: d.reason })));
  }
}

function renderFinal(result) {
  $("#final").hidden = false;
  $("#answer").textContent = result.text;
  const u = result.usage;
  $("#usage").textContent = `${result.finish_reason} · score ${fmt.score(result.score)} · ` +
    `${result.calls} call(s) · ${u.input_tokens} in + ${u.output_tokens} out tokens · ` +
    `${fmt.cost(u.cost_usd)} · ${fmt.secs(result.wall_s)}`;
  const reqs = $("#requirements tbody");
  reqs.replaceChildren();
  for (const r of result.requirements) {
    reqs.append(el("tr", { "data-requirement": r.name },
      el("td", { text: r.description + (r.is_mandatory ? "" : " (optional)") }),
      el("td", { text: r.method }), el("td", { text: fmt.score(r.score) }),
      el("td", { class: r.passed ? "yes" : "no", text: r.passed ? "yes" : "no" }),
      el("td", { text: r.reason })));
  }
  const steps = $("#steps tbody");
  steps.replaceChildren();
  for (const s of result.trace.filter((n) => n.type === "step")) {
    const spend = s.spend || {};
    steps.append(el("tr", {},
      el("td", { text: s.step_id }), el("td", { text: s.kind }), el("td", { text: s.resource || "" }),
      el("td", { text: s.outcome }),
      el("td", { text: s.started_mono == null ? "" : fmt.secs(s.ended_mono - s.started_mono) }),
      el("td", { text: (spend.input_tokens ?? 0) + (spend.output_tokens ?? 0) }),
      el("td", { text: fmt.cost(spend.dollars) })));
  }
}

// ------------------------------------------------------------------ start

function route() {
  const match = location.hash.match(/^#\/runs\/(.+)$/);
  if (match) showRun(decodeURIComponent(match[1])).catch((e) => showError(e.message));
}

window.addEventListener("hashchange", route);
loadRuns().catch((e) => { $("#feed-state").textContent = e.message; });
followFeed();
route();

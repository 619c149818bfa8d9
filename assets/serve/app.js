// vardsim serve: the what-if page. Plain JavaScript, no build step.
// The server does the work: it loads scenarios by name, checks every change
// with the scenario loader and streams the paired comparison (Server-Sent
// Events) as replications finish. This file only draws controls and figures.
"use strict";

const TEXT = {
  sv: {
    title: "Vad händer om …?",
    subtitle: "Ändra ett reglage: vardsim kör det ändrade och det oförändrade scenariot med samma slumptal och visar skillnaden med 95 % konfidensintervall.",
    scenario: "Scenario", choose: "Välj scenario", replications: "Körningar", seed: "Slumpfrö",
    advanced: "Avancerat: valfri nyckel",
    advanced_help: "En ändring per rad, som --set på kommandoraden: SÖKVÄG=VÄRDE, t.ex. units.vc.phone.callback_slot_minutes=12",
    apply: "Kör", reset: "Återställ", results: "Resultat", cancel: "Avbryt",
    paired_note: "Skillnaden är parad: samma patienter kommer vid samma tider i båda scenarierna (gemensamma slumptal), så dess intervall är smalare än de två intervallen var för sig.",
    units: "Per vårdcentral", all: "Alla mått", downloads: "Ladda ner",
    footer: "vardsim serve – körs på din dator; inget lämnar den.",
    metric: "Mått", diff: "Skillnad (95 % KI)", unit: "Vårdcentral",
    queued: "väntar på en ledig plats …", running: "kör", done: "klart", cancelled: "avbrutet", failed: "misslyckades",
    of: "av", reps_done: "körningar klara", first: "första siffror efter", final: "klart efter", ms: "ms",
    groups: { builtin: "Inbyggt", methods: "Arbetssätt", regions: "Regioner", own: "Egna filer" },
    toml: "Det ändrade scenariot (TOML)", problems_in: "Ändringen godtogs inte:",
    command: "Samma jämförelse på kommandoraden:", units_count: "vårdcentraler", waiting_files: "skriver filerna …",
    other_lang: "English",
  },
  en: {
    title: "What if …?",
    subtitle: "Change a control: vardsim runs the changed and the unchanged scenario with the same random numbers and shows the difference with its 95 % confidence interval.",
    scenario: "Scenario", choose: "Choose a scenario", replications: "Replications", seed: "Seed",
    advanced: "Advanced: any key",
    advanced_help: "One change per line, as --set on the command line: PATH=VALUE, e.g. units.vc.phone.callback_slot_minutes=12",
    apply: "Run", reset: "Reset", results: "Results", cancel: "Cancel",
    paired_note: "The difference is paired: the same patients arrive at the same times in both scenarios (common random numbers), so its interval is narrower than the two intervals on their own.",
    units: "By health centre", all: "All metrics", downloads: "Download",
    footer: "vardsim serve runs on your computer; nothing leaves it.",
    metric: "Metric", diff: "Difference (95 % CI)", unit: "Health centre",
    queued: "waiting for a free slot …", running: "running", done: "done", cancelled: "cancelled", failed: "failed",
    of: "of", reps_done: "replications done", first: "first figures after", final: "done after", ms: "ms",
    groups: { builtin: "Built-in", methods: "Working methods", regions: "Regions", own: "Own files" },
    toml: "The changed scenario (TOML)", problems_in: "The change was not accepted:",
    command: "The same comparison on the command line:", units_count: "health centres", waiting_files: "writing the files …",
    other_lang: "Svenska",
  },
};

const $ = (sel) => document.querySelector(sel);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
};

let lang = localStorage.getItem("vardsim.lang") === "en" ? "en" : "sv";
const client = sessionStorage.getItem("vardsim.client") ||
  (() => { const id = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("");
           sessionStorage.setItem("vardsim.client", id); return id; })();
let levers = [];          // from /api/levers
let info = null;          // the scenario's name, description, units
let job = null;           // { id, columns, command }
let source = null;        // the EventSource of the running job
let last = null;          // the latest status
let timer = null;
let started = 0;          // when the page asked (performance.now)

const t = (k) => TEXT[lang][k] ?? k;

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const e of document.querySelectorAll("[data-t]")) e.textContent = t(e.dataset.t);
  $("#lang").textContent = t("other_lang");
  for (const og of document.querySelectorAll("#scenario optgroup")) og.label = TEXT[lang].groups[og.dataset.group] ?? og.dataset.group;
  drawLevers(currentValues());
  drawResults();
  if (last && last.state === "done") loadDownloads();
}

async function api(path, options) {
  const r = await fetch(path, options);
  const type = r.headers.get("content-type") || "";
  const body = type.includes("json") ? await r.json() : await r.text();
  return { ok: r.ok, status: r.status, body };
}

async function loadScenarios() {
  const r = await api("/api/scenarios");
  const select = $("#scenario");
  select.textContent = "";
  const groups = {};
  for (const s of r.body) {
    if (!groups[s.group]) {
      groups[s.group] = el("optgroup", { "data-group": s.group });
      groups[s.group].label = TEXT[lang].groups[s.group] ?? s.group;
      select.append(groups[s.group]);
    }
    groups[s.group].append(el("option", { value: s.name, text: s.name, title: s.file }));
  }
  const wanted = decodeURIComponent(location.hash.slice(1));
  if (wanted && r.body.some((s) => s.name === wanted)) select.value = wanted;
}

async function loadLevers() {
  const name = $("#scenario").value;
  location.hash = encodeURIComponent(name);
  const r = await api("/api/levers?scenario=" + encodeURIComponent(name));
  if (!r.ok) { showProblems(r.body.problems || [{ message: r.body.error }]); return; }
  info = r.body;
  levers = info.levers;
  $("#description").textContent = info.description + (info.units > 1 ? ` (${info.units} ${t("units_count")})` : "");
  $("#advanced").value = "";
  drawLevers({});
  run();
}

// The control's value as the page holds it (strings for clocks and choices).
function currentValues() {
  const v = {};
  for (const input of document.querySelectorAll("#levers [data-path]")) {
    v[input.dataset.path] = input.type === "checkbox" ? input.checked : input.value;
  }
  return v;
}

function same(lever, value) {
  if (lever.kind === "bool") return value === (lever.value === true);
  if (lever.kind === "int" || lever.kind === "number") return Number(value) === Number(lever.value);
  return String(value) === String(lever.value);
}

function drawLevers(values) {
  const box = $("#levers");
  const open = new Set(Array.from(box.querySelectorAll("details[open]"), (d) => d.dataset.section));
  box.textContent = "";
  const idx = lang === "sv" ? 0 : 1;
  const sections = new Map();
  levers.forEach((l, i) => {
    const key = l.section[1];
    if (!sections.has(key)) {
      const d = el("details", { class: "section", "data-section": key }, el("summary", { text: l.section[idx] }));
      if (open.has(key) || (open.size === 0 && sections.size === 0)) d.open = true;
      sections.set(key, d);
      box.append(d);
    }
    const id = "lever-" + i;
    let input;
    const value = values[l.path] ?? l.value;
    if (l.kind === "bool") {
      input = el("input", { type: "checkbox", id });
      input.checked = value === true || value === "true";
    } else if (l.kind === "choice") {
      input = el("select", { id });
      for (const o of l.options) input.append(el("option", { value: o, text: o }));
      input.value = value;
    } else if (l.kind === "clock") {
      input = el("input", { type: "time", id, step: 60 });
      input.value = value;
    } else {
      input = el("input", { type: "number", id, step: l.kind === "int" ? 1 : (l.max === 1 ? 0.01 : "any") });
      if (l.min != null) input.min = l.min;
      if (l.max != null) input.max = l.max;
      input.value = value;
    }
    input.dataset.path = l.path;
    const row = el("div", { class: "lever", "data-lever": l.path },
      el("label", { for: id, title: l.help, text: l.label[idx] }), input,
      el("small", { class: "help", text: l.help }),
      el("span", { class: "problem" }));
    if (!same(l, input.type === "checkbox" ? input.checked : input.value)) row.classList.add("changed");
    input.addEventListener("change", () => {
      row.classList.toggle("changed", !same(l, input.type === "checkbox" ? input.checked : input.value));
      schedule();
    });
    sections.get(key).append(row);
  });
}

// A control's value as TOML, for PATH=VALUE.
function tomlValue(lever, value) {
  if (lever.kind === "bool") return value ? "true" : "false";
  if (lever.kind === "int" || lever.kind === "number") return String(value).trim() === "" ? '""' : String(value).trim();
  return JSON.stringify(String(value));
}

function changes() {
  const values = currentValues();
  const sets = [];
  for (const l of levers) {
    const v = values[l.path];
    if (v !== undefined && !same(l, v)) sets.push(`${l.path}=${tomlValue(l, v)}`);
  }
  for (const line of $("#advanced").value.split("\n")) if (line.trim()) sets.push(line.trim());
  return sets;
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(run, 250);
}

function showProblems(problems) {
  for (const p of document.querySelectorAll("#levers .problem")) p.textContent = "";
  const list = $("#problems");
  list.textContent = "";
  for (const p of problems || []) {
    const where = p.file ? `${p.file}${p.line ? ":" + p.line + ":" + p.column : ""}: ` : "";
    const text = `${where}${p.key ? p.key + ": " : ""}${p.message}${p.hint ? "\n  hint: " + p.hint : ""}`;
    const row = p.key && document.querySelector(`#levers [data-lever="${CSS.escape(p.key)}"]`);
    if (row) {
      row.querySelector(".problem").textContent = text;
      row.closest("details").open = true;
    } else {
      list.append(el("li", { text }));
    }
  }
}

async function run() {
  clearTimeout(timer);
  if (source) { source.close(); source = null; }
  const reps = Number($("#replications").value) || 10;
  const seed = Number($("#seed").value) || 0;
  started = performance.now();
  const r = await api("/api/jobs", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client, scenario: $("#scenario").value, sets: changes(), seed, replications: reps }),
  });
  if (!r.ok) {
    showProblems(r.body.problems || [{ message: r.body.error }]);
    $("#state-text").textContent = t("failed");
    return;
  }
  showProblems([]);
  job = { id: r.body.job, columns: r.body.columns, command: r.body.command, first: null, final: null };
  document.body.dataset.job = job.id;
  last = null;
  $("#downloads-box").hidden = true;
  source = new EventSource(`/api/jobs/${job.id}/events`);
  const mine = job;
  source.addEventListener("status", (ev) => {
    if (job !== mine) return;
    last = JSON.parse(ev.data);
    const now = Math.round(performance.now() - started);
    if (last.views && mine.first == null) mine.first = now;
    if (last.state === "done" && mine.final == null) mine.final = now;
    drawResults();
    if (["done", "cancelled", "failed"].includes(last.state)) {
      source.close(); source = null;
      if (last.state === "done") loadDownloads();
    }
  });
}

function fmtRowCells(row) {
  const cell = (pair, n, cls) => {
    const td = el("td", { class: cls }, el("span", { class: "value", text: pair[0] }), el("span", { class: "ci", text: pair[1] }));
    if (n) { td.dataset.mean = n.mean ?? ""; td.dataset.lo = n.lo ?? ""; td.dataset.hi = n.hi ?? ""; }
    return td;
  };
  const d = row.numbers[2];
  const diff = el("td", { class: "diff", text: row.diff });
  diff.dataset.mean = d.mean ?? ""; diff.dataset.lo = d.lo ?? ""; diff.dataset.hi = d.hi ?? "";
  // A guarantee rule (a share) got better or worse beyond chance.
  const rule = row.key === "contact_same_day" || /_within_\d+_days$/.test(row.key);
  if (rule && d.lo != null && d.hi != null && (d.lo > 0 || d.hi < 0)) diff.classList.add(d.lo > 0 ? "up" : "down");
  return [cell(row.base, row.numbers[0], "base"), cell(row.variant, row.numbers[1], "variant"), diff];
}

function fillTable(table, rows, first, columns) {
  const head = table.querySelector("thead"), body = table.querySelector("tbody");
  head.textContent = ""; body.textContent = "";
  head.append(el("tr", {}, el("th", { text: first }), el("th", { text: columns[0] }), el("th", { text: columns[1] }), el("th", { text: t("diff") })));
  for (const row of rows) body.append(el("tr", { "data-key": row.key }, el("td", { text: row.label }), ...fmtRowCells(row)));
}

function drawResults() {
  const s = last;
  const text = $("#state-text"), bar = $("#progress");
  $("#cancel").hidden = !(s && (s.state === "running" || s.state === "queued"));
  if (!s) { text.textContent = ""; bar.value = 0; return; }
  bar.max = s.total || 1; bar.value = s.done;
  text.textContent = `${t(s.state)} · ${s.done} ${t("of")} ${s.total} ${t("reps_done")}` + (s.error ? ` · ${s.error}` : "");
  const timing = [];
  if (job && job.first != null) timing.push(`${t("first")} ${job.first} ${t("ms")}`);
  if (job && job.final != null) timing.push(`${t("final")} ${job.final} ${t("ms")}`);
  $("#timing").textContent = timing.join(" · ");
  document.body.dataset.state = s.state;
  const v = s.views && s.views[lang];
  if (!v) return;
  const notes = $("#notes");
  notes.textContent = "";
  for (const n of v.notes) notes.append(el("p", { class: "note", text: n }));
  fillTable($("#headline"), v.headline, t("metric"), v.columns);
  fillTable($("#all"), v.all, t("metric"), v.columns);
  $("#units-box").hidden = v.units.length === 0;
  if (v.units.length) fillTable($("#units"), v.units, t("unit"), v.columns);
  const charts = $("#charts");
  charts.textContent = "";
  for (const c of v.charts) {
    const f = el("figure", { "data-stem": c.stem, "aria-label": c.title });
    f.innerHTML = c.svg;
    charts.append(f);
  }
}

let downloadsAsked = 0;
async function loadDownloads() {
  if (!job) return;
  const mine = job, asked = ++downloadsAsked;
  $("#downloads-box").hidden = false;
  $("#command").textContent = `${t("command")} ${job.command}`;
  const list = $("#downloads");
  list.textContent = "";
  list.append(el("li", {}, el("a", { href: `/api/jobs/${job.id}/scenario.toml`, download: "scenario.toml", id: "download-toml", text: t("toml") })));
  const waiting = el("li", { class: "muted", text: t("waiting_files") });
  list.append(waiting);
  const r = await api(`/api/jobs/${job.id}/files?lang=${lang}`);
  // A newer request (another job, or the other language) draws the list.
  if (job !== mine || asked !== downloadsAsked) return;
  waiting.remove();
  if (!r.ok) { list.append(el("li", { text: r.body.error })); return; }
  for (const f of r.body) {
    if (f.name === "scenario.toml") continue;
    list.append(el("li", {}, el("a", { href: f.url, target: "_blank", text: f.name }), el("span", { class: "muted", text: ` ${Math.max(1, Math.round(f.bytes / 1024))} kB` })));
  }
}

$("#lang").addEventListener("click", () => {
  lang = lang === "sv" ? "en" : "sv";
  localStorage.setItem("vardsim.lang", lang);
  applyLanguage();
});
$("#scenario").addEventListener("change", loadLevers);
$("#replications").addEventListener("change", schedule);
$("#seed").addEventListener("change", schedule);
$("#apply").addEventListener("click", run);
$("#reset").addEventListener("click", () => { $("#advanced").value = ""; drawLevers({}); run(); });
$("#cancel").addEventListener("click", () => { if (job) fetch(`/api/jobs/${job.id}/cancel`, { method: "POST" }); });

(async () => {
  applyLanguage();
  await loadScenarios();
  await loadLevers();
})();

// Live fleet page: polls /api/statistics every 2 s and redraws the tables; the chosen client's PNGs reload with it.
// Client IDs come from devices, so everything is written as text (never as HTML).
"use strict";

const refreshMs = 2000;
const silentAfterSeconds = 15;
let selected = new URLSearchParams(location.search).get("client");

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

const ms = s => (s === null || s === undefined ? "–" : (s * 1000).toFixed(1));
const seconds = s => (s === null || s === undefined ? "–" : s.toFixed(2));
const bandwidth = b => (b === null || b === undefined ? "–" : b >= 1e6 ? (b / 1e6).toFixed(2) + " MB/s" : (b / 1e3).toFixed(1) + " KB/s");
// The window of recent results (what the device sees now), as the device scored the server's predictions.
const quality = q => (q === null || q === undefined ? "–" : `${q.window.precision.toFixed(2)} / ${q.window.recall.toFixed(2)}`);
const histogram = h => Object.entries(h).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, n]) => `${k}: ${n}`).join(", ") || "–";

function mode(client, now) {
  const age = (now - Date.parse(client.last_seen)) / 1000;
  if (age > silentAfterSeconds) return ["silent", "mode-silent"];
  if (client.current_split < 0) return ["local run", "mode-local"];
  return ["split", ""];
}

function renderModels(models) {
  const body = document.querySelector("#models tbody");
  body.replaceChildren();
  for (const m of models) {
    const row = body.insertRow();
    row.dataset.model = m.model_name;
    cell(row, m.model_name);
    cell(row, m.clients);
    cell(row, m.inferences);
    cell(row, ms(m.mean_device_seconds));
    cell(row, ms(m.mean_transfer_seconds));
    cell(row, ms(m.mean_edge_seconds));
    cell(row, histogram(m.split_histogram), "text");
  }
}

function renderClients(clients) {
  const body = document.querySelector("#clients tbody");
  body.replaceChildren();
  const now = Date.now();
  for (const c of clients) {
    const row = body.insertRow();
    row.dataset.clientId = c.client_id;
    if (c.client_id === selected) row.className = "selected";
    cell(row, c.client_id, "client-id");
    cell(row, c.model_name, "text");
    cell(row, c.current_split, "split");
    cell(row, seconds(c.cycle_seconds));
    cell(row, bandwidth(c.bandwidth_bytes_per_second));
    cell(row, new Date(c.last_seen).toLocaleTimeString());
    const [text, className] = mode(c, now);
    cell(row, text, className);
    cell(row, c.inferences);
    const q = cell(row, quality(c.detection_quality), "quality");
    if (c.detection_quality) {
      const w = c.detection_quality.window;
      q.title = `last ${w.evaluated_frames} results: ${w.true_positives} right, ${w.false_positives} wrong, ${w.false_negatives} missed; ` +
        `since the model was assigned (${c.detection_quality.evaluated_frames} results): precision ${c.detection_quality.precision.toFixed(3)}, recall ${c.detection_quality.recall.toFixed(3)}`;
    }
    row.addEventListener("click", () => select(c.client_id));
  }
}

function select(clientId) {
  selected = clientId;
  history.replaceState(null, "", "?client=" + encodeURIComponent(clientId));
  for (const row of document.querySelectorAll("#clients tbody tr")) {
    row.className = row.dataset.clientId === clientId ? "selected" : "";
  }
  loadImages();
}

function loadImages() {
  const detail = document.getElementById("detail");
  if (!selected) { detail.hidden = true; return; }
  detail.hidden = false;
  document.getElementById("detail-id").textContent = selected;
  const base = "api/fleet/clients/" + encodeURIComponent(selected) + "/";
  const stamp = "?t=" + Date.now();
  document.getElementById("img-frame").src = base + "frame.png" + stamp;
  document.getElementById("img-cost").src = base + "cost_curve.png" + stamp;
  document.getElementById("img-layers").src = base + "layers.png" + stamp;
}

async function refresh() {
  try {
    const response = await fetch("api/statistics");
    if (!response.ok) throw new Error(response.status + " " + response.statusText);
    const stats = await response.json();
    renderModels(stats.models);
    renderClients(stats.clients);
    if (!selected && stats.clients.length > 0) selected = stats.clients[0].client_id;
    loadImages();
    document.getElementById("status").textContent =
      `${stats.clients.length} client(s), updated ${new Date().toLocaleTimeString()}`;
  } catch (e) {
    document.getElementById("status").textContent = "server unreachable: " + e.message;
  } finally {
    setTimeout(refresh, refreshMs);
  }
}

refresh();

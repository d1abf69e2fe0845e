/* The place page: who held the place over time (a chart and a table with the supporting and
   contradicting sources), and the events reported there. */
(function () {
  "use strict";
  const H = window.hadath, el = H.el;

  function periodsTable(tl) {
    return el("table", { class: "grid periods" },
      el("thead", {}, el("tr", {}, ["Holder", "From", "Until", "Supported by", "Contradicted by", "Events"].map((h) => el("th", {}, h)))),
      el("tbody", {}, tl.periods.map((p) => el("tr", { dataset: { actor: p.actor || "" } },
        el("td", {}, el("span", { class: "swatch", style: "background:" + H.actorColour(p.actor) }), " ", p.actor || "unknown", p.note ? el("div", { class: "muted" }, p.note) : null),
        el("td", {}, p.from || "?"), el("td", {}, p.until || "—"),
        el("td", {}, [...new Set(p.supporting.map((c) => c.source))].join(", ") || "–"),
        el("td", {}, [...new Set(p.contradicting.map((c) => c.source))].join(", ") || "–"),
        el("td", {}, p.events.map((id, i) => [i ? ", " : "", el("a", { href: "/event/" + encodeURIComponent(id) }, String(i + 1))]))))));
  }

  // steps between date ticks, in days: each tick a whole day, so that no label repeats
  const STEPS = [1, 2, 7, 14, 28, 56, 91, 182, 364, 728, 1820, 3640, 7280, 18200];
  const TICK_WIDTH = 90;  // pixels a YYYY-MM-DD label takes, with room between two

  /** Ticks on whole days, spaced so that their labels never overlap at the chart's width. */
  function dayTicks(scale) {
    const lo = Math.ceil(scale.min), hi = Math.floor(scale.max);
    const fit = Math.max(1, Math.floor(scale.width / TICK_WIDTH));
    const step = STEPS.find((s) => Math.floor((hi - lo) / s) + 1 <= fit) || STEPS[STEPS.length - 1];
    const ticks = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) ticks.push({ value: v });
    scale.ticks = ticks;
  }

  function chart(canvas, timelines, lastDay) {
    const rows = [];
    for (const tl of timelines) {
      for (const p of tl.periods) {
        if (!p.from) continue;
        const start = H.dayNumber(p.from);
        const end = p.until ? H.dayNumber(p.until) : Math.max(lastDay, start) + 1;
        const label = (p.actor || "unknown holder") + (tl.precision > 1 ? " (area around)" : "");
        rows.push({ label, start, end, colour: p.actor ? H.actorColour(p.actor) : "#bbb" });
      }
    }
    if (!rows.length) return null;
    const labels = [...new Set(rows.map((r) => r.label))];
    const lo = Math.min(...rows.map((r) => r.start)) - 1, hi = Math.max(...rows.map((r) => r.end)) + 1;
    return new Chart(canvas, {
      type: "bar",
      data: { labels, datasets: [{ label: "held", data: rows.map((r) => ({ x: [r.start, r.end], y: r.label })), backgroundColor: rows.map((r) => r.colour), borderSkipped: false }] },
      options: {
        indexAxis: "y", animation: false, responsive: true, maintainAspectRatio: false,
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => `${c.raw.y}: ${H.dayString(c.raw.x[0])} → ${H.dayString(c.raw.x[1])}` } } },
        scales: { x: { type: "linear", min: lo, max: hi, afterBuildTicks: dayTicks,
                       ticks: { autoSkip: false, maxRotation: 0, callback: (v) => H.dayString(v) } } },
      },
    });
  }

  function eventsTable(events) {
    if (!events.length) return el("p", { class: "muted" }, "No event at this place.");
    return el("table", { class: "grid", id: "events" },
      el("thead", {}, el("tr", {}, ["Date", "Kind", "Actors", "Fatalities", "Status", "Reports"].map((h) => el("th", {}, h)))),
      el("tbody", {}, events.map((ev) => el("tr", {},
        el("td", {}, ev.date || "undated"),
        el("td", {}, el("a", { href: "/event/" + encodeURIComponent(ev.id) }, el("span", { class: "kind-dot", style: "background:" + H.kindColour(ev.kind) }), H.kindLabel(ev.kind))),
        el("td", {}, H.actors(ev)), el("td", {}, H.fatalities(ev)), el("td", {}, H.statusBadge(ev.status)),
        el("td", {}, String(ev.n_reports))))));
  }

  async function start() {
    const main = document.getElementById("place");
    const key = decodeURIComponent(location.pathname.slice("/place/".length));
    try {
      const [p, meta] = await Promise.all([H.api("/api/places/" + encodeURIComponent(key)), H.api("/api/meta")]);
      const info = p.place || {};
      const tl0 = p.timelines[0] || {};
      const name = info.name || tl0.place || key, nameAr = info.name_ar || tl0.place_ar;
      document.title = "hadath — " + name;
      const canvas = el("canvas", { id: "control-chart" });
      main.replaceChildren(el("div", {},
        el("h1", {}, H.placeName(nameAr, name)),
        el("dl", { class: "facts" },
          el("dt", {}, "Where"), el("dd", {}, [info.admin1, info.country].filter(Boolean).join(", ") || "–"),
          el("dt", {}, "Point"), el("dd", {}, info.lat != null ? `${info.lat.toFixed(4)}, ${info.lon.toFixed(4)}` : "–"),
          el("dt", {}, "Kind of place"), el("dd", {}, info.feature || "–"),
          el("dt", {}, "Gazetteer id"), el("dd", {}, info.gazetteer_id || "–")),
        el("h2", {}, "Control over time"),
        p.timelines.length ? el("div", { id: "chart-box" }, canvas) : el("p", { class: "muted" }, "No control change reported here."),
        p.timelines.map((tl) => [tl.precision > 1 ? el("h3", {}, "The area around it (precision " + tl.precision + ")") : null, periodsTable(tl)]),
        el("h2", {}, `Events here (${p.events.length})`), eventsTable(p.events)));
      const lastDay = meta.latest_day || meta.last_date;  // a holding goes on to the latest day with events
      if (p.timelines.length) chart(canvas, p.timelines, lastDay ? H.dayNumber(lastDay) : 0);
    } catch (err) {
      H.showError(main, err);
    }
    document.body.dataset.ready = "1";
  }
  start();
})();

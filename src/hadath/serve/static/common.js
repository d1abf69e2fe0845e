/* hadath pages: shared helpers. Article text and every other value from the store reaches
   the page only through text nodes (H.el), never as HTML. */
(function () {
  "use strict";
  const H = (window.hadath = window.hadath || {});

  /** An element: H.el("a", {href: url, class: "x"}, "text", child, ...). Strings become text. */
  H.el = function (tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "dataset") Object.assign(node.dataset, v);
      else if (k === "href") { const u = H.safeHref(v); if (u) node.setAttribute("href", u); }
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  };

  /** Same-site paths and http(s) URLs only: never javascript: or data:. */
  H.safeHref = function (url) {
    if (typeof url !== "string") return null;
    if (url.startsWith("/") && !url.startsWith("//")) return url;
    try {
      const u = new URL(url);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (e) { return null; }
  };

  /** GET a JSON API path; a non-2xx answer throws the API's error message. */
  H.api = async function (path, params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) if (v !== null && v !== undefined && v !== "") q.set(k, v);
    const url = path + (q.toString() ? "?" + q : "");
    const res = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new Error((body && body.error && body.error.message) || res.status + " " + res.statusText);
    return body;
  };

  // Colours: violence in reds, territory in blues, civil unrest in greens, the rest in greys.
  H.KIND_COLOURS = {
    armed_clash: "#c0392b", air_strike: "#8e1b10", shelling: "#e67e22", explosion: "#d35400",
    attack: "#e74c3c", killing: "#7b241c", abduction: "#a04000",
    territory_control: "#1f5fa8", withdrawal: "#5dade2",
    protest: "#27ae60", riot: "#117a65", arrest: "#8e44ad",
    displacement: "#b7950b", road_closure: "#566573", agreement: "#16a085", other: "#7f8c8d",
  };
  H.kindColour = (kind) => H.KIND_COLOURS[kind] || "#7f8c8d";
  H.kindLabel = (kind) => (kind || "").replace(/_/g, " ");

  const PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d",
    "#1f78b4", "#b2df8a", "#fb9a99", "#cab2d6", "#6a3d9a", "#ff7f00", "#b15928", "#17becf"];
  /** A stable colour per actor name. */
  H.actorColour = function (name) {
    if (!name) return "#999";
    let h = 0;
    for (const ch of name) h = (h * 31 + ch.codePointAt(0)) >>> 0;
    return PALETTE[h % PALETTE.length];
  };

  /** A place name in Arabic (right-to-left, isolated) beside its English name. */
  H.placeName = function (ar, en, cls) {
    return H.el("span", { class: "place " + (cls || "") },
      ar ? H.el("bdi", { dir: "rtl", lang: "ar", class: "ar" }, ar) : null,
      ar && en ? " " : null,
      en ? H.el("bdi", { dir: "ltr", lang: "en", class: "en" }, en) : null,
      !ar && !en ? "unknown place" : null);
  };

  /** Arabic text (a sentence, a source's name) shown right-to-left. */
  H.ar = (text, cls) => H.el("bdi", { dir: "auto", lang: "ar", class: cls || "" }, text);

  H.actors = function (ev) {
    const a1 = ev.actor1 || "unidentified";
    return ev.actor2 ? a1 + " → " + ev.actor2 : a1;
  };

  H.fatalities = function (ev) {
    if (ev.fatalities === null || ev.fatalities === undefined) return "–";
    if (ev.fatalities_high && ev.fatalities_high !== ev.fatalities_low) return ev.fatalities_low + "–" + ev.fatalities_high;
    return String(ev.fatalities);
  };

  H.statusBadge = (status) => H.el("span", { class: "badge status-" + status }, status);

  H.showError = function (where, err) {
    const box = typeof where === "string" ? document.querySelector(where) : where;
    box.replaceChildren(H.el("p", { class: "error", role: "alert" }, String(err.message || err)));
  };

  // Days as integers (UTC), for sliders and charts.
  H.dayNumber = (iso) => Math.round(Date.parse(iso + "T00:00:00Z") / 86400000);
  H.dayString = (n) => new Date(n * 86400000).toISOString().slice(0, 10);
})();

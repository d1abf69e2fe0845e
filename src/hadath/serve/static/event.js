/* The event page: the merged event, each source's stance, and every article that reported it
   with the evidence, the claims and the fields' spans marked in the text. */
(function () {
  "use strict";
  const H = window.hadath, el = H.el;
  const PRECISION = {
    1: "the exact place named", 2: "within about 25 km of a known point", 3: "a district or countryside",
    4: "a governorate or province", 5: "a larger region or a line", 6: "a country",
  };
  const FIELD = { trigger: "trigger", actor1: "actor 1", actor2: "actor 2", place: "place", date: "date", fatalities: "fatalities" };

  function facts(ev) {
    const rows = [
      ["ACLED", [ev.disorder_type, ev.event_type, ev.sub_event_type].filter(Boolean).join(" › ")],
      ["PLOVER", [ev.plover, ev.plover_mode].filter(Boolean).join(" / ")],
      ["Actor 1", ev.actor1 ? `${ev.actor1} (${ev.actor1_type || "?"}${ev.actor1_code ? ", " + ev.actor1_code : ""})${ev.actor1_hedged ? " — attribution hedged (likely)" : ""}` : "unidentified"],
      ["Associated", (ev.assoc_actor1 || []).join(", ") || null],
      ["Actor 2", ev.actor2 ? `${ev.actor2} (${ev.actor2_type || "?"}${ev.actor2_code ? ", " + ev.actor2_code : ""})` : null],
      ["Place", el("span", {}, H.placeName(ev.place_name_ar, ev.place_name),
        ev.gazetteer_id ? el("span", {}, " · ", el("a", { href: "/place/" + encodeURIComponent(ev.gazetteer_id) }, "place page")) : null)],
      ["Where", [ev.admin1, ev.country].filter(Boolean).join(", ") || null],
      ["Point", ev.lat !== null ? `${ev.lat.toFixed(4)}, ${ev.lon.toFixed(4)}` : "none (too vague for a point)"],
      ["Precision", ev.precision ? `${ev.precision}: ${PRECISION[ev.precision] || ""}` : "unresolved"],
      ["Date", ev.date ? `${ev.date} (${ev.date_precision || "?"})` : "undated"],
      ["Fatalities", H.fatalities(ev)],
      ["Reports", `${ev.n_reports} report${ev.n_reports === 1 ? "" : "s"} from ${ev.n_sources} outlet${ev.n_sources === 1 ? "" : "s"}; first reported ${ev.first_reported || "?"}`],
      ["Event id", ev.id],
    ];
    return el("dl", { class: "facts" }, rows.filter((r) => r[1]).map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
  }

  function stances(ev) {
    if (!ev.claims.length) return el("p", { class: "muted" }, "No source is named for this event.");
    return el("table", { class: "grid", id: "stances" },
      el("thead", {}, el("tr", {}, ["Source", "Stance", "Outlet", "Words"].map((h) => el("th", {}, h)))),
      el("tbody", {}, ev.claims.map((c) => el("tr", { dataset: { stance: c.stance } },
        el("td", {}, c.source, c.via ? el("span", { class: "muted" }, " via " + c.via) : null),
        el("td", {}, el("span", { class: "stance-" + c.stance }, c.stance), c.hedged ? el("span", { class: "muted" }, " (hedged)") : null),
        el("td", {}, c.url ? el("a", { href: c.url, rel: "noopener noreferrer", target: "_blank" }, c.outlet || "original") : (c.outlet || "–")),
        el("td", {}, H.ar(c.text || ""))))));
  }

  function article(a) {
    const text = el("div", { class: "text", dir: "rtl", lang: "ar" });
    for (const seg of a.segments) {
      if (!seg.marks.length) { text.append(document.createTextNode(seg.text)); continue; }
      const fields = seg.marks.filter((m) => m.startsWith("f-")).map((m) => FIELD[m.slice(2)] || m.slice(2));
      const marked = seg.marks.filter((m) => !m.startsWith("f-"));
      const title = [...marked, ...fields].join(" · ");
      const cls = [...marked, ...seg.marks.filter((m) => m.startsWith("f-"))].join(" ");
      text.append(el(marked.length ? "mark" : "span", { class: cls, title }, seg.text));
    }
    return el("section", { class: "article", dataset: { document: String(a.document_id) } },
      el("div", { class: "meta" },
        el("strong", {}, a.source || "unknown outlet"), " · ", a.published || "undated",
        a.title ? [" · ", H.ar(a.title, "title")] : null, " · ",
        a.url ? el("a", { href: a.url, rel: "noopener noreferrer", target: "_blank", class: "original" }, "original article ↗")
          : el("span", { class: "muted" }, a.origin ? "read from " + a.origin : "no URL")),
      text);
  }

  async function start() {
    const main = document.getElementById("event");
    const id = decodeURIComponent(location.pathname.split("/").pop());
    try {
      const ev = await H.api("/api/events/" + encodeURIComponent(id));
      document.title = `hadath — ${H.kindLabel(ev.kind)} ${ev.place_name || ""} ${ev.date || ""}`;
      main.replaceChildren(el("div", {},
        el("h1", {}, el("span", { class: "kind-dot", style: "background:" + H.kindColour(ev.kind) }),
          H.kindLabel(ev.kind), " · ", H.placeName(ev.place_name_ar, ev.place_name), " · ", ev.date || "undated", " ",
          H.statusBadge(ev.status)),
        facts(ev),
        el("h2", {}, "Sources and their stances"), stances(ev),
        el("h2", {}, `Articles (${ev.articles.length})`),
        el("p", { class: "muted" }, "Highlighted: ", el("mark", { class: "evidence" }, "evidence sentences"), ", ",
          el("mark", { class: "claim" }, "attribution"), "; bold, underlined: the words each field was read from (hover for the field)."),
        ev.articles.map(article)));
    } catch (err) {
      H.showError(main, err);
    }
    document.body.dataset.ready = "1";
  }
  start();
})();

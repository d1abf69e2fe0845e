/* The claims page: contested events, each side's sources and sentences side by side. */
(function () {
  "use strict";
  const H = window.hadath, el = H.el;
  const PAGE = 50;
  let offset = 0;

  function claim(c) {
    const who = c.source || (c.sources || []).join(", ") || "unnamed source";
    return el("div", { class: "claim-item" },
      el("strong", {}, who), " ",
      c.stance ? el("span", { class: "stance-" + c.stance }, c.stance) : null,
      c.hedged ? el("span", { class: "muted" }, " (hedged)") : null,
      c.fatalities !== undefined ? el("span", {}, ` · ${c.fatalities} killed`) : null,
      el("span", { class: "muted" }, " · ",
        c.url ? el("a", { href: c.url, rel: "noopener noreferrer", target: "_blank" }, c.outlet || "original") : (c.outlet || "unknown outlet")),
      c.text ? el("span", { class: "sentence", dir: "rtl", lang: "ar" }, c.text) : null);
  }

  function card(item) {
    const sideClass = (label) => (label === "denies" ? "denies" : label === "asserts" ? "asserts" : "");
    return el("article", { class: "contested-card", dataset: { event: item.event_id } },
      el("h2", {},
        el("a", { href: "/event/" + encodeURIComponent(item.event_id) },
          el("span", { class: "kind-dot", style: "background:" + H.kindColour(item.kind) }), H.kindLabel(item.kind)),
        H.placeName(item.place_ar, item.place), el("span", { class: "muted" }, item.date || "undated"),
        H.statusBadge(item.status)),
      el("p", {}, item.contradictions.join("; ")),
      el("div", { class: "sides" }, item.sides.map((s) => el("section", { class: "side " + sideClass(s.label) },
        el("h3", {}, s.label), s.claims.length ? s.claims.map(claim) : el("p", { class: "muted" }, "no named source")))));
  }

  async function more() {
    const box = document.getElementById("claims");
    try {
      const page = await H.api("/api/claims", { limit: PAGE, offset });
      offset += page.items.length;
      document.getElementById("count").textContent = page.total
        ? `${page.total.toLocaleString()} contested events (showing ${offset.toLocaleString()})`
        : "No contested event in the store.";
      box.append(...page.items.map(card));
      document.getElementById("more").hidden = offset >= page.total;
    } catch (err) {
      H.showError("#count", err);
    }
    document.body.dataset.ready = "1";
  }

  document.getElementById("more").addEventListener("click", more);
  more();
})();

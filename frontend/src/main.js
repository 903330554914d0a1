// Backline's one JS bundle: htmx for partial page updates, Bootstrap's components (as Tabler bundles
// them, with its sidebar), the shell's remembered sidebar, and the small islands (city and genre autocomplete) that forms opt into with data attributes.
import htmx from "htmx.org";
import { bootstrap } from "@tabler/core";
import TomSelect from "tom-select";
import "./shell.js";

window.htmx = htmx;
window.bootstrap = bootstrap;

// Send Django's CSRF token with every htmx request.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("meta[name=csrf-token]");
  if (token) event.detail.headers["X-CSRFToken"] = token.content;
});

function enhance(root) {
  // <select data-autocomplete-url="/api/v1/places/cities"> : remote search (cities).
  root.querySelectorAll("select[data-autocomplete-url]").forEach((el) => {
    if (el.tomselect) return;
    const url = el.dataset.autocompleteUrl;
    new TomSelect(el, {
      valueField: "geoname_id",
      labelField: "label",
      searchField: [],
      maxOptions: 10,
      loadThrottle: 200,
      shouldLoad: (query) => query.length >= 2,
      load(query, callback) {
        fetch(`${url}?q=${encodeURIComponent(query)}`, { credentials: "same-origin" })
          .then((r) => r.json())
          .then((items) => callback(items))
          .catch(() => callback());
      },
      render: {
        option: (item, escape) => `<div>${escape(item.label)}</div>`,
        no_results: () => '<div class="no-results">No city found. Try the nearest larger city.</div>',
      },
    });
  });
  // <select multiple data-searchable> : a searchable fixed list (genres).
  root.querySelectorAll("select[data-searchable]").forEach((el) => {
    if (el.tomselect) return;
    // A multi-select stays open while you pick several (Escape, Tab or a click outside closes it); a
    // single pick (data-max-items="1") closes. No placeholder once something is chosen.
    const maxItems = el.dataset.maxItems ? Number(el.dataset.maxItems) : null;
    new TomSelect(el, { maxItems, plugins: ["remove_button"], closeAfterSelect: !(el.multiple && maxItems !== 1),
                        hidePlaceholder: true });
  });
}

document.addEventListener("DOMContentLoaded", () => enhance(document));
document.addEventListener("htmx:afterSettle", (event) => enhance(event.target));

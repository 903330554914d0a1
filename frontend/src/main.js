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
  // <select data-options-of="venue"> whose options carry data-parent: only the options of the chosen
  // parent (a venue's stages) are offered; one alone is chosen. The server checks the pair again.
  root.querySelectorAll("select[data-options-of]").forEach((el) => {
    const parent = el.form && el.form.elements[el.dataset.optionsOf];
    if (!parent || el.dataset.optionsBound) return;
    el.dataset.optionsBound = "1";
    const sync = () => {
      const mine = [...el.options].filter((o) => o.dataset.parent === parent.value);
      [...el.options].forEach((o) => { if (o.dataset.parent) o.hidden = o.disabled = o.dataset.parent !== parent.value; });
      el.querySelectorAll("optgroup").forEach((g) => { g.hidden = ![...g.children].some((o) => !o.hidden); });
      if (el.selectedOptions[0] && el.selectedOptions[0].disabled) el.value = "";
      if (mine.length === 1 && !el.value) el.value = mine[0].value;
    };
    parent.addEventListener("change", sync);
    sync();
  });
}

// A page opened at a fragment (a form that posts to ".../request/#request") gets no autofocus from the
// browser (and loses focus at the jump to the fragment); its alert of what to fix is focused here instead.
function focusAlert() {
  const el = document.querySelector("[autofocus]");
  if (el && (!document.activeElement || document.activeElement === document.body)) el.focus();
}

document.addEventListener("DOMContentLoaded", () => enhance(document));
window.addEventListener("load", focusAlert); // after the browser's own scroll to the fragment
document.addEventListener("htmx:afterSettle", (event) => enhance(event.target));

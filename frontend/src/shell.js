// The workspace shell (base.html): Tabler's sidebar folds to icons on a laptop or desktop and
// becomes an off-canvas drawer on a phone. Tabler's own script folds it; this remembers the choice
// in a cookie so the server draws the next page already folded (no flash, no inline script).
const COOKIE = "sidebar";

document.addEventListener("tabler:sidebar-folded", (event) => {
  const value = event.detail && event.detail.folded ? "folded" : "open";
  document.cookie = `${COOKIE}=${value}; path=/; max-age=31536000; SameSite=Lax`;
});

// A link chosen in the phone drawer closes the drawer, so Back shows the page, not the drawer.
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("#mainnav a[href]") : null;
  if (!link || link.getAttribute("data-bs-toggle")) return;
  const drawer = window.bootstrap.Offcanvas.getInstance(document.getElementById("mainnav"));
  if (drawer) drawer.hide();
});

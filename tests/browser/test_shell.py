"""The workspace shell holds at every width (issue 12, item 1). On the demo world, a person of every role of
every workspace kind visits every page in their sidebar at 390, 1366, 1440 and 1920 px, and the test
fails on:

- the page scrolling sideways (``document.documentElement.scrollWidth > innerWidth``);
- a sidebar item, the workspace switcher, the search box, the bell or the user menu outside the viewport
  (at 390 px the drawer is opened to check the sidebar's items);
- a console error, a response of 400 or more, or a request that failed.

Each page is loaded once and the viewport resized through the widths (the layout reflows without a
reload). Screenshots go to ``test-results/browser/<test>/``: the owners' pages at 390 and 1366 px (their
dashboards at every width), every other role's dashboard at 390 and 1366 px, and each drawer opened.
"""

import importlib
import re
import time

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from backline.accounts.models import Membership, Role, WorkspaceKind
from backline.accounts.permissions import WorkspaceAccess
from backline.accounts.ui import nav_groups_for
from backline.demo.world import DEMO_LOGINS, DEMO_PASSWORD
from tests.factories import PASSWORD

from .conftest import RESULTS
from .test_journey_band import assert_clean, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTHS = (390, 1366, 1440, 1920)
HEIGHT = {390: 844, 1366: 768, 1440: 900, 1920: 1080}
DRAWER_BELOW = 992  # Tabler's lg breakpoint: below it the sidebar is an off-canvas drawer
ALWAYS_THERE = ("nav-search", "notification-bell", "user-menu")
USER_MENU_PAGES = ("profile", "availability", "notification_list", "notification_preferences", "account_email",
                   "account_change_password")

# One round trip per width: how far the page scrolls sideways, and which of the top bar's and the
# sidebar's items a person cannot see (outside the viewport or hidden). Below 992 px the sidebar is a
# drawer: it is opened to check its items, then closed. Returns [overflow, [problems]].
CHECK = """async ([drawer, always]) => {
  const outside = (part, els) => els.map((el) => {
    el.scrollIntoView({block: 'nearest', inline: 'nearest'});
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    const inside = r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && r.left >= -0.5 && r.top >= -0.5
      && r.right <= innerWidth + 0.5 && r.bottom <= innerHeight + 0.5;
    return inside ? null : `${part} item outside the viewport: `
      + `${(el.innerText || el.getAttribute('aria-label') || el.dataset.testid || el.tagName).trim()}`
      + ` at ${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}x${Math.round(r.height)}`;
  }).filter(Boolean);
  const settle = () => new Promise((done) => setTimeout(done, 30));
  const overflow = document.documentElement.scrollWidth - innerWidth;
  const top = always.map((id) => document.querySelector(`[data-testid="${id}"]`));
  const problems = top.some((el) => !el) ? ['part of the top bar is missing'] : outside('top bar', top);
  const drawerEl = document.getElementById('mainnav');
  if (drawer) { document.querySelector('[data-testid=nav-toggle]').click(); await settle(); }
  if (drawer && !drawerEl.classList.contains('show')) problems.push('the drawer did not open');
  const items = [...document.querySelectorAll(
    '#mainnav [data-testid=workspace-switcher], #mainnav [data-testid=sidebar-nav] a')];
  problems.push(...outside('sidebar', items));
  return [overflow, problems];
}"""
CLOSE_DRAWER = """async () => {
  bootstrap.Offcanvas.getInstance(document.getElementById('mainnav')).hide();
  await new Promise((done) => setTimeout(done, 30));
  return !document.getElementById('mainnav').classList.contains('show');
}"""
# Whether a person can reach each element: scrolled to, it is inside the viewport and not hidden.
OUTSIDE = """(els) => els.map((el) => {
  el.scrollIntoView({block: 'nearest', inline: 'nearest'});
  const r = el.getBoundingClientRect(), s = getComputedStyle(el);
  const inside = r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && r.left >= -0.5 && r.top >= -0.5
    && r.right <= innerWidth + 0.5 && r.bottom <= innerHeight + 0.5;
  return inside ? null : `${el.innerText.trim()} at ${Math.round(r.left)},${Math.round(r.top)}`;
}).filter(Boolean)"""


class Walk:
    """One page for the whole walk; what went wrong, with the page and width it went wrong on."""

    def __init__(self, chromium, base_url, folder):
        # Reduced motion: Bootstrap's drawer opens and closes without its 0.3 s slide.
        self.context = chromium.new_context(base_url=base_url, reduced_motion="reduce",
                                            viewport={"width": 1366, "height": HEIGHT[1366]})
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.folder = folder
        self.where = "log-in"
        self.problems: list[str] = []
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"{self.where}: {r.status} {r.url}"))
        self.page.on("requestfailed", self._request_failed)
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"{self.where}: console: {m.text}"))
        self.page.on("pageerror", lambda exc: self.problems.append(f"{self.where}: script error: {exc}"))

    def _request_failed(self, request):
        # A poll still in flight when the next page is opened is aborted by the browser: not a failure.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"{self.where}: request failed: {request.url} ({request.failure})")

    def log_in(self, email: str) -> None:
        page = self.page
        self.context.clear_cookies()
        page.set_viewport_size({"width": 1366, "height": HEIGHT[1366]})
        self.where = f"{email} log-in"
        page.goto("/accounts/login/")
        page.fill("#id_login", email)
        page.fill("#id_password", DEMO_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_test_id("user-menu")).to_be_attached()

    def check(self, who: str, path: str, *, shots: str = "", drawer_shot: bool = False) -> None:
        """``shots``: "all" widths, "phone and laptop" (390 and 1366 px), or none."""
        page = self.page
        self.where = f"{who} {path}"
        page.goto(path)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": HEIGHT[width]})
            self.where = f"{who} {path} at {width} px"
            name = re.sub(r"[^\w]+", "_", f"{who}{path}").strip("_")
            if shots == "all" or (shots == "phone and laptop" and width in (390, 1366)):
                page.screenshot(path=str(self.folder / f"{name}-{width}.png"))
            drawer = width < DRAWER_BELOW
            overflow, problems = page.evaluate(CHECK, [drawer, list(ALWAYS_THERE)])
            if overflow > 0:
                self.problems.append(f"{self.where}: the page scrolls sideways by {overflow} px")
            self.problems.extend(f"{self.where}: {problem}" for problem in problems)
            if drawer:
                if drawer_shot:
                    page.screenshot(path=str(self.folder / f"{name}-{width}-drawer.png"))
                if not page.evaluate(CLOSE_DRAWER):
                    self.problems.append(f"{self.where}: the drawer did not close")


def expected_nav(membership: Membership) -> list[str]:
    access = WorkspaceAccess(workspace=membership.workspace, membership=membership)
    return [reverse(i.url_name, args=[membership.workspace.slug]) for _, items in nav_groups_for(access) for i in items]


def test_every_role_sees_every_page_of_its_navigation_whole_at_every_width(chromium, site, request):
    started = time.monotonic()
    # The genres the migrations load, which a flush by an earlier transactional test removes.
    importlib.import_module("backline.artists.migrations.0002_genres").load(apps, None)
    call_command("demo", quiet=True)
    print(f"demo built in {time.monotonic() - started:.1f} s")
    folder = RESULTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    walk = Walk(chromium, site.url, folder)
    seen: set[tuple[int, str]] = set()
    pages = 0
    try:
        for email, _ in DEMO_LOGINS:
            who = email.split("@")[0]
            owner = who.startswith("owner.")
            walk.log_in(email)
            memberships = list(Membership.objects.filter(user__email=email).select_related("workspace"))
            if not memberships:  # platform staff: the shell around the workspace list
                walk.check(who, reverse("workspace_list"), shots="all")
                pages += 1
            for membership in memberships:
                if (membership.workspace_id, membership.role) in seen:
                    continue
                seen.add((membership.workspace_id, membership.role))
                nav = expected_nav(membership)
                walk.page.goto(nav[0])
                shown = walk.page.locator("[data-testid=sidebar-nav] a").evaluate_all(
                    "(links) => links.map((a) => new URL(a.href).pathname)")
                assert shown == nav, f"{who} in {membership.workspace.name}: the sidebar shows {shown}, not {nav}"
                for path in nav:
                    first = path == nav[0]
                    walk.check(who, path, drawer_shot=first,
                               shots="all" if owner and first else "phone and laptop" if owner or first else "")
                    pages += 1
            if owner:  # the pages of the user menu, outside any workspace, keep the shell too
                for name in USER_MENU_PAGES:
                    walk.check(who, reverse(name), shots="phone and laptop")
                    pages += 1
    finally:
        walk.context.close()
    print(f"{pages} pages walked in {time.monotonic() - started:.1f} s")
    assert pages > 100, f"only {pages} pages were visited: is the demo world there?"
    assert walk.problems == [], "\n".join(walk.problems[:60])


def test_a_folded_sidebar_stays_folded_and_keeps_every_item_in_view(open_browser, make_team):
    workspace, people = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    b = open_browser({"width": 1366, "height": 768})
    page = b.page
    log_in(b, people[Role.OWNER].email, PASSWORD)
    labels = page.locator("[data-testid=sidebar-nav] .nav-link-title")
    expect(labels.first).to_be_visible()
    page.get_by_role("button", name="Fold sidebar").click()
    expect(page.locator("html")).to_have_attribute("data-bs-sidebar", "folded-hover")
    page.mouse.move(900, 400)  # away from the sidebar, which unfolds while the pointer is on it
    page.reload()  # remembered by the server: the next page arrives folded
    expect(page.locator("html")).to_have_attribute("data-bs-sidebar", "folded-hover")
    width = page.evaluate("() => document.querySelector('.shell-sidebar').getBoundingClientRect().width")
    assert width < 100, f"the folded sidebar is {width} px wide"
    assert page.evaluate(OUTSIDE, page.locator("[data-testid=sidebar-nav] a").element_handles()) == []
    b.shot("folded")
    # The control that unfolds it is there without pointing at the sidebar (Tabler hides it until then).
    unfold = page.locator(".shell-fold")
    expect(unfold).to_be_visible()
    expect(unfold.locator(".ti-layout-sidebar-left-expand")).to_be_visible()
    assert page.evaluate(OUTSIDE, unfold.element_handles()) == []
    page.locator(".shell-sidebar").hover()  # the folded sidebar shows its labels while pointed at
    expect(labels.first).to_be_visible()
    page.get_by_role("button", name="Keep sidebar open").click()
    page.reload()
    expect(page.locator("html")).not_to_have_attribute("data-bs-sidebar", "folded-hover")
    b.shot("unfolded")
    assert_clean(b)


def test_the_workspace_switchers_list_keeps_its_icons_inside_it(open_browser, make_team):
    """Tabler draws the sidebar's dropdown in place with no inner padding: each icon must start inside the
    list, past its left edge, and the names must start after the icons."""
    workspace, people = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    for width, height in ((1366, 768), (390, 844)):
        b = open_browser({"width": width, "height": height})
        page = b.page
        log_in(b, people[Role.OWNER].email, PASSWORD)
        if width < DRAWER_BELOW:
            page.get_by_test_id("nav-toggle").click()
        page.get_by_test_id("workspace-switcher").click()
        menu = page.locator(".shell-switcher .dropdown-menu")
        expect(menu).to_be_visible()
        gaps = menu.evaluate("""(m) => [...m.querySelectorAll('.dropdown-item')].map((item) => {
          const icon = item.querySelector('i').getBoundingClientRect(), text = item.querySelector('span, i + *');
          return [icon.left - m.getBoundingClientRect().left, (text ? text.getBoundingClientRect().left : 1e9) - icon.right];
        })""")
        assert gaps and all(left >= 8 for left, _ in gaps), f"icons at {gaps} from the list's edge at {width} px"
        assert all(after >= 4 for _, after in gaps), f"names touching their icons at {width} px: {gaps}"
        b.shot(f"switcher-{width}")
        assert_clean(b)

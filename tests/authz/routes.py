"""Every route the project serves, straight from the URL resolver and the Ninja API."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from ninja.utils import normalize_path

API_PREFIX = "api/v1/"
# The resolver patterns the Ninja API adds besides its operations.
API_EXTRAS = frozenset({"api:openapi-json", "api:openapi-view", "api:api-root"})
OBJECT_PARAMS = ("invitation_id", "membership_id", "member_id", "performer_id", "venue_id", "stage_id", "event_id",
                 "poll_id", "link_id", "booking_id", "client_id", "package_id",
                 # the communication apps (makers in tests/authz/makers_*.py)
                 "thread_id", "attachment_id", "contact_id", "template_id", "email_id", "quarantine_id",
                 # the represents relation (tests/authz/makers_represent.py)
                 "representation_id", "act_workspace_id",
                 # the media library (tests/authz/makers_media.py)
                 "asset_id",
                 # riders (tests/authz/makers_riders.py)
                 "rider_id",
                 # files sent with an offer (tests/authz/makers_offer_files.py)
                 "file_id",
                 # the venue network (tests/authz/makers_network.py)
                 "network_id", "network_member_id", "post_id", "request_id", "copresent_id")
WORKSPACE_PARAMS = ("slug", "workspace_id")

_ROUTE_PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\{(\w+)\}|\(\?P<(\w+)>")


def params_of(route: str) -> tuple[str, ...]:
    """Parameter names of a Django route, a regex route or an OpenAPI path, in order."""
    return tuple(next(g for g in m.groups() if g) for m in _ROUTE_PARAM.finditer(route))


@dataclass(frozen=True)
class WebRoute:
    route: str  # the full pattern text from the root, e.g. "w/<slug:slug>/people/"
    name: str | None  # namespaced URL name, e.g. "admin:index"; None for unnamed patterns

    @property
    def key(self) -> str:
        return self.name or self.route

    @property
    def group(self) -> str:
        if self.route.startswith("admin/"):
            return "admin"
        if self.route.startswith("accounts/"):
            return "allauth"
        if self.route.startswith(API_PREFIX) and self.name not in API_EXTRAS:
            return "api-operation"
        return "project"

    @property
    def params(self) -> tuple[str, ...]:
        return params_of(self.route)

    def url(self, **kwargs) -> str:
        return reverse(self.name, kwargs=kwargs) if self.name else self.generic_url()

    def generic_url(self) -> str:
        """A concrete URL for a third-party pattern: the first choice of a regex alternation, a
        bogus key, and "1" for any other parameter (admin object ids need not exist)."""
        s = self.route.replace("^", "").replace("$", "")
        s = s.replace("(?P<url>.*)", "no-such-page/")
        s = re.sub(r"\(\?P<(\w+)>([\w|]+)\)", lambda m: m.group(2).split("|")[0], s)
        s = re.sub(r"\(\?P<uidb36>[^)]*\)-\(\?P<key>[^)]*\)", "1-bogus", s)
        s = re.sub(r"\(\?P<\w+>[^)]*\)", "bogus-key", s)
        s = re.sub(r"<[^>]+>", "1", s)
        return "/" + s

    def api_path(self) -> str:
        """The OpenAPI form of an API operation's pattern: /api/v1/workspaces/{workspace_id}."""
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", self.route)


def _walk(resolver, prefix: str = "", namespace: str | None = None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield WebRoute(prefix + str(entry.pattern), name)


def web_routes() -> list[WebRoute]:
    """Every URL pattern of the root URLconf (one entry per pattern; Ninja adds one per operation)."""
    seen, routes = set(), []
    for route in _walk(get_resolver()):
        if (route.route, route.name) not in seen:
            seen.add((route.route, route.name))
            routes.append(route)
    return routes


@dataclass(frozen=True)
class ApiOperation:
    method: str  # GET, POST, PUT, PATCH, DELETE
    path: str  # /api/v1/workspaces/{workspace_id}

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    @property
    def params(self) -> tuple[str, ...]:
        return params_of(self.path)

    def url(self, **kwargs) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: str(kwargs[m.group(1)]), self.path)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def api_operations() -> list[ApiOperation]:
    """Every operation of the Ninja API: what its routers register (so an operation hidden from the
    schema is still found) together with what the OpenAPI schema documents."""
    from backline.config.api import api

    base = reverse("api:api-root").rstrip("/")
    found = set()
    api._get_bound_routers()  # builds (and lists in api._routers) nested routers too
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            full = base + normalize_path("/" + "/".join(p for p in (prefix, path) if p))
            for operation in path_view.operations:
                found.update(ApiOperation(m.upper(), full) for m in operation.methods)
    for path, operations in api.get_openapi_schema()["paths"].items():
        found.update(ApiOperation(m.upper(), path) for m in operations)
    return sorted(found, key=lambda o: (o.path, o.method))

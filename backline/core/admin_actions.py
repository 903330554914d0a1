"""An admin action that asks staff for a reason first (rejecting or withdrawing a verification): the
reason page, then ``apply(obj, reason)`` on each selected object, each failure told in words."""

from __future__ import annotations

from django.contrib import messages
from django.template.response import TemplateResponse

from .errors import DomainError


def with_reason(modeladmin, request, queryset, *, action: str, title: str, intro: str, submit: str, apply, done: str,
                name=str):
    reason = (request.POST.get("reason") or "").strip()
    if "apply" not in request.POST or not reason:
        return TemplateResponse(request, "admin/reason_action.html", {
            **modeladmin.admin_site.each_context(request), "title": title, "intro": intro, "submit": submit,
            "action": action, "items": [name(obj) for obj in queryset], "ids": queryset.values_list("pk", flat=True),
            "opts": modeladmin.model._meta, "missing": "apply" in request.POST})
    for obj in queryset:
        try:
            apply(obj, reason)
        except DomainError as exc:
            modeladmin.message_user(request, f"{name(obj)}: {exc.detail}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"{name(obj)}: {done}", messages.WARNING)
    return None

"""The media picker: one form field and widget that every form picking from the media library uses (the
press kit, the technical rider's stage plot, a stage's photos and tech pack). It shows a grid of cards,
thumbnails for pictures and a document icon with title and size for PDFs, each over a real checkbox or
radio, so it works without JavaScript and with the keyboard. With ``media.manage`` it also carries an
"Upload new" control that posts to ``media_pick_upload`` (htmx swaps the picker in place, with the new
file selected; without JavaScript the whole form posts there and the person comes back to the page).

The picker's own settings (field name, kinds, one or several) travel signed in the upload button's value,
so the upload view renders the same picker without trusting the browser."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from urllib.parse import quote

from django import forms
from django.core import signing
from django.urls import reverse

from backline.accounts.permissions import MEDIA_MANAGE

from . import selectors
from .models import Asset, AssetKind

SALT = "media.picker"
# Which assets a picker offers, and the kind an upload through it gets (None: decided from the file).
KINDS = {
    "images": ((AssetKind.PHOTO, AssetKind.PRESS_PHOTO, AssetKind.LOGO), AssetKind.PHOTO),
    "documents": ((AssetKind.DOCUMENT,), AssetKind.DOCUMENT),
    "plots": ((AssetKind.DOCUMENT, AssetKind.PHOTO), None),
}
ACCEPT = {"images": "image/jpeg,image/png,image/webp,image/gif,.jpg,.jpeg,.png,.webp,.gif",
          "documents": "application/pdf,.pdf"}
NOT_OURS = "That file is not in this workspace's media library: choose one of the files shown here."
LIMIT = 200  # the newest files; a library larger than that is managed on its own page


@dataclass(frozen=True)
class PickerSettings:
    name: str
    id: str
    kinds: str
    multiple: bool
    empty_label: str = ""

    def sign(self) -> str:
        return signing.dumps(asdict(self), salt=SALT, compress=True)

    @classmethod
    def unsign(cls, value: str) -> PickerSettings:
        data = signing.loads(value, salt=SALT)
        if data.get("kinds") not in KINDS:
            raise signing.BadSignature("unknown kinds")
        return cls(**data)


def picker_assets(workspace_id: int, kinds: str) -> list[Asset]:
    """The assets a picker of ``kinds`` offers, newest first (one query)."""
    return selectors.assets_to_pick(workspace_id, KINDS[kinds][0], limit=LIMIT)


class AssetPicker(forms.Widget):
    """Cards with thumbnails over checkboxes (several) or radios (one)."""

    template_name = "media/picker.html"
    use_fieldset = True

    def __init__(self, *, kinds: str, multiple: bool, empty_label: str = "", attrs=None):
        super().__init__(attrs)
        self.kinds, self.multiple, self.empty_label = kinds, multiple, empty_label
        self.assets: list[Asset] = []
        self.upload_url: str | None = None
        self.upload_error: str = ""
        self.uploaded: Asset | None = None

    def value_from_datadict(self, data, files, name):
        if self.multiple:
            return data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False  # an unticked checkbox list sends nothing: that means "none", not "unchanged"

    def format_value(self, value) -> list[str]:
        if value is None or value == "":
            return []
        values = value if isinstance(value, (list, tuple)) else [value]
        return [str(getattr(v, "pk", v)) for v in values]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = set(context["widget"]["value"])
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        cards = [{"id": f"{base_id}_{n}", "value": str(a.pk), "asset": a, "checked": str(a.pk) in chosen}
                 for n, a in enumerate(self.assets)]
        if not self.multiple and self.empty_label:
            cards.insert(0, {"id": f"{base_id}_none", "value": "", "asset": None, "label": self.empty_label,
                             "checked": not (chosen & {c["value"] for c in cards})})
        settings = PickerSettings(name=name, id=base_id, kinds=self.kinds, multiple=self.multiple,
                                  empty_label=self.empty_label)
        context["picker"] = {
            "id": base_id, "cards": cards, "type": "checkbox" if self.multiple else "radio",
            "upload_url": self.upload_url, "settings": settings.sign() if self.upload_url else "",
            "accept": ACCEPT.get(self.kinds, ",".join(ACCEPT.values())), "error": self.upload_error,
            "uploaded": self.uploaded, "what": {"images": "photo", "documents": "document"}.get(self.kinds, "file"),
        }
        return context


class _PickMixin:
    def set_assets(self, assets, *, upload_url: str | None = None) -> None:
        self.widget.assets = list(assets)
        self.widget.upload_url = upload_url
        self.choices = [*([("", self.widget.empty_label)] if not self.widget.multiple else []),
                        *((a.pk, str(a)) for a in self.widget.assets)]


class AssetPickField(_PickMixin, forms.TypedMultipleChoiceField):
    pass


class AssetPickOneField(_PickMixin, forms.TypedChoiceField):
    pass


def asset_pick(label: str, *, kinds: str, multiple: bool = True, empty_label: str = "", **kwargs):
    """A form field picking assets of ``kinds`` ("images", "documents", "plots") by id: a list of ints when
    ``multiple``, else an int or None. Call ``set_assets`` (or ``offer_library``) before rendering."""
    widget = AssetPicker(kinds=kinds, multiple=multiple, empty_label=empty_label)
    kwargs.setdefault("required", False)
    kwargs.setdefault("error_messages", {"invalid_choice": NOT_OURS})
    if multiple:
        return AssetPickField(label=label, coerce=int, widget=widget, **kwargs)
    return AssetPickOneField(label=label, coerce=int, empty_value=None, widget=widget, **kwargs)


def upload_url_for(request) -> str | None:
    """Where a picker's "Upload new" posts, for people who may upload (``media.manage``); else None."""
    access = request.access
    if not access.can(MEDIA_MANAGE):
        return None
    return (reverse("media_pick_upload", args=[access.workspace.slug])
            + "?next=" + quote(request.get_full_path(), safe="/"))


def offer_library(form: forms.Form, request) -> None:
    """Give every picker of ``form`` the workspace's assets of its kinds (one query for all of them) and,
    where the person may upload, the "Upload new" control."""
    pickers = {n: f for n, f in form.fields.items() if isinstance(f, _PickMixin)}
    wanted = {k for f in pickers.values() for k in KINDS[f.widget.kinds][0]}
    library = selectors.assets_to_pick(request.access.workspace.pk, wanted, limit=LIMIT)
    url = upload_url_for(request)
    for field in pickers.values():
        kinds = KINDS[field.widget.kinds][0]
        field.set_assets([a for a in library if a.kind in kinds], upload_url=url)

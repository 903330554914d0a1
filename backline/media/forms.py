"""Forms of the media library page. The checks that matter (type by content, size, quota) are the
services'; their refusals are shown on these forms."""

from __future__ import annotations

from django import forms

from backline.core.forms import Form

from .models import AssetKind

ACCEPT = "image/jpeg,image/png,image/webp,image/gif,application/pdf,.jpg,.jpeg,.png,.webp,.gif,.pdf"
IMAGE_KIND_CHOICES = [(k.value, k.label) for k in (AssetKind.LOGO, AssetKind.PHOTO, AssetKind.PRESS_PHOTO)]


class _ManyFilesInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class _ManyFilesField(forms.FileField):
    def clean(self, data, initial=None):
        if not data:
            return super().clean(None, initial)  # required: "Choose at least one file"
        items = data if isinstance(data, (list, tuple)) else [data]
        return [super(_ManyFilesField, self).clean(d, initial) for d in items]


class AssetUploadForm(Form):
    files = _ManyFilesField(label="Files", widget=_ManyFilesInput(attrs={"multiple": True, "accept": ACCEPT}),
                            error_messages={"required": "Choose at least one file to upload."},
                            help_text="JPEG, PNG, WebP or GIF pictures and PDF documents. Several at once are fine.")
    kind = forms.ChoiceField(choices=[("", "Decide from the file"), *AssetKind.choices], required=False,
                             help_text="Pictures without a kind are kept as photos, PDFs as documents.")
    credit = forms.CharField(max_length=160, required=False, help_text="Who took the photo or made it, e.g. Mara Stein "
                                       "(shown as “Photo: Mara Stein”).")
    in_press_pack = forms.BooleanField(required=False, initial=True, label="Offer in the press pack")

    def add_domain_error(self, exc) -> None:
        if getattr(exc, "errors", None) and "file" in exc.errors:
            exc.errors["files"] = exc.errors.pop("file")
        super().add_domain_error(exc)


class AssetEditForm(Form):
    title = forms.CharField(max_length=120, required=False)
    credit = forms.CharField(max_length=160, required=False)
    kind = forms.ChoiceField(choices=IMAGE_KIND_CHOICES, required=False)
    in_press_pack = forms.BooleanField(required=False, label="Offer in the press pack")

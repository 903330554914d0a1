"""Every form renders through core/forms/field.html: a list of check boxes or radio buttons is a labelled
group of Bootstrap check inputs (a fieldset), never bare inputs styled as text boxes that spill out of
their card (the act's "New event" form once did, one word per line over the Save button)."""

from __future__ import annotations

import re

from django import forms

from backline.core.forms import Form


class Pick(Form):
    who = forms.MultipleChoiceField(choices=[("1", "Hana Tanaka"), ("2", "Ines Costa")], label="Who takes part",
                                    widget=forms.CheckboxSelectMultiple, required=False)
    state = forms.ChoiceField(choices=[("free", "Free"), ("busy", "Busy")], widget=forms.RadioSelect, label="I am")


def test_check_box_and_radio_lists_render_as_labelled_groups_of_check_inputs():
    form = Pick(data={"who": ["1"]})
    assert not form.is_valid()  # "I am" is required
    page = str(form)
    groups = re.findall(r"<fieldset class=\"mb-3\">\s*<legend class=\"form-label mb-1\">([^<]*)", page)
    assert [g.strip() for g in groups] == ["Who takes part", "I am"]
    for name, labels in (("who", ["Hana Tanaka", "Ines Costa"]), ("state", ["Free", "Busy"])):
        found = re.findall(rf'<div class="form-check mb-0"><input type="(?:checkbox|radio)" name="{name}" value="\w+" '
                           rf'class="form-check-input"[^>]*><label class="form-check-label" for="[^"]+">([^<]+)</label>',
                           page)
        assert found == labels
    assert "form-control" not in page
    state_group = page[page.index(">I am"):]
    assert 'class="invalid-feedback d-block"' in state_group  # the error sits in its group

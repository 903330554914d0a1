"""The buyer's new-inquiry form starts where the workspace is: a venue with one room has it chosen."""

from backline.bookings.forms import InquiryForm


def test_a_venue_with_one_room_has_it_chosen_and_one_with_two_chooses():
    one = InquiryForm(venues=[(7, "Lantern Hall, Berlin")])
    assert '<option value="7" selected>Lantern Hall, Berlin</option>' in str(one["venue"])
    two = InquiryForm(venues=[(7, "Lantern Hall, Berlin"), (8, "Lantern Garden, Berlin")])
    assert "selected>Lantern" not in str(two["venue"])
    posted = InquiryForm(data={"title": "Club night", "source": "email"}, venues=[(7, "Lantern Hall, Berlin")])
    assert posted.is_valid() and posted.cleaned_data["venue"] is None  # what was sent decides, not the default

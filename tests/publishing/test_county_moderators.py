"""Four eyes for a KOV with one staff member, over HTTP with real logins: the county
coordinator named in "County moderators: <county>" approves or returns what the county's
KOVs submit, and nothing of another county; she changes no data herself; a named deputy (a
colleague added to the KOV's moderators group) approves too; nobody approves their own
submission, whichever group lets her approve."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from directory.models import PriceStatus
from publishing import workflow
from publishing.scope import county_moderator_group_name, editor_group_name, moderator_group_name
from tests import factories as f

from .conftest import _user

pytestmark = pytest.mark.django_db


@pytest.fixture
def ida_moderator(kovs):
    return _user("ida-moderator", county_moderator_group_name("ida-viru"))


def pending_price(kov, editor):
    price = f.PriceFactory(
        offer=kov.offer, unit=kov.price.unit, valid_from="2030-01-01", price_individual="11.00"
    )
    workflow.submit(price, editor)
    return price


def act(client, key, obj, name, **data):
    return client.post(reverse("publishing:action", args=[key, obj.pk, name]), data)


def test_the_ida_viru_county_moderator_approves_narvas_submission_not_tallinns(
    client, kovs, narva_editor, tallinn_editor, ida_moderator
):
    narvas = pending_price(kovs["narva"], narva_editor)
    tallinns = pending_price(kovs["tallinn"], tallinn_editor)
    assert client.login(username="ida-moderator", password="pw-ida-moderator")

    queue = client.get(reverse("publishing:review")).content.decode()
    assert f'value="price:{narvas.pk}"' in queue and f'value="price:{tallinns.pk}"' not in queue
    assert "Ootavad minu kinnitust" in client.get("/admin/").content.decode()

    assert act(client, "price", tallinns, "approve").status_code == 403
    assert act(client, "price", narvas, "approve").status_code == 302
    narvas.refresh_from_db()
    tallinns.refresh_from_db()
    assert narvas.status == PriceStatus.PUBLISHED and tallinns.status == PriceStatus.PENDING


def test_the_county_moderator_returns_with_a_reason_but_changes_no_data(
    client, kovs, narva_editor, ida_moderator
):
    narva = kovs["narva"]
    price = pending_price(narva, narva_editor)
    change = workflow.propose(narva.contact, {"phone": "+372 5555 0000"}, narva_editor)
    assert client.login(username="ida-moderator", password="pw-ida-moderator")

    assert act(client, "price", price, "reject", comment="Vale ühik").status_code == 302
    price.refresh_from_db()
    assert price.status == PriceStatus.DRAFT
    assert act(client, "change", change, "approve").status_code == 302
    narva.contact.refresh_from_db()
    assert narva.contact.phone == "+372 5555 0000"

    assert client.get(f"/admin/snippets/directory/offer/edit/{narva.offer.pk}/").status_code == 403
    assert client.get(f"/admin/snippets/directory/offer/inspect/{narva.offer.pk}/").status_code == 200
    assert act(client, "offer", narva.offer, "withdraw").status_code == 403


def test_a_named_deputy_from_another_kov_approves_and_nobody_approves_their_own(
    client, kovs, narva_editor, tallinn_editor
):
    narva = kovs["narva"]
    # Tallinn's editor is named Narva's deputy moderator in the admin (Settings → Users → Roles).
    tallinn_editor.groups.add(Group.objects.get(name=moderator_group_name("narva-linn")))
    price = pending_price(narva, narva_editor)
    assert client.login(username="tallinn-editor", password="pw-tallinn-editor")
    assert act(client, "price", price, "approve").status_code == 302
    price.refresh_from_db()
    assert price.status == PriceStatus.PUBLISHED

    # The county moderator who also edits for Narva cannot approve what she submitted.
    solo = _user("solo", editor_group_name("narva-linn"), county_moderator_group_name("ida-viru"))
    own = f.PriceFactory(
        offer=narva.offer, unit=narva.price.unit, valid_from="2031-01-01", price_individual="12"
    )
    workflow.submit(own, solo)
    client.force_login(solo)
    response = act(client, "price", own, "approve")
    own.refresh_from_db()
    assert own.status == PriceStatus.PENDING
    assert "Saatsite selle ise" in client.get(response.url, follow=True).content.decode()

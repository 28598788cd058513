"""KOV staff keep their referral routes and partner links in the admin: a Narva editor drafts,
a Narva moderator approves, every step is in the audit log, and nobody sees or changes
another KOV's routes. Logins are real (username and password through the login form)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from directory.models import Journey, Municipality, PriceStatus, Role
from publishing.scope import editor_group_name, moderator_group_name
from referrals.models import Cooperation, PartnerInstitution, ReferralRoute

pytestmark = pytest.mark.django_db
ADD = "wagtailsnippets_referrals_referralroute:add"
EDIT = "wagtailsnippets_referrals_referralroute:edit"
INDEX = "wagtailsnippets_referrals_referralroute:list"


def staff(username, group, language="et") -> Client:
    user = get_user_model().objects.create_user(username, f"{username}@kov.example", "pw-" + username)
    user.groups.add(Group.objects.get(name=group))
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    response = client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": "pw-" + username}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    client.user = user
    return client


@pytest.fixture
def narva_editor(routes):
    return staff("narva-editor", editor_group_name("narva-linn"))


@pytest.fixture
def narva_moderator(routes):
    return staff("narva-moderator", moderator_group_name("narva-linn"))


@pytest.fixture
def johvi_editor(routes):
    return staff("johvi-editor", editor_group_name("johvi-vald"))


def form_data(municipality="narva-linn", **fields):
    data = {
        "municipality": Municipality.objects.get(code=municipality).pk,
        "partner_kind": "family-doctor",
        "partner": "",
        "journey": Journey.objects.get(code="elderly-in-need").pk,
        "target_group": "",
        "kov_role": Role.objects.get(code="social-worker").pk,
        "response_days": "3",
        "channel": "phone",
        "channel_name": "",
        "channel_url": "",
        "channel_phone": "+372 359 9100",
        "channel_email": "",
        "valid_from": "2026-01-01",
        "valid_to": "",
    }
    for field in ("passes_on", "consent_note", "tell_family"):
        for lang in ("et", "ru", "en"):
            data[f"{field}_{lang}"] = ""
    data["tell_family_et"] = "Sotsiaaltöötaja helistab teile kolme tööpäeva jooksul."
    return data | fields


def action(client, route, name, **data):
    return client.post(reverse("publishing:action", args=["route", route.pk, name]), data)


def logged(route, name):
    return ModelLogEntry.objects.filter(
        content_type__model="referralroute", object_id=str(route.pk), action=name
    )


def test_editor_drafts_moderator_approves_and_every_step_is_logged(narva_editor, narva_moderator):
    response = narva_editor.post(reverse(ADD), form_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    route = ReferralRoute.objects.get(partner_kind="family-doctor", municipality__code="narva-linn")
    assert route.status == PriceStatus.DRAFT
    assert not ReferralRoute.objects.public().filter(pk=route.pk).exists()

    assert action(narva_editor, route, "submit").status_code == 302
    assert action(narva_editor, route, "approve").status_code == 403  # an editor does not approve
    route.refresh_from_db()
    assert route.status == PriceStatus.PENDING

    assert action(narva_moderator, route, "approve").status_code == 302
    route.refresh_from_db()
    assert route.status == PriceStatus.PUBLISHED
    assert ReferralRoute.objects.public().filter(pk=route.pk).exists()
    for name, user in (
        ("wagtail.create", narva_editor),
        ("publishing.submit", narva_editor),
        ("publishing.approve", narva_moderator),
    ):
        assert logged(route, name).get().user == user.user


def test_an_edit_of_a_published_route_waits_for_the_moderator(narva_editor, narva_moderator):
    route = ReferralRoute.objects.get(municipality__code="narva-linn", partner_kind="hospital")
    assert narva_editor.get(reverse(EDIT, args=[route.pk])).status_code == 200
    assert narva_editor.get(reverse(ADD)).status_code == 200
    data = form_data(partner_kind="hospital", response_days="1", channel_phone=route.channel_phone)
    response = narva_editor.post(reverse(EDIT, args=[route.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    route.refresh_from_db()
    assert route.response_days == 2  # the published promise stands until approved
    change = logged(route, "publishing.submit").get()
    assert change.data["changed"]["response_days"] == [2, 1]


def test_another_kovs_routes_are_out_of_reach(johvi_editor):
    narva_route = ReferralRoute.objects.filter(municipality__code="narva-linn").first()
    assert johvi_editor.get(reverse(EDIT, args=[narva_route.pk])).status_code == 403
    assert action(johvi_editor, narva_route, "submit").status_code == 403
    listing = johvi_editor.get(reverse(INDEX)).content.decode()
    assert "Narva" not in listing and "Jõhvi" in listing
    # A route for another KOV is refused with a message, and nothing is stored.
    before = ReferralRoute.objects.count()
    response = johvi_editor.post(reverse(ADD), form_data("narva-linn"))
    assert response.status_code == 200
    assert "Valige korrektne väärtus" in response.content.decode()
    assert ReferralRoute.objects.count() == before


def test_a_partner_link_of_another_kov_cannot_be_edited(johvi_editor):
    narva_link = Cooperation.objects.filter(municipality__code="narva-linn").first()
    edit = reverse("wagtailsnippets_referrals_cooperation:edit", args=[narva_link.pk])
    assert johvi_editor.get(edit).status_code == 403
    # The shared hospital serves both: only an administrator edits it.
    hospital = PartnerInstitution.objects.get(name_et="SA Ida-Viru Keskhaigla")
    edit = reverse("wagtailsnippets_referrals_partnerinstitution:edit", args=[hospital.pk])
    assert johvi_editor.get(edit).status_code == 403


@pytest.mark.parametrize(
    ("language", "fields", "message"),
    [
        ("et", {"response_days": "0"}, "vähemalt üks tööpäev"),
        ("ru", {"response_days": "0"}, "не меньше одного рабочего дня"),
        ("et", {"valid_from": "2024-01-01", "valid_to": "2024-12-31"}, "oleks juba aegunud"),
        ("ru", {"valid_from": "2024-01-01", "valid_to": "2024-12-31"}, "уже истёк"),
        ("et", {"channel": "e-form", "channel_url": "ftp://narva.example/vorm"}, "https://"),
        ("ru", {"channel": "e-form", "channel_url": "javascript:alert(1)"}, "https://"),
    ],
)
def test_bad_input_is_explained_in_the_editors_language_and_nothing_is_stored(
    routes, language, fields, message
):
    editor = staff(f"narva-{language}", editor_group_name("narva-linn"), language)
    before = ReferralRoute.objects.count()
    response = editor.post(reverse(ADD), form_data(**fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ReferralRoute.objects.count() == before


def test_the_moderator_approves_a_submitted_route_from_the_review_queue(narva_editor, narva_moderator):
    narva_editor.post(reverse(ADD), form_data())
    route = ReferralRoute.objects.get(partner_kind="family-doctor", municipality__code="narva-linn")
    action(narva_editor, route, "submit")
    queue = narva_moderator.get(reverse("publishing:review")).content.decode()
    assert f'value="route:{route.pk}"' in queue
    response = narva_moderator.post(
        reverse("publishing:approve_selected"), {"entry": [f"route:{route.pk}"], "decision": "approve"}
    )
    assert response.status_code == 302
    route.refresh_from_db()
    assert route.status == PriceStatus.PUBLISHED

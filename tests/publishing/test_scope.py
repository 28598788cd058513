"""A KOV editor sees and changes only their own municipality — proven over HTTP."""

import pytest
from django.urls import reverse

from directory.models import Offer, Price, PriceStatus

ADMIN_VIEWS = ["edit", "delete", "history", "usage", "inspect"]
REFUSED = {403, 404}


def snippet_url(obj, view):
    return reverse(f"wagtailsnippets_directory_{obj._meta.model_name}:{view}", args=[obj.pk])


def tallinn_objects(kovs):
    t = kovs["tallinn"]
    return [t.offer, t.price, t.contact, t.provider]


@pytest.mark.django_db
class TestNarvaEditorIsRefusedEveryTallinnObject:
    @pytest.mark.parametrize("view", ADMIN_VIEWS)
    def test_get(self, narva_client, kovs, view):
        for obj in tallinn_objects(kovs):
            response = narva_client.get(snippet_url(obj, view))
            assert response.status_code in REFUSED, (obj, view, response.status_code)

    @pytest.mark.parametrize("view", ["edit", "delete"])
    def test_post_changes_nothing(self, narva_client, kovs, view):
        t = kovs["tallinn"]
        before = (Offer.objects.get(pk=t.offer.pk).notes_et, Price.objects.count())
        for obj in tallinn_objects(kovs):
            response = narva_client.post(snippet_url(obj, view), {"notes_et": "hacked", "name": "hacked"})
            assert response.status_code in REFUSED, (obj, view, response.status_code)
        assert (Offer.objects.get(pk=t.offer.pk).notes_et, Price.objects.count()) == before

    def test_listings_and_exports_leave_tallinn_out(self, narva_client, kovs):
        for model in ("offer", "price", "contactperson", "provider"):
            index = reverse(f"wagtailsnippets_directory_{model}:list")
            for url in (
                index,
                index + "?export=csv",
                index + "?export=xlsx",
                reverse(f"wagtailsnippets_directory_{model}:list_results"),
            ):
                response = narva_client.get(url)
                assert response.status_code == 200, url
                body = b"".join(response.streaming_content) if response.streaming else response.content
                assert b"Tallinn" not in body, url
        listing = narva_client.get(reverse("wagtailsnippets_directory_offer:list")).content.decode()
        assert "Narva linn" in listing

    def test_choosers_leave_tallinn_out(self, narva_client, kovs):
        t = kovs["tallinn"]
        for model, obj in (("offer", t.offer), ("provider", t.provider), ("contactperson", t.contact)):
            choose = narva_client.get(reverse(f"wagtailsnippetchoosers_directory_{model}:choose"))
            assert choose.status_code == 200
            assert b"Tallinn" not in choose.content
            chosen = narva_client.get(
                reverse(f"wagtailsnippetchoosers_directory_{model}:chosen", args=[obj.pk])
            )
            assert chosen.status_code in REFUSED

    def test_workflow_actions(self, narva_client, kovs):
        t = kovs["tallinn"]
        targets = [("offer", t.offer), ("price", t.price), ("contact", t.contact)]
        for key, obj in targets:
            for action in ("submit", "approve", "reject", "discard", "verify", "withdraw"):
                response = narva_client.post(reverse("publishing:action", args=[key, obj.pk, action]))
                assert response.status_code in REFUSED, (key, action)
        response = narva_client.post(reverse("publishing:approve_selected"), {"entry": f"price:{t.price.pk}"})
        assert response.status_code in REFUSED
        t.offer.refresh_from_db()
        assert t.offer.valid_to is None and t.offer.last_verified.year == 2020

    def test_new_price_and_spreadsheets(self, narva_client, kovs):
        t = kovs["tallinn"]
        assert narva_client.get(reverse("publishing:new_price", args=[t.offer.pk])).status_code in REFUSED
        response = narva_client.post(
            reverse("publishing:new_price", args=[t.offer.pk]),
            {"unit": t.price.unit_id, "price_individual": "1", "valid_from": "2030-01-01"},
        )
        assert response.status_code in REFUSED
        for fmt in ("csv", "xlsx"):
            assert (
                narva_client.get(reverse("publishing:export", args=["tallinn", fmt])).status_code in REFUSED
            )
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("p.csv", b"kind;code\n")
        response = narva_client.post(
            reverse("publishing:price_list"), {"municipality": "tallinn", "file": upload}
        )
        assert response.status_code in REFUSED
        assert Price.objects.filter(offer=t.offer).count() == 1

    def test_tallinn_upload_preview_is_refused(self, narva_client, kovs, tallinn_editor):
        from publishing.models import PriceImport

        record = PriceImport.objects.create(
            municipality=kovs["tallinn"].municipality,
            uploaded_by=tallinn_editor,
            filename="x.csv",
            content=b"x",
        )
        assert narva_client.get(reverse("publishing:import_preview", args=[record.pk])).status_code in REFUSED
        assert (
            narva_client.post(
                reverse("publishing:import_preview", args=[record.pk]), {"apply": "1"}
            ).status_code
            in REFUSED
        )

    def test_site_wide_history_is_refused(self, narva_client, kovs):
        for url in ("/admin/reports/site-history/", "/admin/reports/site-history/results/"):
            assert narva_client.get(url).status_code in REFUSED

    def test_creating_an_offer_for_tallinn_is_refused(self, narva_client, kovs):
        t = kovs["tallinn"]
        response = narva_client.post(
            reverse("wagtailsnippets_directory_offer:add"),
            {
                "municipality": t.municipality.pk,
                "provider": t.provider.pk,
                "component": t.offer.component_id,
                "valid_from": "2025-01-01",
                "notes_et": "x",
            },
        )
        assert response.status_code == 200  # the form is shown again with an error
        assert Offer.objects.filter(municipality=t.municipality).count() == 1


@pytest.mark.django_db
class TestNarvaEditorWorksOnNarva:
    def test_sees_and_edits_own_offer(self, narva_client, kovs):
        n = kovs["narva"]
        assert narva_client.get(snippet_url(n.offer, "edit")).status_code == 200
        assert narva_client.get(snippet_url(n.offer, "history")).status_code == 200
        assert narva_client.get(snippet_url(n.contact, "edit")).status_code == 200
        assert narva_client.get(snippet_url(n.provider, "edit")).status_code == 200

    def test_cannot_delete_even_own_published_entries(self, narva_client, kovs):
        n = kovs["narva"]
        for obj in (n.offer, n.price, n.contact):
            assert narva_client.post(snippet_url(obj, "delete")).status_code == 403
        assert Offer.objects.filter(pk=n.offer.pk).exists()

    def test_published_price_cannot_be_edited_in_place(self, narva_client, kovs):
        n = kovs["narva"]
        response = narva_client.post(snippet_url(n.price, "edit"), {"price_individual": "99"})
        assert response.status_code == 403
        n.price.refresh_from_db()
        assert n.price.price_individual == 10 and n.price.status == PriceStatus.PUBLISHED

    def test_county_coordinator_sees_county_read_only(self, client, ida_coordinator, kovs):
        client.force_login(ida_coordinator)
        n, t = kovs["narva"], kovs["tallinn"]
        assert client.get(snippet_url(n.offer, "history")).status_code == 200
        assert client.get(snippet_url(n.offer, "edit")).status_code == 403
        assert client.get(snippet_url(t.offer, "history")).status_code == 403
        stale = client.get(reverse("publishing:stale")).content.decode()
        assert "Narva linn" in stale and "Tallinn" not in stale


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["et", "ru", "en"])
def test_every_publishing_page_renders_for_an_editor(narva_client, kovs, lang):
    narva_client.defaults["HTTP_ACCEPT_LANGUAGE"] = lang
    n = kovs["narva"]
    for url in [
        reverse("publishing:review"),
        reverse("publishing:price_list"),
        reverse("publishing:stale"),
        reverse("publishing:translations"),
        reverse("publishing:changes"),
        reverse("publishing:overview"),
        reverse("publishing:new_price", args=[n.offer.pk]),
        reverse("wagtailsnippets_directory_offer:add"),
        reverse("wagtailsnippets_directory_contactperson:edit", args=[n.contact.pk]),
        reverse("wagtailadmin_home"),
    ]:
        response = narva_client.get(url)
        assert response.status_code == 200, url
        assert b"Tallinn" not in response.content, url
